module "vendor_role" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-assumable-role"
  version = "~> 5.60"

  create_role = true
  role_name   = "vendor-support"

  create_custom_role_trust_policy = true
  custom_role_trust_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "*" }
    }]
  })

  custom_role_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
}
