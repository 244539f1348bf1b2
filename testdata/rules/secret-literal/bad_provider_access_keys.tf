provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIAFLEETIAMT3STK3Y7"
  secret_key = "fLeEtIaMfIxTuRe/SeCrEt+KeY/0123456789ab"
}
