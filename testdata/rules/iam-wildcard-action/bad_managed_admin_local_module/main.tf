locals {
  admin_policies = ["arn:aws:iam::aws:policy/AdministratorAccess"]
}

# A local module attaches what its callers pass: AdministratorAccess, through a local.
module "operators" {
  source = "./modules/iam-group"

  name        = "operators"
  policy_arns = local.admin_policies
}
