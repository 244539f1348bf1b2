variable "region" {
  type = string
}

variable "db_password" {
  type      = string
  sensitive = true
}

variable "db_password_arn" {
  type = string
}
