module "app_role" {
  source = "../modules/app-role"

  name = "app-staging"

  inline_policies = {
    deploy = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject"]
        Resource = ["arn:aws:s3:::acme-staging-artifacts/*"]
      }]
    })
  }
}
