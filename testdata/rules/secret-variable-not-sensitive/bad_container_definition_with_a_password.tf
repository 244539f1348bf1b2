# A container definition's inputs that also take a password as a value: the password attribute
# is a secret even though `map_secrets` beside it only holds references.
variable "containers" {
  type = map(object({
    name            = string
    image           = string
    map_environment = optional(map(string), {})
    map_secrets     = optional(map(string), {})
    db_password     = optional(string)
  }))
  default = {}
}

# `map_secrets` outside a container definition is a map of secrets.
variable "service" {
  type = object({
    name        = string
    map_secrets = map(string)
  })
}
