variable "db_password" {
  type = string
}

output "db_password" {
  value = var.db_password
}
