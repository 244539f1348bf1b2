# terraform-aws-modules/eks v19 has no `iam_role_policy_statements`: the module ignores the key.
module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 19.21"

  cluster_name    = "platform"
  cluster_version = "1.29"

  vpc_id     = "vpc-0a1b2c3d4e5f67890"
  subnet_ids = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]

  eks_managed_node_groups = {
    general = {
      instance_types = ["m6i.large"]

      iam_role_policy_statements = [{
        actions   = ["iam:PassRole"]
        resources = ["*"]
      }]
    }
  }
}
