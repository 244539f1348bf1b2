data "aws_iam_policy_document" "reader" {
  statement {
    actions   = ["S3:getobject", "EC2:Describe*", "sts:GetCallerIdentity"]
    resources = ["*"]
  }
}
