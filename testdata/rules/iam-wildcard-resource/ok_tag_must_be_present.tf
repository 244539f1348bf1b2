# The AWS Load Balancer Controller's policy, as terraform-aws-modules/iam writes it: a write on
# "*" is scoped by requiring the cluster's tag on the resource (`Null` ... `false`), the
# attribute-based access control AWS documents for this controller.
data "aws_iam_policy_document" "load_balancer_controller" {
  statement {
    actions = [
      "ec2:AuthorizeSecurityGroupIngress",
      "ec2:RevokeSecurityGroupIngress",
      "ec2:DeleteSecurityGroup",
    ]
    resources = ["*"]

    condition {
      test     = "Null"
      variable = "aws:ResourceTag/elbv2.k8s.aws/cluster"
      values   = ["false"]
    }
  }

  statement {
    actions = [
      "elasticloadbalancing:CreateLoadBalancer",
      "elasticloadbalancing:CreateTargetGroup",
    ]
    resources = ["*"]

    condition {
      test     = "Null"
      variable = "aws:RequestTag/elbv2.k8s.aws/cluster"
      values   = ["false"]
    }
  }
}

resource "aws_iam_policy" "load_balancer_controller" {
  name   = "load-balancer-controller"
  policy = data.aws_iam_policy_document.load_balancer_controller.json
}
