# Values under secret-like names that name, locate or describe a secret without being one.

# Where a secret is kept: SSM parameter names and paths, Chamber keys.
variable "ssm_key_password" {
  type        = string
  default     = "admin/db_password"
  description = "The SSM key under which the database password is saved."
}

variable "ssm_path_auth_token" {
  type    = string
  default = "/elasticache/app/auth_token"
}

variable "chamber_name_token" {
  type        = string
  default     = "spotinst_token"
  description = "Chamber parameter that holds the Spotinst token."
}

variable "db_password_location" {
  type    = string
  default = "/app/db/password"
}

# The name of a Kubernetes Secret, and words that are not credentials.
variable "kube_secret" {
  type    = string
  default = "tailscale"
}

variable "datadog_api_secret_key" {
  type        = string
  default     = "default"
  description = "The name of the Datadog API key in the secret store."
}

resource "aws_cognito_user_pool_client" "web" {
  name         = "web"
  user_pool_id = aws_cognito_user_pool.main.id

  access_token_validity  = 60
  id_token_validity      = 60
  refresh_token_validity = 30

  token_validity_units {
    access_token  = "minutes"
    id_token      = "minutes"
    refresh_token = "days"
  }
}

module "atlantis" {
  source = "./modules/atlantis"

  webhook_enabled       = false
  github_oauth_token    = "NO_TOKEN"
  github_webhooks_token = "NO_TOKEN"
}

resource "kubernetes_deployment" "operator" {
  metadata {
    name = "tailscale-operator"
  }
  spec {
    template {
      metadata {
        name = "tailscale-operator"
      }
      spec {
        container {
          name  = "operator"
          image = "tailscale/k8s-operator:v1.70.0"
          env {
            name  = "OPERATOR_SECRET"
            value = "operator"
          }
          env {
            name  = "CLIENT_SECRET_FILE"
            value = "/oauth/client_secret"
          }
        }
      }
    }
  }
}

# Argo CD notifications read `$slack-token` from their own Secret.
locals {
  notification_slack_service = {
    apiURL   = "https://slack.com/api"
    token    = "$slack-token"
    username = "argocd"
  }
}
