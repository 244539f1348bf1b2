variable "environment" {
  type    = string
  default = "staging"
}

locals {
  public_api = var.environment == "prod" ? false : true
}

resource "aws_eks_cluster" "platform" {
  name     = "platform"
  role_arn = aws_iam_role.cluster.arn
  version  = "1.31"

  vpc_config {
    subnet_ids = var.private_subnet_ids
    endpoint_public_access = local.public_api
  }
}
