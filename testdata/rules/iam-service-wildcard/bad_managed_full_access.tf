data "aws_partition" "current" {}

resource "aws_iam_user" "deployer" {
  name = "deployer"
}

resource "aws_iam_user_policy_attachment" "deployer_iam" {
  user       = aws_iam_user.deployer.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/IAMFullAccess"
}

locals {
  data_team_policies = [
    "arn:aws:iam::aws:policy/AmazonS3FullAccess",
    "arn:aws:iam::aws:policy/AmazonAthenaFullAccess",
  ]
}

resource "aws_iam_group_policy_attachment" "data_team" {
  for_each   = toset(local.data_team_policies)
  group      = "data-team"
  policy_arn = each.value
}
