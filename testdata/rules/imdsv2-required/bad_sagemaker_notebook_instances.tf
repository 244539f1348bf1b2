# SageMaker notebook instances accept IMDSv1 unless version 2 is the minimum.
resource "aws_sagemaker_notebook_instance" "research" {
  name          = "research"
  role_arn      = aws_iam_role.sagemaker.arn
  instance_type = "ml.t3.medium"
}

resource "aws_sagemaker_notebook_instance" "training" {
  name          = "training"
  role_arn      = aws_iam_role.sagemaker.arn
  instance_type = "ml.m5.xlarge"

  instance_metadata_service_configuration {
    minimum_instance_metadata_service_version = "1"
  }
}
