# What the statements grant is decided by the caller: nothing is known here to judge.
variable "policy_statements" {
  type    = any
  default = []
}

data "aws_iam_policy_document" "node" {
  dynamic "statement" {
    for_each = var.policy_statements
    content {
      sid       = try(statement.value.sid, null)
      effect    = try(statement.value.effect, null)
      actions   = try(statement.value.actions, null)
      resources = try(statement.value.resources, null)
    }
  }
}

resource "aws_iam_role_policy" "node" {
  role   = aws_iam_role.node.id
  policy = data.aws_iam_policy_document.node.json
}
