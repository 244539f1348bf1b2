resource "kubernetes_secret" "app" {
  metadata {
    name      = "app"
    namespace = "default"
  }
  data = {
    username = "app"
    password = "k8s-fixture-pw-42"
  }
}

resource "aws_secretsmanager_secret_version" "api" {
  secret_id     = aws_secretsmanager_secret.api.id
  secret_string = jsonencode({ api_key = "fleetiam-fixture-api-key-7f3a9c" })
}

resource "aws_ssm_parameter" "db_password" {
  name  = "/prod/app/db_password"
  type  = "SecureString"
  value = "ssm-fixture-pw-9d2c"
}
