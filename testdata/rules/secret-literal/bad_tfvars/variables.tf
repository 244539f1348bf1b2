variable "region" {
  type = string
}

variable "db_password" {
  type      = string
  sensitive = true
}

variable "ci_access_key_id" {
  type = string
}
