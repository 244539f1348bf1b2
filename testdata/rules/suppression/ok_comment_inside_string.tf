resource "aws_instance" "web" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.micro"
  user_data     = "#!/bin/bash\n# fleet-iam-ignore: imdsv2-required -- this is a script, not a comment\n"
  metadata_options {
    http_tokens = "required"
  }
}
