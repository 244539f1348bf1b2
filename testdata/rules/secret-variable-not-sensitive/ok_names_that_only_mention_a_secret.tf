variable "secret_name" {
  type    = string
  default = "prod/grafana/admin"
}

variable "db_password_arn" {
  type = string
}

variable "password_length" {
  type    = number
  default = 32
}

variable "token_ttl" {
  type    = string
  default = "1h"
}

variable "access_key_id" {
  type = string
}

variable "kms_key_id" {
  type = string
}

variable "secret_rotation_days" {
  type    = number
  default = 30
}

variable "create_random_password" {
  type    = bool
  default = true
}

variable "existing_secret" {
  type    = string
  default = "grafana-admin"
}

variable "http_tokens" {
  type    = string
  default = "required"
}

variable "database" {
  type = object({
    host                = string
    password_secret_arn = string
  })
}

# A boolean is a switch, whatever its name.
variable "sftp_password" {
  type        = bool
  description = "Whether SFTP users may log in with a password"
  default     = false
}
