# The repository root declares the same name, but the workflow plans stacks/monitoring only.
variable "alertmanager_slack" {
  type    = string
  default = ""
}
