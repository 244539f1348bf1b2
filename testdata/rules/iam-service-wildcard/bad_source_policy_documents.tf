data "aws_iam_policy_document" "base" {
  statement {
    actions   = ["ecr:BatchGetImage"]
    resources = ["arn:aws:ecr:eu-west-1:123456789012:repository/app"]
  }
}

data "aws_iam_policy_document" "combined" {
  source_policy_documents = [
    data.aws_iam_policy_document.base.json,
    jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = "eks:*", Resource = "*" }]
    }),
  ]
}

resource "aws_iam_policy" "combined" {
  name   = "combined"
  policy = data.aws_iam_policy_document.combined.json
}
