imds_tokens = "required"
