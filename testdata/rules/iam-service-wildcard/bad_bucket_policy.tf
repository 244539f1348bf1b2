resource "aws_s3_bucket_policy" "artifacts" {
  bucket = "artifacts-prod"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::123456789012:role/ci" }
      Action    = "s3:*"
      Resource  = ["arn:aws:s3:::artifacts-prod", "arn:aws:s3:::artifacts-prod/*"]
    }]
  })
}
