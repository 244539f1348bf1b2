module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.0"

  cluster_name = "platform"

  self_managed_node_groups = {
    gpu = {
      metadata_options = {
        http_tokens                 = "required"
        http_put_response_hop_limit = 4
      }
    }
  }
}
