# Without a version, v18 (public by default) and v20 (private by default) are both possible:
# nothing is reported that is not true for every version.
module "eks" {
  source = "terraform-aws-modules/eks/aws"

  cluster_name = "platform"
}
