module "ci_role" {
  source = "../../modules/iam-role"

  name = "ci"

  trust_policy_permissions = {
    GithubOidc = {
      actions = ["sts:AssumeRoleWithWebIdentity"]
      principals = [{
        type        = "Federated"
        identifiers = ["arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"]
      }]
      condition = [{
        test     = "StringLike"
        variable = "token.actions.githubusercontent.com:sub"
        values   = ["repo:example-org/platform:ref:refs/heads/main"]
      }]
    }
  }

  create_inline_policy = true
  inline_policy_permissions = {
    ReadArtifacts = {
      actions   = ["s3:GetObject", "s3:ListBucket"]
      resources = ["arn:aws:s3:::example-artifacts", "arn:aws:s3:::example-artifacts/*"]
    }
    # A true finding, reported at this argument: every EKS action.
    ManageClusters = {
      actions   = ["eks:*"]
      resources = ["*"]
    }
  }

  policies = {
    ReadOnly = "arn:aws:iam::aws:policy/ReadOnlyAccess"
  }
}

module "admin_role" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role"
  version = "~> 6.0"

  name = "break-glass"

  trust_policy_permissions = {
    Account = {
      actions = ["sts:AssumeRole"]
      principals = [{
        type        = "AWS"
        identifiers = ["arn:aws:iam::123456789012:root"]
      }]
      condition = [{
        test     = "Bool"
        variable = "aws:MultiFactorAuthPresent"
        values   = [true]
      }]
    }
  }

  # A true finding: the AWS managed AdministratorAccess, reported at the ARN.
  policies = {
    Admin = "arn:aws:iam::aws:policy/AdministratorAccess"
  }
}

module "deploy_role" {
  source = "../../modules/iam-role"

  name = "deploy"

  trust_policy_permissions = {
    Ci = {
      actions = ["sts:AssumeRole"]
      principals = [{
        type        = "AWS"
        identifiers = ["arn:aws:iam::123456789012:role/ci"]
      }]
    }
  }

  # A true finding, reported at the ARN with the module's attachment as related information:
  # PowerUserAccess allows everything but IAM and Organizations.
  policies = {
    PowerUser = "arn:aws:iam::aws:policy/PowerUserAccess"
  }
}

module "cluster" {
  source = "../../modules/eks-cluster"

  name        = "platform"
  kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"

  iam_role_additional_policies = {
    AmazonEKSVPCResourceController = "arn:aws:iam::aws:policy/AmazonEKSVPCResourceController"
  }
}

module "alerts" {
  source = "../../modules/sns"
  name   = "alerts"
}
