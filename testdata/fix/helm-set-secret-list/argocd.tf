variable "argocd_admin_password_bcrypt" {
  type      = string
  sensitive = true
}

variable "redis_password" {
  type      = string
  sensitive = true
}

# helm provider v3: `set` is a list of objects.
resource "helm_release" "argocd" {
  name       = "argo-cd"
  repository = "https://argoproj.github.io/argo-helm"
  chart      = "argo-cd"
  namespace  = "argocd"

  set = [
    {
      name  = "server.service.type"
      value = "ClusterIP"
    },
    {
      name  = "configs.secret.argocdServerAdminPassword"
      value = var.argocd_admin_password_bcrypt
    },
  ]
}

resource "helm_release" "redis" {
  name       = "redis"
  repository = "oci://registry-1.docker.io/bitnamicharts"
  chart      = "redis"

  set = [{ name = "auth.password", value = "hunter2hunter2" }]
}

resource "helm_release" "app" {
  name  = "app"
  chart = "./charts/app"

  set = [
    { name = "replicaCount", value = "2" },
    { name = "redis.password", value = var.redis_password },
  ]
  set_sensitive = [
    { name = "db.password", value = var.redis_password },
  ]
}
