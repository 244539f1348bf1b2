resource "aws_iam_policy" "ci" {
  name = "ci"
  policy = jsonencode({
    Version = "2012-10-17"
    # fleet-iam-ignore: iam-service-wildcrd -- the CI role manages the EKS cluster
    Statement = [{ Effect = "Allow", Action = "eks:*", Resource = "*" }]
  })
}
