variable "name" {
  type = string
}

variable "policy" {
  type    = string
  default = null
}

resource "aws_iam_role" "this" {
  name = var.name
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "this" {
  count = var.policy != null ? 1 : 0

  role   = aws_iam_role.this.id
  policy = var.policy
}
