variable "name" {
  type = string
}

data "aws_caller_identity" "current" {}

resource "aws_sns_topic" "this" {
  name = var.name
}

# The topic's default policy, in the form AWS writes it.
resource "aws_sns_topic_policy" "this" {
  arn = aws_sns_topic.this.arn

  policy = jsonencode({
    Version = "2008-10-17"
    Id      = "__default_policy_ID"
    Statement = [{
      Sid       = "__default_statement_ID"
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action = [
        "SNS:GetTopicAttributes",
        "SNS:SetTopicAttributes",
        "SNS:AddPermission",
        "SNS:RemovePermission",
        "SNS:DeleteTopic",
        "SNS:Subscribe",
        "SNS:ListSubscriptionsByTopic",
        "SNS:Publish",
      ]
      Resource = aws_sns_topic.this.arn
      Condition = {
        StringEquals = { "AWS:SourceOwner" = data.aws_caller_identity.current.account_id }
      }
    }]
  })
}
