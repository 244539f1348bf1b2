# The root of the repository declares a variable of the same name, but the workflow runs
# Terraform in infra/monitoring, where the variable is sensitive: this one gets no CI secret.
variable "grafana_admin" {
  type        = string
  description = "Grafana admin login name, for the dashboards module"
  default     = "admin"
}
