locals {
  uploader_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Artifacts"
        Effect   = "Allow"
        Action   = ["s3:PutObject", "s3:DeleteObject"]
        Resource = "*"
      },
    ]
  })
}

module "uploader" {
  source = "./modules/service"

  name        = "uploader"
  role_policy = local.uploader_policy
}
