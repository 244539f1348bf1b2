resource "aws_iam_role_policy" "nodes" {
  name = "nodes"
  role = aws_iam_role.nodes.id

  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["ec2:*"],
      "Resource": "arn:aws:ec2:${var.region}:${var.account_id}:instance/*"
    }
  ]
}
EOF
}
