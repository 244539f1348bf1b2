resource "aws_instance" "app" {
  for_each      = var.apps
  ami           = each.value.ami
  instance_type = "t3.small"

  dynamic "metadata_options" {
    for_each = [each.value.imds]
    content {
      http_tokens = metadata_options.value.tokens
    }
  }
}
