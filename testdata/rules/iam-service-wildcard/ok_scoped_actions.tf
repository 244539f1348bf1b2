resource "aws_iam_policy" "github_actions" {
  name = "github-actions-deploy"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["eks:DescribeCluster", "eks:ListClusters", "ec2:Describe*"]
      Resource = "*"
    }]
  })
}
