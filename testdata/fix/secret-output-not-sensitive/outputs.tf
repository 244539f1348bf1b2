resource "random_password" "master" {
  length  = 32
  special = false
}

resource "aws_iam_access_key" "ci" {
  user = "ci-deployer"
}

output "master_password" {
  description = "The master password of the database"
  value       = random_password.master.result
}

output "ci_secret_access_key" {
  value     = aws_iam_access_key.ci.secret
  sensitive = false # TODO
}

output "database_url" { value = "postgres://app:${random_password.master.result}@db.internal:5432/app" }

output "ci_access_key_id" {
  value = aws_iam_access_key.ci.id
}
