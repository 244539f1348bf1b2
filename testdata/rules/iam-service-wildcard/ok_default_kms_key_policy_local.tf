# The default key policy statement with the root principal kept in a local, as a key module
# writes it: `local.account_principal` is the account root, whatever the account.
data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

locals {
  account_id        = data.aws_caller_identity.current.account_id
  account_principal = "arn:${data.aws_partition.current.partition}:iam::${local.account_id}:root"
}

data "aws_iam_policy_document" "key_policy" {
  statement {
    sid       = "KeyAdministration"
    effect    = "Allow"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = [local.account_principal]
    }
  }
}

resource "aws_kms_key" "default" {
  description = "Shared key"
  policy      = data.aws_iam_policy_document.key_policy.json
}
