variable "region" {
  type = string
}

# A login name from the repository's variables (`vars.`), not from its secrets.
variable "grafana_admin" {
  type        = string
  description = "Grafana admin login name"
}
