# Environment variables whose values are credentials, written into the code.
resource "aws_lambda_function" "sync" {
  function_name = "sync"
  role          = aws_iam_role.sync.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "sync.zip"

  environment {
    variables = {
      LOG_LEVEL     = "info"
      PARTNER_TOKEN = "Tk-5f2a9c7e1b44d0e8"
    }
  }
}

resource "aws_ecs_task_definition" "api" {
  family = "api"
  container_definitions = jsonencode([
    {
      name  = "api"
      image = "registry.internal/api:1.4.2"
      environment = [
        { name = "SPRING_PROFILES_ACTIVE", value = "prod" },
        { name = "DB_PASSWORD", value = "Pg-fleet-fixture-pw" },
      ]
    }
  ])
}

resource "kubernetes_deployment" "worker" {
  metadata {
    name = "worker"
  }
  spec {
    template {
      metadata {
        name = "worker"
      }
      spec {
        container {
          name  = "worker"
          image = "registry.internal/worker:3.1.0"
          env {
            name  = "API_SECRET"
            value = "3f9c1fleetiamfixture7d2e4b8a6c5d"
          }
        }
      }
    }
  }
}

terraform {
  backend "s3" {
    bucket     = "tfstate-prod"
    key        = "app/terraform.tfstate"
    region     = "eu-west-1"
    access_key = "AKIAFLEETIAMT3STK3Y7"
    token      = "FwoGZXIvYXdzEFleetIamFixtureSessionToken0123"
  }
}
