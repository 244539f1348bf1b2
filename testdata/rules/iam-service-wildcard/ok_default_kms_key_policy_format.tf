# AWS's default key policy statement, with the root principal built by format() as cloudposse's
# components write it: it hands the key's access control to IAM policies.
data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "kms_key_rds" {
  statement {
    sid       = "Enable the account that owns the KMS key to manage it via IAM"
    effect    = "Allow"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type = "AWS"
      identifiers = [
        format("arn:${data.aws_partition.current.partition}:iam::%s:root", data.aws_caller_identity.current.account_id)
      ]
    }
  }
}

resource "aws_kms_key" "rds" {
  description = "RDS storage encryption"
  policy      = data.aws_iam_policy_document.kms_key_rds.json
}
