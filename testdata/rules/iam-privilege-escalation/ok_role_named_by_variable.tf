# PassRole on the one role a variable names, in an account from a data source: scoped.
data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "deployer" {
  statement {
    actions   = ["iam:PassRole"]
    resources = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/${var.task_role_name}"]
  }
}

variable "task_role_name" {
  type = string
}

resource "aws_iam_policy" "deployer" {
  name   = "deployer"
  policy = data.aws_iam_policy_document.deployer.json
}
