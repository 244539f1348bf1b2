module "db" {
  source  = "terraform-aws-modules/rds/aws"
  version = "~> 6.0"

  identifier = "app"
}

output "db" {
  value = {
    endpoint = module.db.db_instance_endpoint
    password = module.db.db_instance_master_password
  }
}
