variable "name" {
  type = string
}

variable "role_policy" {
  type = string
}

resource "aws_iam_role" "this" {
  name = var.name
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "glue.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "this" {
  role   = aws_iam_role.this.id
  policy = var.role_policy
}

resource "aws_glue_job" "this" {
  name     = var.name
  role_arn = aws_iam_role.this.arn

  command {
    script_location = "s3://acme-etl/scripts/${var.name}.py"
  }
}
