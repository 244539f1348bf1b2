data "aws_partition" "current" {}

locals {
  iam_role_policy_prefix = "arn:${data.aws_partition.current.partition}:iam::aws:policy"
}

resource "aws_iam_role" "developer" {
  name               = "developer"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  managed_policy_arns = [
    "${local.iam_role_policy_prefix}/PowerUserAccess",
  ]
}

resource "aws_iam_role_policy_attachments_exclusive" "operator" {
  role_name   = "operator"
  policy_arns = ["arn:aws:iam::aws:policy/PowerUserAccess"]
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456789012:root"]
    }
  }
}
