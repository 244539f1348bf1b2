# An S3 table bucket module's outputs, passed through by the caller: `version_token` is the
# table's current version (for optimistic concurrency), not a credential.
module "table_bucket" {
  source = "./modules/table-bucket"
}

output "s3_table_version_tokens" {
  description = "The version tokens of the tables"
  value       = module.table_bucket.s3_table_version_tokens
}
