variable "environment" {
  type = string
}

variable "alertmanager_slack" {
  type        = string
  description = "Where Alertmanager posts alerts"
  default     = ""
}
