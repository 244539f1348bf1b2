resource "tls_private_key" "deploy" {
  algorithm = "ED25519"
}

data "aws_secretsmanager_secret_version" "api" {
  secret_id = "prod/api"
}

resource "kubernetes_secret" "registry" {
  metadata {
    name = "registry"
  }
  data = {
    ".dockerconfigjson" = var.docker_config
  }
}

output "deploy_key" {
  value = tls_private_key.deploy.private_key_openssh
}

output "api_settings" {
  value = jsondecode(data.aws_secretsmanager_secret_version.api.secret_string)
}

output "registry" {
  value = kubernetes_secret.registry.data
}
