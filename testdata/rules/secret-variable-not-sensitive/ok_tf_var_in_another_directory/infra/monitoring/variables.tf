variable "grafana_admin" {
  type        = string
  description = "Initial Grafana admin password"
  sensitive   = true
}
