# Policies that should not fire: a well-scoped read policy, and a Deny guardrail whose "*"
# removes permissions instead of granting them.

resource "aws_iam_policy" "artifacts_read" {
  name = "platform-ci-artifacts-read"

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ReadArtifacts"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:ListBucket"]
        Resource = ["arn:aws:s3:::example-platform-artifacts", "arn:aws:s3:::example-platform-artifacts/*"]
      },
      {
        Sid      = "DescribeInstances"
        Effect   = "Allow"
        Action   = ["ec2:DescribeInstances"]
        Resource = "*"
      },
    ]
  })
}

resource "aws_iam_policy" "region_guardrail" {
  name = "platform-region-guardrail"

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "DenyOutsideEu"
      Effect   = "Deny"
      Action   = "*"
      Resource = "*"
      Condition = {
        StringNotEquals = { "aws:RequestedRegion" = ["eu-west-1", "eu-central-1"] }
      }
    }]
  })
}
