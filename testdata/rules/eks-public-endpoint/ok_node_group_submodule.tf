module "nodes" {
  source  = "terraform-aws-modules/eks/aws//modules/eks-managed-node-group"
  version = "~> 18.0"

  name         = "general"
  cluster_name = "platform"
}
