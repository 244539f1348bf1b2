module "cross_account_role" {
  source  = "cloudposse/iam-role/aws"
  version = "0.23.0"

  name             = "audit-reader"
  role_description = "Read-only role for the audit account"

  principals = {
    AWS = ["arn:aws:iam::210987654321:root"]
  }

  assume_role_conditions = [{
    test     = "StringEquals"
    variable = "sts:ExternalId"
    values   = ["audit-2024"]
  }]

  policy_documents = [data.aws_iam_policy_document.read.json]
}

module "wide_but_replaced" {
  source  = "cloudposse/iam-role/aws"
  version = "0.23.0"

  name = "ci"

  # The whole trust policy is given: `principals` is ignored by the module.
  principals         = { AWS = ["*"] }
  assume_role_policy = data.aws_iam_policy_document.ci_trust.json
}

data "aws_iam_policy_document" "read" {
  statement {
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = ["arn:aws:s3:::acme-audit", "arn:aws:s3:::acme-audit/*"]
  }
}

data "aws_iam_policy_document" "ci_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:acme/platform:ref:refs/heads/main"]
    }
  }
}
