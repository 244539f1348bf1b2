module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.31"

  cluster_name    = "platform"
  cluster_version = "1.31"

  vpc_id     = "vpc-0a1b2c3d4e5f67890"
  subnet_ids = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]

  eks_managed_node_groups = {
    general = {
      instance_types = ["m6i.large"]
      min_size       = 2
      max_size       = 6
      desired_size   = 3

      iam_role_policy_statements = [
        {
          sid       = "ECRPull"
          effect    = "Allow"
          actions   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
          resources = ["arn:aws:ecr:eu-west-1:123456789012:repository/*"]
        },
        {
          sid       = "NodeBootstrap"
          effect    = "Allow"
          actions   = ["iam:PassRole", "ec2:RunInstances"]
          resources = ["*"]
        },
      ]
    }
  }
}
