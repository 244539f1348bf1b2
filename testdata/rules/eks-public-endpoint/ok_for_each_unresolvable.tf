resource "aws_eks_cluster" "this" {
  for_each = var.clusters

  name     = each.key
  role_arn = aws_iam_role.cluster.arn

  vpc_config {
    subnet_ids             = each.value.subnet_ids
    endpoint_public_access = each.value.public_api
    public_access_cidrs    = each.value.cidrs
  }
}
