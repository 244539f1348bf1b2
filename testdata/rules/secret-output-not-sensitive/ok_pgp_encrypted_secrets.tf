resource "aws_iam_user" "ci" {
  name = "ci-deployer"
}

# With `pgp_key`, the provider keeps the secret and the SMTP password encrypted with that key.
resource "aws_iam_access_key" "ci" {
  user    = aws_iam_user.ci.name
  pgp_key = "keybase:fleet_ops"
}

output "ci_secret_access_key" {
  description = "The secret access key, encrypted with the PGP key: base64 --decode | keybase pgp decrypt"
  value       = aws_iam_access_key.ci.encrypted_secret
}

output "ci_ses_smtp_password" {
  value = aws_iam_access_key.ci.encrypted_ses_smtp_password_v4
}

output "ci_secret_key" {
  value = join("", aws_iam_access_key.ci[*].encrypted_secret)
}

output "db_password" {
  description = "Where the database password is kept"
  value       = aws_secretsmanager_secret.db.arn
}
