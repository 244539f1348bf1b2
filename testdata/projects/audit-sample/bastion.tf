resource "aws_instance" "bastion" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.micro"
  subnet_id     = "subnet-0a1b2c3d4e5f60718"

  tags = {
    Name = "platform-bastion"
  }
}
