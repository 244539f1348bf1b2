resource "aws_launch_template" "nodes" {
  name_prefix   = "platform-nodes-"
  instance_type = "m6i.large"

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = var.imds_tokens
    http_put_response_hop_limit = 2
  }
}

resource "aws_eks_node_group" "general" {
  cluster_name    = aws_eks_cluster.platform.name
  node_group_name = "general"
  node_role_arn   = "arn:aws:iam::123456789012:role/eks-nodes"
  subnet_ids      = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]

  scaling_config {
    desired_size = 3
    max_size     = 6
    min_size     = 2
  }

  launch_template {
    id      = aws_launch_template.nodes.id
    version = aws_launch_template.nodes.latest_version
  }
}

resource "aws_instance" "bastion" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.micro"
  subnet_id     = "subnet-0a1b2c3d"
}
