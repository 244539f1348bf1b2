variable "environment" {
  description = "Deployment environment"
  type        = string
  default     = "staging"
}

variable "public_api" {
  description = "Expose the Kubernetes API on the internet"
  type        = bool
  default     = false
}

variable "api_allowed_cidrs" {
  description = "Who may reach the public Kubernetes API"
  type        = list(string)
  default     = ["10.0.0.0/8"]
}

variable "imds_tokens" {
  description = "IMDS token mode for the worker nodes"
  type        = string
  default     = "required"
}
