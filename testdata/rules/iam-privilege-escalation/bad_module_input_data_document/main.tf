data "aws_iam_policy_document" "provisioner" {
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/provisioner:*"]
  }

  statement {
    sid       = "CreateServiceRoles"
    actions   = ["iam:CreateRole", "iam:PassRole", "iam:AttachRolePolicy"]
    resources = ["*"]
  }
}

module "provisioner" {
  source = "./modules/lambda"

  function_name = "provisioner"
  policy_json   = data.aws_iam_policy_document.provisioner.json
}
