variable "cluster_name" {
  description = "Name of the EKS cluster"
  type        = string
  default     = "platform"
}

variable "grafana_admin_password" {
  description = "Admin password of the Grafana Helm release, set from CI"
  type        = string
}
