resource "aws_ecs_task_definition" "billing" {
  family                   = "billing"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024
  execution_role_arn       = aws_iam_role.ecs_execution.arn

  container_definitions = <<-EOT
    [
      {
        "name": "billing",
        "image": "registry.internal/billing:2.8.1",
        "essential": true,
        "portMappings": [{ "containerPort": 8080, "protocol": "tcp" }],
        "environment": [
          { "name": "SPRING_PROFILES_ACTIVE", "value": "prod" },
          { "name": "DB_HOST", "value": "billing.cluster-c9.eu-west-1.rds.amazonaws.com" },
          { "name": "DB_PASSWORD", "value": "Ecs-fixture-pw-5k2q" }
        ],
        "secrets": [
          { "name": "STRIPE_API_KEY", "valueFrom": "arn:aws:ssm:eu-west-1:123456789012:parameter/billing/stripe_api_key" }
        ]
      }
    ]
  EOT
}
