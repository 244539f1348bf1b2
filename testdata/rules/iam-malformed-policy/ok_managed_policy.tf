# AWSBackupFullAccess has a condition value written as a JSON boolean: AWS's document, not ours.
resource "aws_iam_role_policy_attachment" "backup_admin" {
  role       = "backup-admin"
  policy_arn = "arn:aws:iam::aws:policy/AWSBackupFullAccess"
}
