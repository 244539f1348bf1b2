variable "name" {
  description = "Name of the role and of its policy"
  type        = string
}

variable "github_repo" {
  description = "The repository (`owner/name`) whose workflows may assume the role"
  type        = string
}

variable "policy" {
  description = "The IAM policy document (JSON) the role gets"
  type        = string
}
