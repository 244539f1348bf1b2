resource "kubernetes_secret" "deploy_key" {
  metadata {
    name = "deploy-key"
  }

  data = {
    "id_rsa" = <<-EOT
      -----BEGIN RSA PRIVATE KEY-----
      MIIEpAIBAAKCAQEAzFleetIamFixtureKeyBody0123456789abcdefABCDEFGH
      ZmxlZXQtaWFtIGZpeHR1cmUga2V5IGJvZHkgZm9yIHRlc3Rz
      -----END RSA PRIVATE KEY-----
    EOT
  }
}
