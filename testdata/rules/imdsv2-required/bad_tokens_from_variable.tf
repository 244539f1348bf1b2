variable "imds_tokens" {
  type    = string
  default = "optional"
}

resource "aws_launch_template" "app" {
  name_prefix = "app-"
  metadata_options {
    http_tokens = var.imds_tokens
  }
}
