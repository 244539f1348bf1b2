resource "aws_launch_template" "nodes" {
  name_prefix = "eks-nodes-"
  metadata_options {
    http_tokens                 = "required"
    http_put_response_hop_limit = 2
  }
}

resource "aws_eks_node_group" "general" {
  cluster_name    = "platform"
  node_group_name = "general"
  node_role_arn   = aws_iam_role.nodes.arn
  subnet_ids      = var.private_subnet_ids
  scaling_config {
    desired_size = 2
    max_size     = 4
    min_size     = 1
  }
  launch_template {
    id      = aws_launch_template.nodes.id
    version = "$Latest"
  }
}
