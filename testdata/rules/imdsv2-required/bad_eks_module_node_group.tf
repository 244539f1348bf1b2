module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.0"

  cluster_name = "platform"

  eks_managed_node_groups = {
    general = {
      instance_types = ["m6i.large"]
    }
    legacy = {
      instance_types = ["m5.large"]
      metadata_options = {
        http_endpoint               = "enabled"
        http_tokens                 = "optional"
        http_put_response_hop_limit = 2
      }
    }
  }
}
