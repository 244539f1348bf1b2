variable "grafana_admin_password" {
  type = string
}

variable "smtp_password" {
  type = string
}

resource "helm_release" "monitoring" {
  name       = "kube-prometheus-stack"
  repository = "https://prometheus-community.github.io/helm-charts"
  chart      = "kube-prometheus-stack"

  values = [
    yamlencode({
      grafana = {
        adminUser     = "admin"
        adminPassword = var.grafana_admin_password
      }
    }),
    jsonencode({
      grafana = {
        "grafana.ini" = {
          smtp = {
            host     = "smtp.internal:587"
            password = var.smtp_password
          }
        }
      }
    }),
  ]
}
