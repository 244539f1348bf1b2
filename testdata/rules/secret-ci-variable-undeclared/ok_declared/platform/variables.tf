# Renamed from grafana_password; the workflow still sets the old name.
variable "grafana_admin_password" {
  type      = string
  sensitive = true
}
