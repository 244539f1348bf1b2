data "aws_iam_policy_document" "stop_dev" {
  statement {
    actions   = ["ec2:StopInstances", "ec2:StartInstances"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/environment"
      values   = ["dev"]
    }
  }
}
