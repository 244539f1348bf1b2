data "aws_iam_policy_document" "readonly" {
  statement {
    actions   = ["ec2:Describe*", "eks:List*", "eks:Describe*"]
    resources = ["*"]
  }
}
