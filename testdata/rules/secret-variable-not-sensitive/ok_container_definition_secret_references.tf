# The containers of an ECS service, as cloudposse's ecs-service component declares them:
# `map_secrets` maps each environment variable to the ARN ECS reads it from (`valueFrom`), and
# `secrets` lists the same pairs. Neither holds a secret value.
variable "containers" {
  description = "Feed inputs into the container definition module"
  type = map(object({
    name            = string
    image           = optional(string)
    memory          = optional(number)
    essential       = optional(bool, true)
    map_environment = optional(map(string), {})
    map_secrets     = optional(map(string), {})
    secrets = optional(list(object({
      name      = string
      valueFrom = string
    })), [])
    port_mappings = optional(list(object({
      containerPort = number
      protocol      = optional(string)
    })), [])
  }))
  default = {}
}

# SOPS-encrypted SopsSecret files, by name: ciphertext on disk, never a plain value.
variable "sops_secrets" {
  type        = list(string)
  description = "List of SOPS-encrypted SopsSecret file names, within `sops_secrets_directory`"
  default     = []
}
