# The legacy deploy role is frozen while the new pipeline takes over: the Deny takes away
# everything the Allow grants, so the wildcard grants nothing in effect.
data "aws_iam_policy_document" "legacy_deploy" {
  statement {
    sid       = "LegacyDeploy"
    actions   = ["ecs:*", "ecr:*"]
    resources = ["*"]
  }

  statement {
    sid       = "FrozenDuringMigration"
    effect    = "Deny"
    actions   = ["ecs:*", "ecr:*"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "legacy_deploy" {
  role   = aws_iam_role.legacy_deploy.id
  policy = data.aws_iam_policy_document.legacy_deploy.json
}
