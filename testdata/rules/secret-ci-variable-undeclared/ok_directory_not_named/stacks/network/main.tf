# The matrix runs here too, and this stack does not need the secret: not known which does.
variable "cidr" {
  type    = string
  default = "10.0.0.0/16"
}
