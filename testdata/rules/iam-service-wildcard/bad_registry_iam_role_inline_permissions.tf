module "iam_role" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role"
  version = "6.5.0"

  name = "reporting"

  trust_policy_permissions = {
    TrustRoleAndServiceToAssume = {
      actions = ["sts:AssumeRole", "sts:TagSession"]
      principals = [{
        type        = "AWS"
        identifiers = ["arn:aws:iam::123456789012:role/reporting-runner"]
      }]
    }
  }

  create_inline_policy = true
  inline_policy_permissions = {
    ReadReports = {
      actions   = ["s3:GetObject", "s3:ListBucket"]
      resources = ["arn:aws:s3:::acme-reports", "arn:aws:s3:::acme-reports/*"]
    }
    Warehouse = {
      actions   = ["redshift-data:*"]
      resources = ["*"]
    }
  }

  tags = {
    Team = "data"
  }
}
