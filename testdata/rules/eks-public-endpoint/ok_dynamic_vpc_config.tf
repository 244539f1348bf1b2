resource "aws_eks_cluster" "platform" {
  name     = "platform"
  role_arn = aws_iam_role.cluster.arn

  dynamic "vpc_config" {
    for_each = var.vpc_configs
    content {
      subnet_ids             = vpc_config.value.subnet_ids
      endpoint_public_access = vpc_config.value.public
    }
  }
}
