# Marked sensitive, yet the password itself is in the repository.
variable "grafana_admin_password" {
  type      = string
  sensitive = true
  default   = "gr4f4n4-adm1n-pw"
}
