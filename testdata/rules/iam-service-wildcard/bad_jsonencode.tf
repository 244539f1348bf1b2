resource "aws_iam_policy" "github_actions" {
  name = "github-actions-deploy"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ManageCluster"
        Effect   = "Allow"
        Action   = ["eks:*", "ecr:GetAuthorizationToken"]
        Resource = "*"
      },
    ]
  })
}
