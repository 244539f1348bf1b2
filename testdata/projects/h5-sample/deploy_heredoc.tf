# The deploy step's inline policy, written as a heredoc: it grants every EC2 action.

resource "aws_iam_role_policy" "ci_deploy" {
  name = "platform-ci-deploy"
  role = aws_iam_role.github_actions.id

  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "NodeGroups",
      "Effect": "Allow",
      "Action": "ec2:*",
      "Resource": "*"
    }
  ]
}
EOF
}
