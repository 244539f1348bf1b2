resource "aws_launch_template" "karpenter" {
  name_prefix = "karpenter-"
  metadata_options {
    http_tokens                 = "required"
    http_put_response_hop_limit = 2
  }
  tag_specifications {
    resource_type = "instance"
    tags = {
      "kubernetes.io/cluster/platform" = "owned"
    }
  }
}
