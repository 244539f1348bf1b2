# The platform team's CI role, assumed by GitHub Actions through OIDC.
# Its policy is written with jsonencode() and grants every EKS action.

resource "aws_iam_role" "github_actions" {
  name = "platform-ci"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }
      Condition = {
        StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" }
        StringLike   = { "token.actions.githubusercontent.com:sub" = "repo:example-org/platform:ref:refs/heads/main" }
      }
    }]
  })
}

resource "aws_iam_policy" "ci_eks" {
  name        = "platform-ci-eks"
  description = "Lets CI deploy to the EKS clusters"

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ManageClusters"
        Effect   = "Allow"
        Action   = ["eks:*"]
        Resource = "*"
      },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "ci_eks" {
  role       = aws_iam_role.github_actions.name
  policy_arn = aws_iam_policy.ci_eks.arn
}
