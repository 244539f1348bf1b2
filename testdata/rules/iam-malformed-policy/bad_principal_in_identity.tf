resource "aws_iam_policy" "mixed_up" {
  name = "mixed-up"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Resource  = "*"
    }]
  })
}
