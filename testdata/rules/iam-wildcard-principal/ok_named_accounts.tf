data "aws_iam_policy_document" "assume_from_tooling" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type = "AWS"
      identifiers = [
        "arn:aws:iam::111122223333:root",
        "arn:aws:iam::111122223333:role/ci-*",
        "444455556666",
        "arn:aws:iam::${var.tooling_account_id}:role/deployer",
      ]
    }
  }
}

resource "aws_iam_role" "deployer" {
  name               = "deployer"
  assume_role_policy = data.aws_iam_policy_document.assume_from_tooling.json
}
