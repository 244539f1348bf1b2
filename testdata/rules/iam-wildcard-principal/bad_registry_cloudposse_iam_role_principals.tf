module "cross_account_role" {
  source  = "cloudposse/iam-role/aws"
  version = "0.23.0"

  name             = "audit-reader"
  role_description = "Read-only role for the audit account"

  principals = {
    AWS = ["*"]
  }

  policy_documents = [
    data.aws_iam_policy_document.read.json,
  ]
  policy_description = "Read the audit bucket"
}

data "aws_iam_policy_document" "read" {
  statement {
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = ["arn:aws:s3:::acme-audit", "arn:aws:s3:::acme-audit/*"]
  }
}
