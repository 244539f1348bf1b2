resource "aws_iam_policy" "reports" {
  name = "reports-reader"
  policy = jsonencode({
    Version = "2012-10-18"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
      Resource = "arn:aws:s3:::reports/*"
    }]
  })
}
