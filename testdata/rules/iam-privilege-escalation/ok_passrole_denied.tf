# The instance launcher may start instances, but a guard rail in the same policy takes
# iam:PassRole away again: it cannot hand them a role.
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
        Sid      = "NeverPassRoles"
        Effect   = "Deny"
        Action   = "iam:PassRole"
        Resource = "*"
      },
    ]
  })
}
