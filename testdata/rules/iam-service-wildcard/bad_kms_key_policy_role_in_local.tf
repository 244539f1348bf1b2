# `kms:*` for a role named in a local: not the account root, so the role may change who can use
# the key.
locals {
  deploy_role = "arn:aws:iam::123456789012:role/deploy"
}

data "aws_iam_policy_document" "key_policy" {
  statement {
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = [local.deploy_role]
    }
  }
}

resource "aws_kms_key" "default" {
  policy = data.aws_iam_policy_document.key_policy.json
}
