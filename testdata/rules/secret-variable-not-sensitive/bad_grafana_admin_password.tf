# The audit's M8: the Grafana admin password reaches `helm_release` and shows in every plan.
variable "grafana_admin_password" {
  type        = string
  description = "Admin password of the platform Grafana"
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
