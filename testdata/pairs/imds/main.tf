resource "aws_instance" "bastion" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.micro"
}

resource "aws_launch_template" "workers" {
  name_prefix = "workers-"
  metadata_options {
    http_tokens                 = "optional"
    http_put_response_hop_limit = 3
  }
}
