data "aws_iam_policy_document" "breakglass" {
  statement {
    actions   = ["*:*"]
    resources = ["*"]
  }
}
