variable "grafana_admin_password" {
  type        = string
  description = "Admin password of the platform Grafana"
  sensitive   = true
}

variable "database" {
  type = object({
    host     = string
    password = string
  })
  sensitive = true
}
