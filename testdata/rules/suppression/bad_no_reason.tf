# fleet-iam-ignore: iam-service-wildcard
resource "aws_iam_policy" "ci" {
  name = "ci"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "eks:*", Resource = "*" }]
  })
}
