data "aws_iam_policy_document" "ci" {
  statement {
    sid       = "ManageCluster"
    actions   = ["eks:*"]
    resources = ["*"]
  }

  statement {
    sid       = "PushImages"
    actions   = ["ecr:PutImage", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload"]
    resources = ["arn:aws:ecr:eu-west-1:123456789012:repository/platform/*"]
  }
}

resource "aws_iam_policy" "ci" {
  name   = "platform-ci"
  policy = data.aws_iam_policy_document.ci.json
}
