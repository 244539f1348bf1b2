resource "aws_iam_policy" "ci" {
  name = "ci-deploy"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["eks:*", "iam:PassRole"], Resource = "*" }]
  })
}

resource "aws_iam_role" "cross_account" {
  name = "cross-account"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "*" } }]
  })
}
