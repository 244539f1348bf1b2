# The Deny takes away deleting clusters and services; every other ECS action is still granted,
# and the Deny on the repositories applies only under MFA-less sessions, not always.
data "aws_iam_policy_document" "deploy" {
  statement {
    sid       = "Deploy"
    actions   = ["ecs:*", "ecr:*"]
    resources = ["*"]
  }

  statement {
    sid       = "NoDeletes"
    effect    = "Deny"
    actions   = ["ecs:DeleteCluster", "ecs:DeleteService"]
    resources = ["*"]
  }

  statement {
    sid       = "RegistryNeedsMFA"
    effect    = "Deny"
    actions   = ["ecr:*"]
    resources = ["*"]
    condition {
      test     = "BoolIfExists"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["false"]
    }
  }
}

resource "aws_iam_role_policy" "deploy" {
  role   = aws_iam_role.deploy.id
  policy = data.aws_iam_policy_document.deploy.json
}
