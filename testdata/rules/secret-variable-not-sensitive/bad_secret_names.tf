variable "db_password" {
  type = string
}

variable "api_token" {
  type = string
}

variable "oidc_client_secret" {
  type = string
}

variable "deploy_private_key" {
  type = string
}

variable "datadog_api_key" {
  type = string
}

variable "aws_secret_access_key" {
  type = string
}
