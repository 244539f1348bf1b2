module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 21.0"

  name                         = "platform"
  kubernetes_version           = "1.33"
  endpoint_public_access       = true
  endpoint_public_access_cidrs = ["203.0.113.0/24"]
}
