resource "aws_iam_role_policy" "broken" {
  role   = "app"
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",}]
}
EOF
}
