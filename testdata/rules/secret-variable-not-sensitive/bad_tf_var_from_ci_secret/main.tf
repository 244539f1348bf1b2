variable "region" {
  type = string
}

# Set by CI from the repository's secrets (TF_VAR_grafana_admin): nothing in the name says so.
variable "grafana_admin" {
  type        = string
  description = "Initial Grafana admin login"
}

resource "helm_release" "grafana" {
  name       = "grafana"
  repository = "https://grafana.github.io/helm-charts"
  chart      = "grafana"
  namespace  = "monitoring"

  values = [yamlencode({
    adminUser     = "admin"
    adminPassword = var.grafana_admin
  })]
}
