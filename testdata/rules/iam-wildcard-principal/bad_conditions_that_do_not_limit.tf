# Conditions beside principal "*" that look like limits but let anyone in.
data "aws_iam_policy_document" "reports" {
  # Any role named "reporting", in any account.
  statement {
    sid       = "ReportingRoles"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::reports-prod/*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:PrincipalArn"
      values   = ["arn:aws:iam::*:role/reporting"]
    }
  }

  # ForAllValues is true when the key is absent: anyone outside an organization passes.
  statement {
    sid       = "Organization"
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::reports-prod"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "ForAllValues:StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-a1b2c3d4e5"]
    }
  }

  # How the request is made, not who makes it.
  statement {
    sid       = "Website"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::reports-prod/public/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringLike"
      variable = "aws:Referer"
      values   = ["https://reports.example.com/*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["true"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:UserAgent"
      values   = ["reports-exporter/2.1"]
    }
  }
}

resource "aws_s3_bucket_policy" "reports" {
  bucket = "reports-prod"
  policy = data.aws_iam_policy_document.reports.json
}

# kms:CallerAccount names an account only together with kms:ViaService.
resource "aws_kms_key" "reports" {
  description = "reports"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AnyoneOfTheAccount"
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = ["kms:Decrypt"]
      Resource  = "*"
      Condition = { StringEquals = { "kms:CallerAccount" = "123456789012" } }
    }]
  })
}
