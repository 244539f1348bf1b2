# A log group key's policy as the module libraries write it: the account root gets the key
# administration actions, which hands the key to the account's IAM policies, as AWS's default
# key policy does. No one new can use or change the key through it.
data "aws_partition" "current" {
  count = local.enabled ? 1 : 0
}

data "aws_caller_identity" "current" {
  count = local.enabled ? 1 : 0
}

data "aws_iam_policy_document" "kms" {
  count = local.enabled ? 1 : 0

  statement {
    sid    = "EnableRootUserPermissions"
    effect = "Allow"

    actions = [
      "kms:Create*",
      "kms:Describe*",
      "kms:Enable*",
      "kms:Put*",
      "kms:Revoke*",
      "kms:Delete*",
      "kms:ScheduleKeyDeletion",
    ]

    resources = ["*"]

    principals {
      type = "AWS"
      identifiers = [
        "arn:${join("", data.aws_partition.current[*].partition)}:iam::${join("", data.aws_caller_identity.current[*].account_id)}:root"
      ]
    }
  }
}

resource "aws_kms_key" "logs" {
  description         = "CloudWatch Logs"
  enable_key_rotation = true
  policy              = join("", data.aws_iam_policy_document.kms[*].json)
}
