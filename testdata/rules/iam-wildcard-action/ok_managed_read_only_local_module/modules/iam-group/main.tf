variable "name" {
  type = string
}

variable "policy_arns" {
  description = "ARNs of the policies to attach to the group"
  type        = list(string)
  default     = []
}

resource "aws_iam_group" "this" {
  name = var.name
}

resource "aws_iam_group_policy_attachment" "this" {
  for_each = toset([for arn in var.policy_arns : arn if arn != ""])

  group      = aws_iam_group.this.name
  policy_arn = each.value
}
