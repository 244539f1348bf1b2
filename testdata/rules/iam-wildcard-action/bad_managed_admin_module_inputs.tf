# terraform-aws-modules/iam v6: `policies` is a map of policy ARNs to attach.
module "deploy_role" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role"
  version = "~> 6.0"

  name = "deploy"
  trust_policy_permissions = {
    TrustRoleAndServiceToAssume = {
      actions = ["sts:AssumeRole"]
      principals = [{
        type        = "AWS"
        identifiers = ["arn:aws:iam::123456789012:root"]
      }]
    }
  }

  policies = {
    AdministratorAccess = "arn:aws:iam::aws:policy/AdministratorAccess"
    ReadOnlyAccess      = "arn:aws:iam::aws:policy/ReadOnlyAccess"
  }
}

# terraform-aws-modules/iam v5: the switch attaches AdministratorAccess by default.
module "admin_role" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-assumable-role"
  version = "~> 5.0"

  trusted_role_arns   = ["arn:aws:iam::123456789012:root"]
  create_role         = true
  role_name           = "admin"
  role_requires_mfa   = true
  attach_admin_policy = true
}

# terraform-aws-modules/eks: extra policies for the node groups' role.
module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.0"

  cluster_name    = "platform"
  cluster_version = "1.30"

  eks_managed_node_groups = {
    default = {
      instance_types = ["m6i.large"]
      iam_role_additional_policies = {
        AmazonSSMManagedInstanceCore = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
        AdministratorAccess          = "arn:aws:iam::aws:policy/AdministratorAccess"
      }
    }
  }
}
