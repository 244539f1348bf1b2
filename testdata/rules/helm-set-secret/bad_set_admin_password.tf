# The audit's M8: the Grafana admin password passed with `set`.
variable "grafana_admin_password" {
  type      = string
  sensitive = true
}

resource "helm_release" "grafana" {
  name       = "grafana"
  namespace  = "monitoring"
  repository = "https://grafana.github.io/helm-charts"
  chart      = "grafana"
  version    = "8.5.1"

  set {
    name  = "persistence.enabled"
    value = "true"
  }

  set {
    name  = "adminPassword"
    value = var.grafana_admin_password
  }
}
