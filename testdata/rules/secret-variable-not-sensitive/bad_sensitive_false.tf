variable "slack_webhook_url" {
  type        = string
  description = "Incoming webhook for alerts"
  sensitive   = false
}
