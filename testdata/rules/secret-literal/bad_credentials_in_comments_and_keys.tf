# CI bot for the deploy pipeline.
# Old token, revoked? ghp_R8mKq2Vx7LwN4pZs9TbY3cHd6FgJ1aUe5WiX
resource "aws_ssm_parameter" "bot_token" {
  name  = "/ci/deploy-bot/token"
  type  = "SecureString"
  value = var.bot_token

  tags = {
    team                   = "platform"
    "AKIAZ7Q2RM4XK3PLWB6D" = "legacy-ci-user" // key id kept as a tag "for reference"
  }
}

variable "bot_token" {
  type      = string
  sensitive = true
}
