# A half-finished edit: the closing parenthesis of jsonencode( is missing.

resource "aws_iam_policy" "half_written" {
  name = "platform-ci-half-written"

  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }]
  }
}
