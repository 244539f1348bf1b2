variable "iam_admin_policy_arn" {
  description = "The policy the IAM administrators group gets"
  type        = string
  default     = "arn:aws:iam::aws:policy/IAMFullAccess"
}

resource "aws_iam_group" "iam_admins" {
  name = "iam-admins"
}

resource "aws_iam_policy_attachment" "iam_admins" {
  name       = "iam-admins"
  groups     = [aws_iam_group.iam_admins.name]
  policy_arn = var.iam_admin_policy_arn
}
