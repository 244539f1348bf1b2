# AWS's CloudWatch guide scopes PutMetricData with the cloudwatch:namespace condition on "*".
data "aws_iam_policy_document" "metrics" {
  statement {
    sid       = "PublishAppMetrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = ["Payments/API"]
    }
  }
}
