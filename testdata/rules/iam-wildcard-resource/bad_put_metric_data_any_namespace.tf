# No namespace condition: the role can publish into any namespace, including ones alarms watch.
data "aws_iam_policy_document" "metrics" {
  statement {
    sid       = "PublishAppMetrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]
  }
}
