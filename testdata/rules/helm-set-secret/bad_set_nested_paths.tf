resource "random_password" "redis" {
  length = 32
}

resource "helm_release" "app" {
  name  = "app"
  chart = "oci://registry.internal/charts/app"

  set {
    name  = "redis.auth.password"
    value = random_password.redis.result
  }

  set {
    name  = "config.oauth.clientSecret"
    value = "${var.oauth_client_secret}"
  }

  set {
    name  = "smtp.password"
    value = "Sm7p-relay-pw-2024"
  }
}
