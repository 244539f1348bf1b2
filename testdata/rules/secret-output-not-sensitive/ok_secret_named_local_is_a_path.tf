# cloudposse's form: the local named for the password holds the name of the SSM parameter that
# keeps it, a path built with format(); the output gives that name, not the password.
locals {
  ssm_path_format              = "/elasticsearch/${var.name}/%s"
  elasticsearch_admin_password = format(local.ssm_path_format, "password")
  grafana_admin_password       = join("/", ["", var.name, "grafana", "admin_password"])
}

variable "name" {
  type    = string
  default = "search"
}

resource "aws_ssm_parameter" "admin_password" {
  name  = local.elasticsearch_admin_password
  type  = "SecureString"
  value = random_password.admin.result
}

resource "random_password" "admin" {
  length = 33
}

output "master_password_ssm_key" {
  description = "SSM key of the Elasticsearch master password"
  value       = local.elasticsearch_admin_password
}

output "grafana_admin_password_ssm_key" {
  description = "SSM key of the Grafana admin password"
  value       = local.grafana_admin_password
}
