variable "grafana_admin_password" {
  type      = string
  sensitive = true
}

variable "smtp_password" {
  type      = string
  sensitive = true
}

resource "helm_release" "grafana" {
  name       = "grafana"
  repository = "https://grafana.github.io/helm-charts"
  chart      = "grafana"

  set_sensitive {
    name  = "adminPassword"
    value = var.grafana_admin_password
  }
}

# Helm provider v3: list attributes, and write-only values.
resource "helm_release" "grafana_v3" {
  name       = "grafana"
  repository = "https://grafana.github.io/helm-charts"
  chart      = "grafana"

  set_sensitive = [
    { name = "smtp.password", value = var.smtp_password },
  ]

  set_wo = [
    { name = "adminPassword", value = var.grafana_admin_password },
  ]
}
