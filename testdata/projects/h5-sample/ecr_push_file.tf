# The image-push policy lives in a JSON file next to the module.

resource "aws_iam_policy" "ecr_push" {
  name   = "platform-ci-ecr-push"
  policy = file("${path.module}/policies/ecr-push.json")
}

resource "aws_iam_role_policy_attachment" "ecr_push" {
  role       = aws_iam_role.github_actions.name
  policy_arn = aws_iam_policy.ecr_push.arn
}
