module "scheduler_role" {
  source = "./modules/service-role"

  name = "scheduler"

  # A permissions document where the module expects who may assume the role.
  trust_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "sts:AssumeRole"
      Resource = "arn:aws:iam::123456789012:role/scheduler"
    }]
  })
}
