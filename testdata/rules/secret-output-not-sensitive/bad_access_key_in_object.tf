resource "aws_iam_user" "ci" {
  name = "ci-deployer"
}

resource "aws_iam_access_key" "ci" {
  user = aws_iam_user.ci.name
}

output "ci_credentials" {
  value = {
    access_key_id     = aws_iam_access_key.ci.id
    secret_access_key = aws_iam_access_key.ci.secret
  }
}
