# A key policy whose wildcards let a role rewrite the key's policy and grants: `kms:Put*`
# reaches kms:PutKeyPolicy, `kms:Create*` kms:CreateGrant.
resource "aws_kms_key" "app" {
  description = "Application data"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Allow the deploy role to manage the key"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::123456789012:role/deploy" }
      Action    = ["kms:Put*", "kms:Create*", "kms:Encrypt*"]
      Resource  = "*"
    }]
  })
}
