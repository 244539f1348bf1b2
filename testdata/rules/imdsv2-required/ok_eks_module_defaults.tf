module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.0"

  cluster_name = "platform"

  eks_managed_node_groups = {
    general = {
      instance_types = ["m6i.large"]
    }
  }
}
