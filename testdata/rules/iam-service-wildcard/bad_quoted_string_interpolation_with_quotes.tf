resource "aws_iam_role_policy" "app" {
  role   = "app"
  policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"${replace(var.name, "-", "")}\",\"Effect\":\"Allow\",\"Action\":\"eks:*\",\"Resource\":\"*\"}]}"
}
