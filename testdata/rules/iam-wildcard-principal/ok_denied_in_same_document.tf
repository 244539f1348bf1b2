# The public read statement is switched off by a Deny for everyone on the same objects.
resource "aws_s3_bucket_policy" "site" {
  bucket = "marketing-site-staging"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "PublicRead"
        Effect    = "Allow"
        Principal = "*"
        Action    = "s3:GetObject"
        Resource  = "arn:aws:s3:::marketing-site-staging/*"
      },
      {
        Sid       = "StagingIsClosed"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = "arn:aws:s3:::marketing-site-staging/*"
      },
    ]
  })
}
