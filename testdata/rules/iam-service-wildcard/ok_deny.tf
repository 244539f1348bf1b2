data "aws_iam_policy_document" "guardrail" {
  statement {
    effect    = "Deny"
    actions   = ["iam:*", "organizations:*"]
    resources = ["*"]
  }
}
