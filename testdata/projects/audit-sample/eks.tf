resource "aws_eks_cluster" "this" {
  name     = var.cluster_name
  role_arn = "arn:aws:iam::123456789012:role/platform-cluster"

  vpc_config {
    subnet_ids              = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
    endpoint_private_access = true
  }
}
