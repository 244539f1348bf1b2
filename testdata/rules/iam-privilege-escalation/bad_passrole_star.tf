data "aws_iam_policy_document" "deployer" {
  statement {
    actions   = ["eks:CreateNodegroup", "iam:PassRole"]
    resources = ["*"]
  }
}
