data "aws_iam_policy_document" "reader" {
  statement {
    actions   = ["s3:GetObjekt", "s3:ListBucket"]
    resources = ["arn:aws:s3:::artifacts", "arn:aws:s3:::artifacts/*"]
  }
}
