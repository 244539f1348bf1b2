variable "name" {
  type = string
}

variable "value" {
  type = string
}

# The document is stored, not attached to anyone: it grants nothing.
resource "aws_ssm_parameter" "this" {
  name  = var.name
  type  = "String"
  value = var.value
}
