# Meant as "everything but deleting the queue", for the consumer role: it includes changing
# the queue's policy.
data "aws_iam_policy_document" "jobs_queue" {
  statement {
    sid         = "Consumer"
    not_actions = ["sqs:DeleteQueue"]
    resources   = [aws_sqs_queue.jobs.arn]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456789012:role/jobs-consumer"]
    }
  }
}

resource "aws_sqs_queue_policy" "jobs" {
  queue_url = aws_sqs_queue.jobs.id
  policy    = data.aws_iam_policy_document.jobs_queue.json
}
