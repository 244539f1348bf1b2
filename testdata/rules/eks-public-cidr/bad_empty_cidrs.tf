# An empty list does not close the public endpoint: EKS keeps its default, 0.0.0.0/0.
resource "aws_eks_cluster" "platform" {
  name     = "platform"
  role_arn = aws_iam_role.cluster.arn
  version  = "1.30"

  vpc_config {
    subnet_ids              = var.private_subnet_ids
    endpoint_private_access = true
    endpoint_public_access  = true
    public_access_cidrs     = []
  }
}

variable "api_allowed_cidrs" {
  description = "Ranges that may reach the Kubernetes API; none by default."
  type        = list(string)
  default     = []
}

module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.0"

  cluster_name                         = "tools"
  cluster_version                      = "1.30"
  cluster_endpoint_public_access       = true
  cluster_endpoint_public_access_cidrs = var.api_allowed_cidrs
}
