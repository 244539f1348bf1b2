data "aws_iam_policy_document" "uploader" {
  statement {
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::artifacts-prod/*"]
  }
}
