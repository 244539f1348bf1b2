module "policy_copy" {
  source = "./modules/param"

  name = "/platform/iam/uploader-policy"
  value = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:PutObject", "s3:DeleteObject"]
      Resource = "*"
    }]
  })
}
