# A typo for "s3:*": AWS refuses the document ("Actions/Conditions must be prefaced by a
# vendor"), so this is one malformed policy, not three wildcard findings.
data "aws_iam_policy_document" "artifacts_writer" {
  statement {
    sid       = "ArtifactsBucket"
    actions   = ["s3*"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "artifacts_writer" {
  name   = "artifacts-writer"
  policy = data.aws_iam_policy_document.artifacts_writer.json
}
