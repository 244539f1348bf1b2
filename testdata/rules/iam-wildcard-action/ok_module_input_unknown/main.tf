variable "deployer_policy" {
  description = "Set by the pipeline"
  type        = string
}

module "policies" {
  source  = "app.terraform.io/acme/policies/aws"
  version = "~> 2.1"
}

module "deployer" {
  source = "./modules/ci-role"

  name        = "github-deployer"
  github_repo = "acme/platform"
  policy      = var.deployer_policy
}

module "admin" {
  source = "./modules/ci-role"

  name        = "github-admin"
  github_repo = "acme/platform"
  policy      = module.policies.admin_json
}

module "templated" {
  source = "./modules/ci-role"

  name        = "github-templated"
  github_repo = "acme/platform"
  policy      = templatefile("${path.module}/policies/${terraform.workspace}.json.tpl", { account = "123456789012" })
}
