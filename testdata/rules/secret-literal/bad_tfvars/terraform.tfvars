region           = "eu-west-1"
db_password      = "tfvars-db-pw-2024"
ci_access_key_id = "AKIAFLEETIAMTFVARS23"
