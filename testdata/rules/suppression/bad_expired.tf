resource "aws_instance" "legacy" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.micro"
  metadata_options {
    http_tokens = "optional" // fleet-iam-ignore: imdsv2-required -- vendor AMI needs IMDSv1 (expires 2026-03-31)
  }
}
