resource "helm_release" "grafana" {
  name       = "grafana"
  repository = "https://grafana.github.io/helm-charts"
  chart      = "grafana"
  namespace  = "monitoring"

  set_sensitive {
    name  = "adminPassword"
    value = var.grafana_admin_password
  }
}
