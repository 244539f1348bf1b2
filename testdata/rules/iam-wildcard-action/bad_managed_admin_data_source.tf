# The ARN looked up by name, or given in a variable.
data "aws_iam_policy" "administrator" {
  name = "AdministratorAccess"
}

variable "ops_policy_arn" {
  description = "Managed policy for the ops group"
  type        = string
  default     = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_group" "ops" {
  name = "ops"
}

resource "aws_iam_group_policy_attachment" "ops" {
  group      = aws_iam_group.ops.name
  policy_arn = var.ops_policy_arn
}

resource "aws_iam_policy_attachment" "admins" {
  name       = "admins"
  users      = ["alice", "bob"]
  policy_arn = data.aws_iam_policy.administrator.arn
}
