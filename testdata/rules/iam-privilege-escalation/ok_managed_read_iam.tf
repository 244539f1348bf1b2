resource "aws_iam_role_policy_attachment" "iam_read" {
  role       = "access-review"
  policy_arn = "arn:aws:iam::aws:policy/IAMReadOnlyAccess"
}
