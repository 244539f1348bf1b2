# Política de despliegue — managed by the platform team
resource "aws_iam_role_policy" "deploy" {
	role = aws_iam_role.deploy.id
	policy = <<-EOT
		{
			"Version": "2012-10-17",
			"Statement": [{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}]
		}
	EOT
}
