variable "invoker" {
  type    = string
  default = "*"
}

# Meant for an API Gateway, but nothing says which one: any account can invoke it.
resource "aws_lambda_permission" "api" {
  statement_id  = "AllowInvoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.orders.function_name
  principal     = var.invoker
}

# A public function URL.
resource "aws_lambda_permission" "url" {
  statement_id           = "FunctionURLAllowPublicAccess"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = aws_lambda_function.webhook.function_name
  principal              = "*"
  function_url_auth_type = "NONE"
  source_account         = null
}
