module "eks" {
  source = "git::https://github.com/terraform-aws-modules/terraform-aws-eks.git?ref=v17.24.0"

  cluster_name    = "legacy"
  cluster_version = "1.21"
}
