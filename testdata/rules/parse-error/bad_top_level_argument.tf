# Terraform refuses an argument outside any block; the blocks are still checked.
region = "eu-west-1"

resource "aws_s3_bucket" "logs" {
  bucket = "app-logs"
}
