module "bastion" {
  source  = "terraform-aws-modules/ec2-instance/aws"
  version = "~> 5.6"

  name          = "bastion"
  instance_type = "t3.micro"
}
