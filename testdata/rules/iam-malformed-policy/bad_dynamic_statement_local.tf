# The collection is a local, so each item is one statement of the rendered policy, and the
# second one names both `actions` and `not_actions`.
locals {
  ci_statements = {
    ReadState = {
      actions   = ["s3:GetObject", "s3:ListBucket"]
      resources = ["arn:aws:s3:::tf-state-prod", "arn:aws:s3:::tf-state-prod/*"]
    }
    LockState = {
      actions     = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"]
      not_actions = ["dynamodb:DeleteTable"]
      resources   = ["arn:aws:dynamodb:eu-west-1:123456789012:table/tf-locks"]
    }
  }
}

data "aws_iam_policy_document" "ci" {
  dynamic "statement" {
    for_each = local.ci_statements

    content {
      sid         = statement.key
      actions     = lookup(statement.value, "actions", null)
      not_actions = lookup(statement.value, "not_actions", null)
      resources   = statement.value.resources
    }
  }
}

resource "aws_iam_policy" "ci" {
  name   = "ci-state"
  policy = data.aws_iam_policy_document.ci.json
}
