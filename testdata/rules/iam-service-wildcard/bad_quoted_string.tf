resource "aws_iam_user_policy" "legacy" {
  name   = "legacy-admin"
  user   = "legacy-deployer"
  policy = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"iam:*\", \"Resource\": \"*\"}]}"
}
