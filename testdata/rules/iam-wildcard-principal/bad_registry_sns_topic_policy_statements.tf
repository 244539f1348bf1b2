module "alerts" {
  source  = "terraform-aws-modules/sns/aws"
  version = "~> 6.0"

  name = "platform-alerts"

  topic_policy_statements = {
    pub = {
      actions = ["sns:Publish"]
      principals = [{
        type        = "AWS"
        identifiers = ["*"]
      }]
    }

    sub = {
      actions = [
        "sns:Subscribe",
        "sns:ListSubscriptionsByTopic",
      ]

      principals = [{
        type        = "AWS"
        identifiers = ["arn:aws:iam::123456789012:root"]
      }]

      conditions = [{
        test     = "StringLike"
        variable = "sns:Endpoint"
        values   = ["arn:aws:sqs:eu-west-1:123456789012:alerts"]
      }]
    }
  }
}
