variable "pgp_key" {
  type        = string
  default     = ""
  description = "A PGP key to encrypt the secret with; empty for none"
}

resource "aws_iam_user" "ci" {
  name = "ci-deployer"
}

resource "aws_iam_access_key" "ci" {
  user    = aws_iam_user.ci.name
  pgp_key = var.pgp_key != "" ? var.pgp_key : null
}

# Without a PGP key the output is the secret itself.
output "ci_secret_access_key" {
  value = var.pgp_key != "" ? aws_iam_access_key.ci.encrypted_secret : aws_iam_access_key.ci.secret
}
