module "vendor_role" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-assumable-role"
  version = "~> 5.60"

  create_role       = true
  role_name         = "vendor-support"
  role_requires_mfa = false

  # Without `create_custom_role_trust_policy = true` the module builds the trust policy from
  # `trusted_role_arns` and ignores this document.
  custom_role_trust_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "*" }
    }]
  })

  trusted_role_arns = ["arn:aws:iam::210987654321:root"]
}
