module "developer_boundary" {
  source = "./modules/boundary"

  name = "developer-boundary"

  document = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "EverythingButIam"
        Effect    = "Allow"
        NotAction = ["iam:*", "organizations:*", "account:*"]
        Resource  = "*"
      },
    ]
  }
}
