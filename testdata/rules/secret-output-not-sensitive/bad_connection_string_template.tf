variable "db_user" {
  type = string
}

variable "db_password" {
  type      = string
  sensitive = false
}

resource "aws_db_instance" "main" {
  identifier     = "main"
  engine         = "postgres"
  instance_class = "db.t4g.medium"
  username       = var.db_user
  password       = var.db_password
}

output "database_url" {
  value = "postgres://${var.db_user}:${var.db_password}@${aws_db_instance.main.address}:5432/app"
}
