# The deploy bot reads its GitHub token (ghp_...) from SSM; rotate it with
# `gh auth refresh`. AWS access key ids start with AKIA and are never committed here.
resource "aws_ssm_parameter" "bot_token" {
  name  = "/ci/deploy-bot/token" # the token itself is set out of band
  type  = "SecureString"
  value = var.bot_token

  tags = {
    team  = "platform"
    owner = "ci-bot"
  }
}

variable "bot_token" {
  type      = string
  sensitive = true
}
