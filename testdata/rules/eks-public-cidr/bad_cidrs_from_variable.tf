variable "api_allowed_cidrs" {
  type    = list(string)
  default = ["0.0.0.0/0"]
}

module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "20.8.4"

  cluster_name                         = "platform"
  cluster_endpoint_public_access       = true
  cluster_endpoint_public_access_cidrs = var.api_allowed_cidrs
}
