module "external_dns_irsa" {
  source = "./modules/irsa"

  name              = "external-dns"
  oidc_provider_arn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
  service_account   = "kube-system:external-dns"

  policy_statements = [
    {
      sid       = "ChangeRecords"
      actions   = ["route53:ChangeResourceRecordSets"]
      resources = ["*"]
    },
    {
      sid       = "ListZones"
      actions   = ["route53:ListHostedZones", "route53:ListResourceRecordSets"]
      resources = ["*"]
    },
  ]
}
