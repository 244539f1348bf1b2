resource "aws_kms_key" "logs" {
  description = "CloudWatch Logs"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::123456789012:role/log-shipper" }
      Action    = ["kms:Encrypt", "kms:GenerateDataKey*"]
      Resource  = "*"
    }]
  })
}
