variable "db_password" {
  type = string
}

variable "smtp_password" {
  type = string
}

resource "helm_release" "keycloak" {
  name       = "keycloak"
  repository = "oci://registry-1.docker.io/bitnamicharts"
  chart      = "keycloak"

  values = [<<-EOT
    auth:
      adminUser: admin
    externalDatabase:
      host: db.internal
      user: keycloak
      password: ${var.db_password}
    keycloak:
      smtp:
        host: smtp.internal
        password: "${var.smtp_password}"
  EOT
  ]
}
