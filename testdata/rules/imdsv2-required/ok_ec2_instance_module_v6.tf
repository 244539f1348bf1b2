module "bastion" {
  source  = "terraform-aws-modules/ec2-instance/aws"
  version = "~> 6.0"

  name          = "bastion"
  instance_type = "t3.micro"
}
