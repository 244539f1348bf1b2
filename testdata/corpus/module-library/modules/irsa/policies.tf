data "aws_partition" "current" {}

locals {
  partition = data.aws_partition.current.partition
}

# The EBS CSI driver's policy as the AWS documentation gives it: reads on "*", writes scoped
# by tags the driver sets.
data "aws_iam_policy_document" "ebs_csi" {
  statement {
    actions = [
      "ec2:DescribeAvailabilityZones",
      "ec2:DescribeInstances",
      "ec2:DescribeSnapshots",
      "ec2:DescribeTags",
      "ec2:DescribeVolumes",
      "ec2:DescribeVolumesModifications",
    ]
    resources = ["*"]
  }

  statement {
    actions = ["ec2:CreateVolume"]
    resources = ["arn:${local.partition}:ec2:*:*:volume/*"]

    condition {
      test     = "StringLike"
      variable = "aws:RequestTag/ebs.csi.aws.com/cluster"
      values   = [true]
    }
  }

  statement {
    actions   = ["ec2:DeleteVolume"]
    resources = ["*"]

    condition {
      test     = "StringLike"
      variable = "ec2:ResourceTag/ebs.csi.aws.com/cluster"
      values   = [true]
    }
  }
}

# The load balancer controller: writes on "*" that require the cluster's tag.
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
    actions   = ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"]
    resources = ["*"]

    condition {
      test     = "Null"
      variable = "aws:RequestTag/elbv2.k8s.aws/cluster"
      values   = ["false"]
    }
  }

  # Left unscoped, as the controller's policy once shipped it: a true finding.
  statement {
    actions   = ["ec2:CreateSecurityGroup"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "ebs_csi" {
  name   = "ebs-csi"
  policy = data.aws_iam_policy_document.ebs_csi.json
}

resource "aws_iam_policy" "load_balancer_controller" {
  name   = "load-balancer-controller"
  policy = data.aws_iam_policy_document.load_balancer_controller.json
}
