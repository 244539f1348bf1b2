# `make deploy` runs Terraform somewhere the workflow does not show: every root module of the
# repository that declares the variable is judged.
variable "db_login" {
  type = object({
    username = string
    host     = string
  })
}

variable "api_signing" {
  type = number
}

module "db" {
  source = "./modules/db"
  login  = var.db_login
}
