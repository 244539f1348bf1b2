# The platform cluster. Whether its API is public is decided per environment in tfvars.
resource "aws_eks_cluster" "platform" {
  name     = "platform-${var.environment}"
  role_arn = "arn:aws:iam::123456789012:role/eks-cluster"
  version  = "1.31"

  vpc_config {
    subnet_ids              = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
    endpoint_private_access = true
    endpoint_public_access  = var.public_api
    public_access_cidrs     = var.api_allowed_cidrs
  }
}
