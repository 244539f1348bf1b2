module "developer_boundary" {
  source = "./modules/boundary"

  name = "developer-boundary"

  document = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Workloads"
        Effect   = "Allow"
        Action   = ["ecs:UpdateService", "ecs:DescribeServices"]
        Resource = "arn:aws:ecs:eu-west-1:123456789012:service/apps/*"
      },
      {
        Sid       = "NoIamOutsideApps"
        Effect    = "Deny"
        NotAction = ["iam:PassRole"]
        Resource  = "arn:aws:iam::123456789012:role/*"
      },
    ]
  }
}
