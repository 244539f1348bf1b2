resource "random_password" "grafana" {
  length  = 24
  special = false
}

# nonsensitive() silences Terraform's "Output refers to sensitive values" and prints the secret.
output "grafana_admin_password" {
  value = nonsensitive(random_password.grafana.result)
}
