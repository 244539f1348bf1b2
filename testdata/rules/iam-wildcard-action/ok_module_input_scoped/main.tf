locals {
  reader_policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
          "Resource": "arn:aws:ecr:eu-west-1:123456789012:repository/platform/*"
        }
      ]
    }
  EOT
}

data "aws_iam_policy_document" "releaser" {
  statement {
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::acme-releases/*"]
  }
}

module "deployer" {
  source = "./modules/ci-role"

  name        = "github-deployer"
  github_repo = "acme/platform"

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["eks:DescribeCluster"]
      Resource = "arn:aws:eks:eu-west-1:123456789012:cluster/platform"
    }]
  })
}

module "reader" {
  source = "./modules/ci-role"

  name        = "github-reader"
  github_repo = "acme/platform"
  policy      = local.reader_policy
}

module "releaser" {
  source = "./modules/ci-role"

  name        = "github-releaser"
  github_repo = "acme/releases"
  policy      = data.aws_iam_policy_document.releaser.json
}
