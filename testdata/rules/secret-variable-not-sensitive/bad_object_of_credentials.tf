# An object type named like a secret is judged by its attributes: here one holds a password.
variable "credentials" {
  type = object({
    username = string
    password = string
  })
}

# A map of secret values, keyed by environment variable name.
variable "map_secrets" {
  type    = map(string)
  default = {}
}

# A default that is a placeholder says nothing: the name decides.
variable "api_token" {
  type    = string
  default = "CHANGEME"
}
