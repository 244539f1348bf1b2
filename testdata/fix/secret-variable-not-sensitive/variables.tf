# Inputs of the monitoring stack.

variable "grafana_admin_password" {
  description = "Admin password for Grafana" # rotated by the platform team
  type        = string
}

variable "db_password" {
  type      = string
  sensitive = false
}

variable "api_token" {}

variable "datadog_api_key" { type = string }

variable "client_secret" {
  description = "OIDC client secret"
  type        = string
  default     = null

  validation {
    condition     = var.client_secret == null || length(var.client_secret) > 16
    error_message = "The client secret is too short."
  }
}

variable "password_length" {
  type    = number
  default = 32
}
