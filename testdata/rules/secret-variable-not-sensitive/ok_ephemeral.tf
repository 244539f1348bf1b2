# Ephemeral variables (Terraform 1.10) are never written to plans or state.
variable "db_password" {
  type      = string
  ephemeral = true
}
