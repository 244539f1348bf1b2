resource "aws_s3_bucket_policy" "shared" {
  bucket = "shared-artifacts"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::shared-artifacts/*"
      Condition = {
        StringLike           = { "aws:PrincipalOrgID" = "*" }
        StringEqualsIfExists = { "aws:SourceAccount" = "123456789012" }
      }
    }]
  })
}
