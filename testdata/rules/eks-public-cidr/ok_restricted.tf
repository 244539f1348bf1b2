resource "aws_eks_cluster" "platform" {
  name     = "platform"
  role_arn = aws_iam_role.cluster.arn
  version  = "1.31"

  vpc_config {
    subnet_ids = var.private_subnet_ids
    endpoint_public_access = true
    public_access_cidrs    = ["10.0.0.0/8", "203.0.113.0/24"]
  }
}
