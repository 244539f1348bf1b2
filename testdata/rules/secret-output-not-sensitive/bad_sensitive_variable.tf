# Terraform refuses this plan ("Output refers to sensitive values"); the usual quick fix,
# nonsensitive(), would print the secret.
variable "smtp" {
  type = object({
    host = string
    user = string
  })
  sensitive = true
}

output "smtp_host" {
  value = var.smtp.host
}
