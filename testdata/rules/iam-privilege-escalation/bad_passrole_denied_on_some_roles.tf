# The Deny covers only the admin roles: every other role of the account can still be passed.
resource "aws_iam_policy" "launcher" {
  name = "instance-launcher"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Launch"
        Effect   = "Allow"
        Action   = ["ec2:RunInstances", "iam:PassRole"]
        Resource = "*"
      },
      {
        Sid      = "NoAdminRoles"
        Effect   = "Deny"
        Action   = "iam:PassRole"
        Resource = "arn:aws:iam::123456789012:role/admin-*"
      },
    ]
  })
}
