module "deployer" {
  source = "./modules/ci-role"

  name        = "github-deployer"
  github_repo = "acme/platform"

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Deploy"
        Effect   = "Allow"
        Action   = "*"
        Resource = "*"
      },
    ]
  })
}
