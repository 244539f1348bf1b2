# Partition-independent ARNs, as terraform-aws-modules writes them.
data "aws_partition" "current" {}

locals {
  partition            = data.aws_partition.current.partition
  managed_policy_arn   = "arn:${data.aws_partition.current.partition}:iam::aws:policy"
  breakglass_role_name = "breakglass"
}

resource "aws_iam_role_policy_attachment" "breakglass" {
  role       = local.breakglass_role_name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_user_policy_attachment" "terraform" {
  user       = "terraform"
  policy_arn = "${local.managed_policy_arn}/AdministratorAccess"
}
