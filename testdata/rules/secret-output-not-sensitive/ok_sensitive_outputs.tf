variable "db_password" {
  type      = string
  sensitive = true
}

resource "random_password" "grafana" {
  length = 24
}

output "db_password" {
  value     = var.db_password
  sensitive = true
}

output "grafana_admin_password" {
  value     = random_password.grafana.result
  sensitive = true
}
