data "aws_iam_policy_document" "ci" {
  statement {
    actions   = ["iam:Put*", "iam:Get*"]
    resources = ["arn:aws:iam::123456789012:role/ci-*"]
  }
}
