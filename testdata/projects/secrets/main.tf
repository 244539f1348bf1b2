variable "grafana_admin_password" {
  type    = string
  default = "Gr4f-Adm1n!x7Rq"
}

variable "db_password" {
  type = string
}

resource "aws_db_instance" "app" {
  identifier     = "app"
  engine         = "postgres"
  instance_class = "db.t3.micro"
  username       = "app"
  password       = "Pq7-vLm2_Tz9kWx4"
}

resource "helm_release" "grafana" {
  name  = "grafana"
  chart = "grafana"

  set {
    name  = "adminPassword"
    value = var.grafana_admin_password
  }
}

resource "aws_instance" "ci_runner" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.small"
  user_data     = <<-EOT
    #!/bin/bash
    export AWS_ACCESS_KEY_ID=AKIAQ2GW7NZRLT4HVXPM
    export GITHUB_TOKEN=ghp_Zq8XkR2mW4nB7vT1yL9pC3sD6fG0hJ5aE2uI
    export SLACK_BOT_TOKEN=xoxb-2481357902-4829105736-Qm7VtR2xLk9PzW4nB8cD3hFj
  EOT
  metadata_options {
    http_tokens = "optional"
  }
}

locals {
  deploy_key = <<-EOT
    -----BEGIN RSA PRIVATE KEY-----
    MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7kd3Rq2Zx8mW
    -----END RSA PRIVATE KEY-----
  EOT
}
