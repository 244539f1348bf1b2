# Helm provider v3: `set` is a list attribute.
resource "helm_release" "argocd" {
  name       = "argocd"
  repository = "https://argoproj.github.io/argo-helm"
  chart      = "argo-cd"

  set = [
    { name = "server.service.type", value = "ClusterIP" },
    { name = "configs.secret.argocdServerAdminPassword", value = var.argocd_admin_password_bcrypt },
  ]
}
