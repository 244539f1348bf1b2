# Ephemeral outputs (Terraform 1.10, child modules) are never written to plans or state.
variable "db_password" {
  type      = string
  ephemeral = true
}

output "db_password" {
  value     = var.db_password
  ephemeral = true
}
