resource "aws_ecs_task_definition" "api" {
  family = "api"
  container_definitions = jsonencode([
    {
      name  = "api"
      image = "registry.internal/api:1.4.2"
      environment = [
        { name = "DB_HOST", value = aws_db_instance.main.address },
        { name = "DB_PASSWORD_SECRET_ARN", value = aws_secretsmanager_secret.db.arn },
        { name = "TOKEN_TTL", value = "3600" },
      ]
      secrets = [
        { name = "DB_PASSWORD", valueFrom = "${aws_secretsmanager_secret.db.arn}:password::" },
      ]
    }
  ])
}

resource "aws_ecs_task_definition" "worker" {
  family                = "worker"
  container_definitions = <<-EOT
    [
      {
        "name": "worker",
        "image": "registry.internal/worker:3.1.0",
        "environment": [
          { "name": "QUEUE_URL", "value": "${aws_sqs_queue.jobs.url}" },
          { "name": "API_TOKEN", "value": "${var.api_token}" }
        ],
        "secrets": [
          { "name": "SIGNING_KEY", "valueFrom": "arn:aws:ssm:eu-west-1:123456789012:parameter/worker/signing_key" }
        ]
      }
    ]
  EOT
}

resource "aws_instance" "app" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.small"

  metadata_options {
    http_tokens = "required"
  }

  user_data = <<-EOF
    #!/bin/bash
    export PGPASSWORD="$(aws ssm get-parameter --with-decryption --name /app/db/password --query Parameter.Value --output text)"
    export API_TOKEN=${api_token}
    export GITHUB_TOKEN=$GITHUB_TOKEN_FROM_IMDS
    DB_PASSWORD=CHANGEME
  EOF
}

resource "aws_instance" "worker" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.small"

  metadata_options {
    http_tokens = "required"
  }

  user_data_base64 = "IyEvYmluL2Jhc2gKZXhwb3J0IEFQUF9FTlY9cHJvZHVjdGlvbgpleHBvcnQgREJfUEFTU1dPUkRfUEFSQU1FVEVSPS9hcHAvZGIvcGFzc3dvcmQK"
}
