variable "actions" {
  type = list(string)
}

resource "aws_iam_policy" "dynamic" {
  name = "dynamic"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = var.actions, Resource = "*" }]
  })
}
