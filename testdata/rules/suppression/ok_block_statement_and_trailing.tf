# A block, a policy statement and a single line, each ignored with a reason that has not expired.

# fleet-iam-ignore: iam-service-wildcard, iam-privilege-escalation -- CI manages the cluster and its node roles (expires 2027-03-31)
resource "aws_iam_policy" "ci" {
  name = "ci"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["eks:*", "iam:PassRole"], Resource = "*" }]
  })
}

resource "aws_iam_policy" "ops" {
  name = "ops"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      # fleet-iam-ignore: iam-not-action -- everything but IAM, as agreed in SEC-42
      { Effect = "Allow", NotAction = "iam:*", Resource = "*" },
    ]
  })
}

resource "aws_instance" "bastion" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.micro"
  metadata_options {
    http_tokens = "required"
    http_put_response_hop_limit = 2 # fleet-iam-ignore: imds-hop-limit -- runs a container for the SSM agent
  }
}
