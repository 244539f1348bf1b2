module "events" {
  source  = "terraform-aws-modules/sns/aws"
  version = "~> 7.0"

  name = "bucket-events"

  topic_policy_statements = {
    s3 = {
      actions = ["sns:Publish"]
      principals = [{
        type        = "Service"
        identifiers = ["s3.amazonaws.com"]
      }]
      condition = [{
        test     = "ArnLike"
        variable = "aws:SourceArn"
        values   = ["arn:aws:s3:::acme-uploads"]
      }]
    }
  }

  # Without `create_topic_policy = false` the module builds its own policy and ignores this one.
  topic_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sns:Publish"
      Principal = "*"
      Resource  = "*"
    }]
  })
}
