resource "aws_ecs_task_definition" "bot" {
  family = "chatops-bot"
  container_definitions = jsonencode([{
    name  = "bot"
    image = "registry.internal/chatops-bot:1.4.2"
    environment = [
      { name = "SLACK_BOT_TOKEN", value = "xoxb-2024061500-1234567890-FleetIamFixtureBot" },
      { name = "LOG_LEVEL", value = "info" },
      { name = "DATABASE_URL", value = "postgres://bot:Pg-fleet-fixture-pw@${aws_db_instance.bot.address}:5432/bot" },
    ]
  }])
}

locals {
  alert_webhook = "https://hooks.slack.com/services/T0FLEET01/B0FIXTURE/fleetIamFixtureHook42"
  ci_env = {
    GITHUB_TOKEN = "ghp_FleetIamFixtureToken4Tests0123456789"
    AWS_REGION   = var.region
  }
}
