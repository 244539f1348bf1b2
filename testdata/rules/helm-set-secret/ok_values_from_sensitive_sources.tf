variable "grafana_admin_password" {
  type      = string
  sensitive = true
}

resource "random_password" "db" {
  length = 32
}

locals {
  grafana_password = var.grafana_admin_password
}

resource "helm_release" "monitoring" {
  name       = "kube-prometheus-stack"
  repository = "https://prometheus-community.github.io/helm-charts"
  chart      = "kube-prometheus-stack"

  # Terraform marks the whole `values` sensitive: the plan shows (sensitive value).
  values = [
    yamlencode({
      grafana = {
        adminPassword = local.grafana_password
        "grafana.ini" = {
          database = {
            password = random_password.db.result
          }
        }
      }
    }),
    <<-EOT
    grafana:
      adminUser: admin
      adminPassword: ${var.grafana_admin_password}
    EOT
  ]
}
