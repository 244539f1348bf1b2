data "aws_iam_policy_document" "breakglass" {
  dynamic "statement" {
    for_each = var.breakglass_enabled ? [1] : []
    content {
      actions   = ["*"]
      resources = ["*"]
    }
  }
}
