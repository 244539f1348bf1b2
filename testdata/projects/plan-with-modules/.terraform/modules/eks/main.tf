# A stand-in for the downloaded terraform-aws-modules/eks module: only the resource this test
# points into.
resource "aws_eks_cluster" "this" {
  count    = var.create ? 1 : 0
  name     = var.cluster_name
  role_arn = local.cluster_role

  vpc_config {
    endpoint_private_access = var.cluster_endpoint_private_access
    endpoint_public_access  = var.cluster_endpoint_public_access
    public_access_cidrs     = var.cluster_endpoint_public_access_cidrs
    subnet_ids              = coalescelist(var.control_plane_subnet_ids, var.subnet_ids)
  }
}
