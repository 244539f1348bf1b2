variable "grafana_admin_password" {
  type      = string
  sensitive = true
}

resource "helm_release" "grafana" {
  name       = "grafana"
  repository = "https://grafana.github.io/helm-charts"
  chart      = "grafana"
  namespace  = "monitoring"

  set {
    name  = "adminPassword"
    value = var.grafana_admin_password
  }
}
