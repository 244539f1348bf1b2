etl_policy = <<-EOT
  {
    "Version": "2012-10-17",
    "Statement": [
      {
        "Effect": "Allow",
        "Action": ["glue:*", "s3:GetObject"],
        "Resource": "*"
      }
    ]
  }
EOT
