# The default topic policy SNS writes still says "2008-10-17": a valid version.
resource "aws_sns_topic_policy" "alerts" {
  arn = aws_sns_topic.alerts.arn
  policy = jsonencode({
    Version = "2008-10-17"
    Id      = "__default_policy_ID"
    Statement = [{
      Sid       = "__default_statement_ID"
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = ["SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:Subscribe", "SNS:Publish"]
      Resource  = aws_sns_topic.alerts.arn
      Condition = { StringEquals = { "AWS:SourceOwner" = "123456789012" } }
    }]
  })
}

data "aws_iam_policy_document" "legacy_bucket" {
  version = "2008-10-17"
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::legacy-reports/*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456789012:role/reporting"]
    }
  }
}

resource "aws_s3_bucket_policy" "legacy" {
  bucket = "legacy-reports"
  policy = data.aws_iam_policy_document.legacy_bucket.json
}
