module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = ">= 19.0, < 21.0"

  cluster_name = "platform"
}
