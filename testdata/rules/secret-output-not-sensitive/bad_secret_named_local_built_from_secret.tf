# A local named for a password that format() builds from a secret still carries it, even in a
# path's shape; and one that format() builds from literals may be a chosen password.
variable "admin_password" {
  type = string
}

locals {
  elasticsearch_admin_password = format("/%s/%s", var.admin_password, "x")
  grafana_admin_password       = format("%s%s", "Tr0ub4dor", "&3")
}

output "elasticsearch_admin_password" {
  value = local.elasticsearch_admin_password
}

output "grafana_admin_password" {
  value = local.grafana_admin_password
}
