variable "name" {
  type = string
}

variable "inline_policy" {
  description = "JSON policy document for the worker's role"
  type        = string
}

resource "aws_iam_role" "worker" {
  name = "${var.name}-worker"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
    }]
  })

  inline_policy {
    name   = "${var.name}-worker"
    policy = var.inline_policy
  }
}
