module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.0"

  cluster_name                   = "platform"
  cluster_version                = "1.30"
  cluster_endpoint_public_access = true
  cluster_endpoint_public_access_cidrs = [
    "203.0.113.0/24", # office
    "0.0.0.0/0",      # temporary, for the migration
  ]
}

resource "aws_eks_cluster" "sandbox" {
  name     = "sandbox"
  role_arn = "arn:aws:iam::123456789012:role/eks-cluster"

  vpc_config {
    subnet_ids             = ["subnet-0a1b2c3d"]
    endpoint_public_access = true
    public_access_cidrs    = ["0.0.0.0/0", "::/0", "198.51.100.0/24"]
  }
}

resource "aws_eks_cluster" "open" {
  name     = "open"
  role_arn = "arn:aws:iam::123456789012:role/eks-cluster"

  vpc_config {
    subnet_ids             = ["subnet-0a1b2c3d"]
    endpoint_public_access = true
    public_access_cidrs    = ["0.0.0.0/0"]
  }
}
