data "aws_iam_policy_document" "uploader" {
  statement {
    actions = [
      "s3:PutObject",
      "ecr:GetAuthorizationToken",
      "s3:GetObject",
    ]
    resources = ["*"]
  }
}
