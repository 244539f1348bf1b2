resource "aws_eks_cluster" "platform" {
  name     = "platform"
  role_arn = "arn:aws:iam::123456789012:role/eks-cluster"
  vpc_config {
    subnet_ids = ["subnet-0a1b2c3d"]
    # fleet-iam-ignore: eks-public-endpoint -- until the VPN lands (expires next quarter)
    endpoint_public_access = true
  }
}
