# One statement per bucket, each with the same written actions: one finding, where the
# wildcard is written.
data "aws_iam_policy_document" "uploads" {
  dynamic "statement" {
    for_each = toset(["arn:aws:s3:::uploads-eu", "arn:aws:s3:::uploads-us"])
    content {
      actions   = ["s3:*"]
      resources = [statement.value, "${statement.value}/*"]
    }
  }
}

resource "aws_iam_role_policy" "uploads" {
  role   = aws_iam_role.uploader.id
  policy = data.aws_iam_policy_document.uploads.json
}
