module "ingest_worker" {
  source = "./modules/worker"

  name = "ingest"

  inline_policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "Queue",
          "Effect": "Allow",
          "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage"],
          "Resource": "arn:aws:sqs:eu-west-1:123456789012:ingest"
        },
        {
          "Sid": "Results",
          "Effect": "Allow",
          "Action": "dynamodb:*",
          "Resource": "arn:aws:dynamodb:eu-west-1:123456789012:table/results"
        }
      ]
    }
  EOT
}
