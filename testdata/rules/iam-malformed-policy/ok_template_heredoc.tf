resource "aws_iam_role_policy" "app" {
  role   = "app"
  policy = <<EOF
{
  "Version": "${var.policy_version}",
  "Statement": [
    {"Effect": "${var.effect}", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::${var.bucket}/*"},
    ${local.extra_statement}
  ]
}
EOF
}
