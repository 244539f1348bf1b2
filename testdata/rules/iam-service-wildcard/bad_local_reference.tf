locals {
  deploy_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "ecr:*", Resource = "*" }]
  })
}

resource "aws_iam_policy" "deploy" {
  name   = "deploy"
  policy = local.deploy_policy
}
