# A key module's policy with AWS's separation of duties: the administrators' statement manages
# the key (its wildcards reach kms:PutKeyPolicy and kms:CreateGrant, which is what
# administrators are for) and the users' statement uses it.
variable "key_administrators" {
  type    = list(string)
  default = []
}

variable "key_users" {
  type    = list(string)
  default = []
}

data "aws_iam_policy_document" "this" {
  statement {
    sid = "KeyAdministration"
    actions = [
      "kms:CancelKeyDeletion",
      "kms:Create*",
      "kms:Delete*",
      "kms:Describe*",
      "kms:Disable*",
      "kms:Enable*",
      "kms:Get*",
      "kms:List*",
      "kms:Put*",
      "kms:Revoke*",
      "kms:ScheduleKeyDeletion",
      "kms:TagResource",
      "kms:UntagResource",
      "kms:Update*",
    ]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = var.key_administrators
    }
  }

  statement {
    sid = "KeyUsage"
    actions = [
      "kms:Decrypt",
      "kms:DescribeKey",
      "kms:Encrypt",
      "kms:GenerateDataKey*",
      "kms:ReEncrypt*",
    ]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = var.key_users
    }
  }
}

resource "aws_kms_key" "this" {
  description = "Application data"
  policy      = data.aws_iam_policy_document.this.json
}
