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

# AWS's documentation keys grant nothing.
provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIAIOSFODNN7EXAMPLE"
  secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
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
