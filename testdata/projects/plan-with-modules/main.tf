module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.0"

  cluster_name                   = "platform"
  cluster_endpoint_public_access = true
}

module "app" {
  source = "./modules/app"
}
