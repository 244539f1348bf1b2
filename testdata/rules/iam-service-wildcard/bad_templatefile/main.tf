resource "aws_iam_policy" "deploy" {
  name = "deploy"
  policy = templatefile("${path.module}/deploy.json", {
    repository_arns = [aws_ecr_repository.app.arn]
  })
}
