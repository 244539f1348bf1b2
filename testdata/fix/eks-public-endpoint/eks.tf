resource "aws_eks_cluster" "platform" {
  name     = "platform"
  role_arn = "arn:aws:iam::123456789012:role/eks-cluster"
  version  = "1.30"

  vpc_config {
    subnet_ids = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
  }
}

resource "aws_eks_cluster" "sandbox" {
  name     = "sandbox"
  role_arn = "arn:aws:iam::123456789012:role/eks-cluster"

  vpc_config {
    subnet_ids              = ["subnet-0a1b2c3d"]
    endpoint_private_access = false
    endpoint_public_access  = true
    public_access_cidrs     = ["203.0.113.0/24"]
  }
}

module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 18.0"

  cluster_name    = "legacy"
  cluster_version = "1.27"
  vpc_id          = "vpc-0a1b2c3d"
  subnet_ids      = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]

  cluster_endpoint_public_access_cidrs = ["198.51.100.0/24"]
}
