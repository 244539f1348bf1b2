# The statements are written in a local: each item is judged where it is written.
locals {
  break_glass_statements = [
    {
      sid       = "ReadOnly"
      actions   = ["ec2:Describe*", "eks:DescribeCluster"]
      resources = ["*"]
    },
    {
      sid       = "BreakGlass"
      actions   = ["*"]
      resources = ["*"]
    },
  ]
}

data "aws_iam_policy_document" "break_glass" {
  dynamic "statement" {
    for_each = local.break_glass_statements
    content {
      sid       = statement.value.sid
      actions   = statement.value.actions
      resources = statement.value.resources
    }
  }
}

resource "aws_iam_role_policy" "break_glass" {
  role   = aws_iam_role.break_glass.id
  policy = data.aws_iam_policy_document.break_glass.json
}
