# A user manager's policy as modules write it: the account and partition come from data sources,
# and the users are all of them. Whoever holds it can mint access keys for any user.
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

data "aws_iam_policy_document" "user_manager" {
  statement {
    sid = "ManageUsers"
    actions = [
      "iam:CreateAccessKey",
      "iam:DeleteAccessKey",
      "iam:ListAccessKeys",
    ]
    resources = [
      "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:user/*",
    ]
  }
}

resource "aws_iam_policy" "user_manager" {
  name   = "user-manager"
  policy = data.aws_iam_policy_document.user_manager.json
}
