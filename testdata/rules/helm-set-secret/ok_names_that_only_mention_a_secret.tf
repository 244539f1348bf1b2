resource "helm_release" "grafana" {
  name       = "grafana"
  repository = "https://grafana.github.io/helm-charts"
  chart      = "grafana"

  set {
    name  = "admin.existingSecret"
    value = "grafana-admin"
  }

  set {
    name  = "admin.passwordKey"
    value = "admin-password"
  }

  set {
    name  = "server.env[0].value"
    value = var.log_level
  }

  set {
    name  = "serviceAccount.automountServiceAccountToken"
    value = "false"
  }

  set {
    name  = "auth.tokenTTL"
    value = "24h"
  }

  dynamic "set" {
    for_each = var.extra_settings
    content {
      name  = set.key
      value = set.value
    }
  }
}
