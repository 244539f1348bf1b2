# Read-only AWS managed policies, a customer managed policy of the same name, and
# AdministratorAccess only as a permissions boundary (a limit, not a grant).
resource "aws_iam_role" "auditor" {
  name                 = "auditor"
  assume_role_policy   = data.aws_iam_policy_document.assume.json
  permissions_boundary = "arn:aws:iam::aws:policy/AdministratorAccess"
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456789012:root"]
    }
  }
}

resource "aws_iam_role_policy_attachment" "auditor" {
  for_each = toset([
    "arn:aws:iam::aws:policy/ReadOnlyAccess",
    "arn:aws:iam::aws:policy/SecurityAudit",
    "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
  ])
  role       = aws_iam_role.auditor.name
  policy_arn = each.value
}

resource "aws_iam_role_policy_attachment" "own" {
  role       = aws_iam_role.auditor.name
  policy_arn = "arn:aws:iam::123456789012:policy/AdministratorAccess"
}

variable "extra_policy_arn" {
  description = "Known only at plan time"
  type        = string
}

resource "aws_iam_role_policy_attachment" "extra" {
  role       = aws_iam_role.auditor.name
  policy_arn = var.extra_policy_arn
}
