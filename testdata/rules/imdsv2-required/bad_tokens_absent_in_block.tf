resource "aws_launch_configuration" "workers" {
  name_prefix   = "workers-"
  image_id      = "ami-0c55b159cbfafe1f0"
  instance_type = "m5.large"

  metadata_options {
    http_put_response_hop_limit = 1
  }
}
