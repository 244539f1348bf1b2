data "aws_iam_policy_document" "ops" {
  statement {
    actions       = ["s3:DeleteObject"]
    not_resources = ["arn:aws:s3:::audit-logs/*"]
  }
}
