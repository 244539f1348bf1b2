variable "grafana_admin_password" {
  type = string
}

resource "helm_release" "grafana" {
  name       = "grafana"
  repository = "https://grafana.github.io/helm-charts"
  chart      = "grafana"

  values = [
    templatefile("${path.module}/grafana-values.yaml.tpl", {
      admin_password = var.grafana_admin_password
      domain         = "grafana.internal"
    }),
  ]
}
