resource "aws_eks_cluster" "platform" {
  name     = "platform"
  role_arn = aws_iam_role.cluster.arn
  version  = "1.31"

  vpc_config {
    subnet_ids = var.private_subnet_ids
    endpoint_public_access = true
  }
}
