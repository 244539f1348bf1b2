# A container definition module's output, as the ECS modules build it: the registry credentials
# input is the ARN of a Secrets Manager secret, so the definition carries no secret.
variable "name" {
  type = string
}

variable "image" {
  type = string
}

variable "repositoryCredentials" {
  description = "Container repository credentials; required when using a private repo"
  type = object({
    credentialsParameter = optional(string)
  })
  default = null
}

locals {
  container_definition = {
    name                  = var.name
    image                 = var.image
    essential             = true
    repositoryCredentials = var.repositoryCredentials
  }
}

output "container_definition" {
  description = "Container definition"
  value       = local.container_definition
}

output "container_definition_json" {
  value = jsonencode(local.container_definition)
}
