region          = "eu-west-1"
db_password     = "CHANGE_ME"
db_password_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf"
