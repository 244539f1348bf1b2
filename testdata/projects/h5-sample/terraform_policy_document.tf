# What the Terraform pipeline may do to IAM, as an aws_iam_policy_document: PassRole on any
# role, and every IAM action on the platform roles.

data "aws_iam_policy_document" "terraform_iam" {
  statement {
    sid       = "PassAnyRole"
    effect    = "Allow"
    actions   = ["iam:PassRole"]
    resources = ["*"]
  }

  statement {
    sid       = "ManageIam"
    effect    = "Allow"
    actions   = ["iam:*"]
    resources = ["arn:aws:iam::123456789012:role/platform-*"]
  }
}

resource "aws_iam_role_policy" "ci_terraform" {
  name   = "platform-ci-terraform"
  role   = aws_iam_role.github_actions.id
  policy = data.aws_iam_policy_document.terraform_iam.json
}
