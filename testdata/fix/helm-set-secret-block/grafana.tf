variable "grafana_admin_password" {
  type      = string
  sensitive = true
}

resource "helm_release" "grafana" {
  name       = "grafana"
  repository = "https://grafana.github.io/helm-charts"
  chart      = "grafana"
  version    = "8.5.1"
  namespace  = "monitoring"

  set {
    name  = "adminPassword"
    value = var.grafana_admin_password
  }

  # Keep the service internal.
  set {
    name  = "service.type"
    value = "ClusterIP"
  }

  set {
    name  = "env.GF_DATABASE_PASSWORD"
    value = "gr4f4n4-adm1n-pw"
  }
}
