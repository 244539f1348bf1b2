resource "aws_iam_policy" "guardrail" {
  name = "guardrail"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", Action = ["iam:DeleteRolee"], Resource = "*" }]
  })
}
