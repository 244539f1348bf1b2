module "deploy_policy" {
  source  = "cloudposse/iam-policy/aws"
  version = "2.0.2"

  namespace = "acme"
  stage     = "prod"
  name      = "deploy"

  iam_policy_enabled = true
  iam_policy = [{
    version   = "2012-10-17"
    policy_id = "deploy"
    statements = [
      {
        sid       = "ListBuckets"
        effect    = "Allow"
        actions   = ["s3:ListAllMyBuckets"]
        resources = ["*"]
      },
      {
        sid       = "WriteReleases"
        effect    = "Allow"
        actions   = ["s3:Put*"]
        resources = ["arn:aws:s3:::acme-releases/*"]
        conditions = [
          {
            test     = "StringEquals"
            variable = "aws:PrincipalOrgID"
            values   = ["o-abcd1234"]
          }
        ]
      },
    ]
  }]
}
