# An account password policy's settings, as the iam-account module outputs them: switches and
# numbers about passwords, not passwords.
resource "aws_iam_account_password_policy" "this" {
  minimum_password_length        = 14
  require_symbols                = true
  allow_users_to_change_password = true
  max_password_age               = 90
  password_reuse_prevention      = 24
}

output "iam_account_password_policy_expire_passwords" {
  description = "Indicates whether passwords in the account expire"
  value       = try(aws_iam_account_password_policy.this.expire_passwords, "")
}

output "iam_account_password_policy_minimum_password_length" {
  description = "The minimum length of the account's passwords"
  value       = aws_iam_account_password_policy.this.minimum_password_length
}
