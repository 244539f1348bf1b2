variable "name" {
  type = string
}

variable "role_policy" {
  description = "Policy document of the service's role"
  type        = string
}

module "role" {
  source = "../iam-role"

  name   = var.name
  policy = var.role_policy
}
