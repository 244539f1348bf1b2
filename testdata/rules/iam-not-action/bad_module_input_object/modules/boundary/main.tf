variable "name" {
  type = string
}

variable "document" {
  description = "The policy, as an object: the module encodes it"
  type        = any
}

resource "aws_iam_policy" "this" {
  name   = var.name
  policy = jsonencode(var.document)
}
