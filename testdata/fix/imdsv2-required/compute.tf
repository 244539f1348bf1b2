resource "aws_instance" "bastion" {
  ami                         = "ami-0c55b159cbfafe1f0"
  instance_type               = "t3.micro"
  associate_public_ip_address = false

  tags = {
    Name = "bastion"
  }
}

resource "aws_launch_template" "nodes" {
  name_prefix   = "eks-nodes-"
  image_id      = "ami-0c55b159cbfafe1f0"
  instance_type = "m6i.large"

  metadata_options {
    http_endpoint               = "enabled"
    http_put_response_hop_limit = 2
  }
}

resource "aws_launch_template" "legacy" {
  name_prefix = "legacy-"

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "optional" # the old agent needs IMDSv1
  }
}

variable "http_tokens" {
  type    = string
  default = "optional"
}

resource "aws_instance" "worker" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.large"

  metadata_options {
    http_tokens = var.http_tokens
  }
}
