# The CI role uploads build artifacts; `s3:Put*` also lets it replace the bucket's policy, ACL
# and lifecycle.
data "aws_iam_policy_document" "artifacts" {
  statement {
    sid       = "CIUploads"
    actions   = ["s3:Put*", "s3:GetObject"]
    resources = ["arn:aws:s3:::build-artifacts", "arn:aws:s3:::build-artifacts/*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456789012:role/ci"]
    }
  }
}

resource "aws_s3_bucket_policy" "artifacts" {
  bucket = "build-artifacts"
  policy = data.aws_iam_policy_document.artifacts.json
}
