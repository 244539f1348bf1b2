variable "etl_policy" {
  description = "Policy of the ETL job's role, per environment"
  type        = string
}

module "etl" {
  source = "./modules/glue-job"

  name        = "nightly-etl"
  role_policy = var.etl_policy
}
