# A database connection passed around as one object: its password attribute makes the whole
# object a secret, so an output of it prints the password.
variable "database" {
  type = object({
    host     = string
    username = string
    password = string
  })
}

output "database" {
  value = var.database
}
