# A container definition's inputs, as the ECS modules declare them: references to secrets.
variable "secrets" {
  description = "The secrets to pass to the container, read by ECS from Secrets Manager or SSM"
  type = list(object({
    name      = string
    valueFrom = string
  }))
  default = null
}

variable "repositoryCredentials" {
  description = "Private registry credentials: the ARN of a Secrets Manager secret"
  type = object({
    credentialsParameter = optional(string)
  })
  default = null
}

variable "services" {
  type = map(object({
    cpu    = number
    memory = number
    container_definitions = map(object({
      image = string
      repository_credentials = optional(object({
        credentialsParameter = string
      }))
    }))
  }))
  default = {}
}

# Where secrets are kept, and the names of secrets.
variable "ssm_key_password" {
  type    = string
  default = "admin/db_password"
}

variable "kube_secret" {
  type        = string
  default     = "tailscale"
  description = "The Kubernetes Secret of the operator"
}

variable "datadog_api_secret_key" {
  type        = string
  default     = "default"
  description = "The name of the Datadog API key in the secret store"
}

# The units of Cognito's token validities, keyed by the token they apply to.
variable "client_token_validity_units" {
  type        = any
  description = "Units of the validity times: seconds, minutes, hours or days"
  default = {
    access_token  = "minutes"
    id_token      = "minutes"
    refresh_token = "days"
  }
}
