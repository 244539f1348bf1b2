# The keys of AWS's documentation, committed in the format AWS issues: a reader copies the
# pattern with a real key. checkov (CKV_AWS_41) reports them too.
provider "aws" {
  alias      = "sandbox"
  region     = "us-east-1"
  access_key = "AKIAIOSFODNN7EXAMPLE"
  secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
}

resource "aws_ssm_parameter" "ci_secret_key" {
  name  = "/ci/aws/secret-access-key"
  type  = "String"
  value = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
}
