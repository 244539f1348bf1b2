data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

locals {
  partition = data.aws_partition.current.partition

  cluster_encryption_statements = {
    Encrypt = {
      actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"]
      resources = [var.kms_key_arn]
    }
  }
}

variable "name" {
  type = string
}

variable "kms_key_arn" {
  type = string
}

variable "endpoint_public_access" {
  description = "Whether the cluster's API server endpoint is public"
  type        = bool
  default     = false
}

variable "iam_role_additional_policies" {
  description = "Additional policies to attach to the cluster role"
  type        = map(string)
  default     = {}
}

data "aws_iam_policy_document" "assume_role_policy" {
  statement {
    sid     = "EKSClusterAssumeRole"
    actions = ["sts:AssumeRole", "sts:TagSession"]

    principals {
      type        = "Service"
      identifiers = ["eks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = "${var.name}-cluster"
  assume_role_policy = data.aws_iam_policy_document.assume_role_policy.json
}

resource "aws_iam_role_policy_attachment" "this" {
  for_each = {
    AmazonEKSClusterPolicy = "arn:${local.partition}:iam::aws:policy/AmazonEKSClusterPolicy"
  }

  policy_arn = each.value
  role       = aws_iam_role.this.name
}

resource "aws_iam_role_policy_attachment" "additional" {
  for_each = var.iam_role_additional_policies

  policy_arn = each.value
  role       = aws_iam_role.this.name
}

data "aws_iam_policy_document" "cluster_encryption" {
  dynamic "statement" {
    for_each = local.cluster_encryption_statements

    content {
      sid       = statement.key
      actions   = statement.value.actions
      resources = statement.value.resources
    }
  }
}

resource "aws_iam_policy" "cluster_encryption" {
  name   = "${var.name}-cluster-encryption"
  policy = data.aws_iam_policy_document.cluster_encryption.json
}

resource "aws_eks_cluster" "this" {
  name     = var.name
  role_arn = aws_iam_role.this.arn

  vpc_config {
    subnet_ids              = []
    endpoint_private_access = true
    endpoint_public_access  = var.endpoint_public_access
  }
}
