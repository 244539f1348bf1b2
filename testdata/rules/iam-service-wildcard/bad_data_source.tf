data "aws_iam_policy_document" "flux" {
  statement {
    sid       = "Reconcile"
    actions   = ["eks:DescribeCluster", "ec2:*"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "flux" {
  name   = "flux-reconciler"
  policy = data.aws_iam_policy_document.flux.json
}
