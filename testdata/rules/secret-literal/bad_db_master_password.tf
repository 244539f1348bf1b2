resource "aws_db_instance" "main" {
  identifier        = "main"
  engine            = "postgres"
  instance_class    = "db.t4g.medium"
  allocated_storage = 20
  username          = "app"
  password          = "hunter2hunter2"
}
