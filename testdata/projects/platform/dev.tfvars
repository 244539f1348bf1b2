# Developers reach the dev cluster from anywhere; this is what the audit flagged (M5).
environment       = "dev"
public_api        = true
api_allowed_cidrs = ["0.0.0.0/0"]
imds_tokens       = "optional"
