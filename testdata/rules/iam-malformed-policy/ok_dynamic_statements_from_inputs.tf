# A reusable role module: callers pass extra statements as an input, and each becomes one
# statement of the document. Each item sets either `actions` or `not_actions`, `resources` or
# `not_resources`; the other is null and left out of the rendered policy.
variable "extra_statements" {
  type = list(object({
    sid           = optional(string)
    effect        = optional(string, "Allow")
    actions       = optional(list(string))
    not_actions   = optional(list(string))
    resources     = optional(list(string))
    not_resources = optional(list(string))
    principals = optional(list(object({
      type        = string
      identifiers = list(string)
    })))
    conditions = optional(list(object({
      test     = string
      variable = string
      values   = list(string)
    })), [])
  }))
  default = null
}

variable "queue_statements" {
  type    = any
  default = {}
}

data "aws_iam_policy_document" "worker" {
  statement {
    sid       = "DecryptWithGrant"
    actions   = ["kms:CreateGrant"]
    resources = [aws_kms_key.worker.arn]

    condition {
      test     = "Bool"
      variable = "kms:GrantIsForAWSResource"
      values   = [true]
    }
  }

  dynamic "statement" {
    for_each = var.extra_statements != null ? var.extra_statements : []

    content {
      sid           = statement.value.sid
      effect        = statement.value.effect
      actions       = statement.value.actions
      not_actions   = statement.value.not_actions
      resources     = statement.value.resources
      not_resources = statement.value.not_resources

      dynamic "principals" {
        for_each = statement.value.principals != null ? statement.value.principals : []
        content {
          type        = principals.value.type
          identifiers = principals.value.identifiers
        }
      }

      dynamic "condition" {
        for_each = statement.value.conditions
        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}

resource "aws_iam_role_policy" "worker" {
  role   = aws_iam_role.worker.id
  policy = data.aws_iam_policy_document.worker.json
}

# A queue policy made only of the caller's statements, read with lookup() and try().
data "aws_iam_policy_document" "queue" {
  count = length(var.queue_statements) > 0 ? 1 : 0

  dynamic "statement" {
    for_each = var.queue_statements

    content {
      sid       = try(coalesce(statement.value.sid, statement.key))
      actions   = lookup(statement.value, "actions", null)
      resources = try(statement.value.resources, [aws_sqs_queue.jobs.arn])

      dynamic "principals" {
        for_each = try(statement.value.principals, [])
        content {
          type        = principals.value.type
          identifiers = principals.value.identifiers
        }
      }
    }
  }
}

resource "aws_sqs_queue_policy" "jobs" {
  count     = length(var.queue_statements) > 0 ? 1 : 0
  queue_url = aws_sqs_queue.jobs.id
  policy    = data.aws_iam_policy_document.queue[0].json
}
