# The key users' statement of AWS's default key policy: in a key policy these wildcards reach
# only this key's cryptographic operations, not who can use it.
resource "aws_kms_key" "logs" {
  description = "CloudWatch Logs encryption"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Allow use of the key"
      Effect    = "Allow"
      Principal = { Service = "logs.eu-west-1.amazonaws.com" }
      Action = [
        "kms:Encrypt*",
        "kms:Decrypt*",
        "kms:ReEncrypt*",
        "kms:GenerateDataKey*",
        "kms:Describe*",
      ]
      Resource = "*"
    }]
  })
}
