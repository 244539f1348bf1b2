# `Null` = "true" means the tag is absent, and `Null` on a key that is not a tag only says the
# key is present: neither scopes a write on "*" to some resources.
data "aws_iam_policy_document" "controller" {
  statement {
    actions   = ["ec2:DeleteSecurityGroup"]
    resources = ["*"]

    condition {
      test     = "Null"
      variable = "aws:ResourceTag/elbv2.k8s.aws/cluster"
      values   = ["true"]
    }
  }

  statement {
    actions   = ["elasticloadbalancing:DeleteLoadBalancer"]
    resources = ["*"]

    condition {
      test     = "Null"
      variable = "aws:SourceArn"
      values   = ["false"]
    }
  }
}

resource "aws_iam_policy" "controller" {
  name   = "controller"
  policy = data.aws_iam_policy_document.controller.json
}
