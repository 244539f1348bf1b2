resource "random_password" "db" {
  length           = 32
  override_special = "!#$%&*()-_=+[]{}<>:?"
}

resource "aws_db_instance" "main" {
  identifier     = "main"
  engine         = "postgres"
  instance_class = "db.t4g.medium"
  username       = "app"
  password       = random_password.db.result
}

resource "aws_secretsmanager_secret" "db" {
  name                    = "prod/db/password"
  description             = "Master password of the main database"
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret_version" "db" {
  secret_id = aws_secretsmanager_secret.db.id
  secret_string = jsonencode({
    username = "app"
    password = random_password.db.result
    host     = aws_db_instance.main.address
  })
}

resource "aws_iam_account_password_policy" "strict" {
  minimum_password_length   = 14
  require_symbols           = true
  password_reuse_prevention = 24
}

resource "aws_db_parameter_group" "pg" {
  name   = "pg16"
  family = "postgres16"
  parameter {
    name  = "password_encryption"
    value = "scram-sha-256"
  }
}

resource "aws_instance" "bastion" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  key_name      = "bastion"

  metadata_options {
    http_tokens = "required"
  }

  connection {
    type        = "ssh"
    user        = "ec2-user"
    host        = self.public_ip
    private_key = file("~/.ssh/id_ed25519")
  }
}

variable "ssh_private_key_path" {
  type    = string
  default = "~/.ssh/id_ed25519"
}

variable "deploy_private_key" {
  type    = string
  default = "/run/secrets/deploy_key"
}

resource "kubernetes_deployment" "app" {
  metadata {
    name = "app"
  }
  spec {
    template {
      metadata {
        name = "app"
      }
      spec {
        automount_service_account_token = false
        container {
          name  = "app"
          image = "registry.internal/app:2.3.0"
          env {
            name = "DB_PASSWORD"
            value_from {
              secret_key_ref {
                name = "db"
                key  = "password"
              }
            }
          }
        }
      }
    }
  }
}

locals {
  token_endpoint = "https://auth.internal/oauth2/token"
  secret_name    = "prod/grafana/admin"
  secret_arn     = aws_secretsmanager_secret.db.arn
}
