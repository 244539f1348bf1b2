# A key policy that gives the platform administrators every action on this key. It grants
# nothing outside the key: escalation is a question for identity policies.
resource "aws_kms_key" "secrets" {
  description         = "application secrets"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "KeyAdministrators"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::123456789012:role/platform-admin" }
        Action    = "*"
        Resource  = "*"
      },
      {
        Sid       = "ApplicationUse"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::123456789012:role/app" }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource  = "*"
      },
    ]
  })
}
