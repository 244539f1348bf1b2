variable "db_password" {
  type      = string
  sensitive = true
  default   = ""
}

variable "api_token" {
  type      = string
  sensitive = true
  default   = null
}

# Credentials come from the environment; the arguments are placeholders for a local override.
provider "aws" {
  region     = "eu-west-1"
  access_key = ""
  secret_key = "<set AWS_SECRET_ACCESS_KEY instead>"
  token      = null
}

resource "aws_db_instance" "main" {
  identifier     = "main"
  engine         = "postgres"
  instance_class = "db.t4g.medium"
  username       = "app"
  password       = "REPLACE_ME"

  lifecycle {
    ignore_changes = [password]
  }
}

resource "kubernetes_secret" "app" {
  metadata {
    name = "app"
  }
  data = {
    password = "<set-by-external-secrets>"
    token    = "changeme"
  }
}

locals {
  webhook_url  = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"
  github_token = "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
  db_url       = "postgres://app:${var.db_password}@db.internal:5432/app"
}
