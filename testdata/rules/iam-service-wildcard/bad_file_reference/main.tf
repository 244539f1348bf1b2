resource "aws_iam_policy" "deploy" {
  name   = "deploy"
  policy = file("${path.module}/policies/deploy.json")
}
