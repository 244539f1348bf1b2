variable "datadog_api_secret_key" {
  type        = string
  default     = "default"
  description = "The name of the Datadog API key in the secret store"
}

variable "ssm_path_template" {
  type    = string
  default = "/%s/%s"
}

locals {
  datadog_api_key_name = format("/datadog/%s/datadog_api_key", var.datadog_api_secret_key)
  ssm_path_password    = format(var.ssm_path_template, "loki", "password")
}

resource "random_password" "basic_auth" {
  length = 32
}

resource "aws_ssm_parameter" "basic_auth_password" {
  name  = local.ssm_path_password
  type  = "SecureString"
  value = random_password.basic_auth.result
}

output "datadog_api_key_location" {
  description = "The SSM parameter of the Datadog API key"
  value       = local.datadog_api_key_name
}

output "ssm_path_basic_auth_password" {
  description = "The SSM parameter of the basic auth password"
  value       = local.ssm_path_password
}
