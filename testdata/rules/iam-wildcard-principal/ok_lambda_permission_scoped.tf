# The caller is named: a service principal with the resource that triggers it, or "*" limited
# to the organization or to a source.
resource "aws_lambda_permission" "from_bucket" {
  statement_id   = "AllowS3Invoke"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.thumbnails.function_name
  principal      = "s3.amazonaws.com"
  source_arn     = aws_s3_bucket.uploads.arn
  source_account = "123456789012"
}

resource "aws_lambda_permission" "organization" {
  statement_id     = "AllowOrgInvoke"
  action           = "lambda:InvokeFunction"
  function_name    = aws_lambda_function.shared.function_name
  principal        = "*"
  principal_org_id = "o-a1b2c3d4e5"
}

resource "aws_lambda_permission" "from_api" {
  statement_id  = "AllowAPIGatewayInvoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.orders.function_name
  principal     = "*"
  source_arn    = "${aws_api_gateway_rest_api.orders.execution_arn}/*/*"
}
