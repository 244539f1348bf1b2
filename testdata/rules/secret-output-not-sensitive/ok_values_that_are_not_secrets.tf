variable "db_password" {
  type = string
}

variable "db_password_arn" {
  type = string
}

resource "random_string" "suffix" {
  length  = 6
  special = false
  upper   = false
}

resource "aws_iam_access_key" "ci" {
  user = "ci-deployer"
}

resource "aws_secretsmanager_secret" "db" {
  name = "prod/db-${random_string.suffix.result}"
}

output "access_key_id" {
  value = aws_iam_access_key.ci.id
}

output "db_secret_arn" {
  value = aws_secretsmanager_secret.db.arn
}

output "password_secret_arn" {
  value = var.db_password_arn
}

output "bucket_suffix" {
  value = random_string.suffix.result
}

output "password_fingerprint" {
  value = sha256(var.db_password)
}

output "password_set" {
  value = var.db_password != "" ? "yes" : "no"
}

output "password_length" {
  value = length(var.db_password)
}

output "encrypted_secret" {
  value = aws_iam_access_key.ci.encrypted_secret
}
