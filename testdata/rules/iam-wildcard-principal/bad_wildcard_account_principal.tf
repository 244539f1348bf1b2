# A wildcard in the account of a principal ARN stands for every AWS account.
resource "aws_iam_role" "deployer" {
  name = "deployer"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::*:root" }
    }]
  })
}

data "aws_iam_policy_document" "images" {
  statement {
    sid = "PullFromCI"
    actions = [
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
    ]
    principals {
      type = "AWS"
      identifiers = [
        "arn:aws:iam::123456789012:role/ci",
        "arn:aws:iam::*:role/ci-runner",
      ]
    }
  }
}

resource "aws_ecr_repository_policy" "images" {
  repository = aws_ecr_repository.images.name
  policy     = data.aws_iam_policy_document.images.json
}
