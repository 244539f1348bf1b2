# fleet-iam-ignore: iam-wildcard-action -- break-glass role, reviewed in SEC-123
resource "aws_iam_policy" "read_only" {
  name = "read-only"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::reports/*" }]
  })
}
