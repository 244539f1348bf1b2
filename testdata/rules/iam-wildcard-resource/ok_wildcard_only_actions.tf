data "aws_iam_policy_document" "observer" {
  statement {
    actions = [
      "ec2:DescribeInstances",
      "logs:DescribeLogGroups",
      "ecr:GetAuthorizationToken",
      "sts:GetCallerIdentity",
    ]
    resources = ["*"]
  }
}
