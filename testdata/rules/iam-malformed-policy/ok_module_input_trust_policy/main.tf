data "aws_iam_policy_document" "scheduler_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["123456789012"]
    }
  }
}

module "scheduler_role" {
  source = "./modules/service-role"

  name         = "scheduler"
  trust_policy = data.aws_iam_policy_document.scheduler_trust.json
}
