# The variable's name says nothing, its type does.
variable "database" {
  type = object({
    host     = string
    port     = optional(number, 5432)
    username = string
    password = string
  })
}
