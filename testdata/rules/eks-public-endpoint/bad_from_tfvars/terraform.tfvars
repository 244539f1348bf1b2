environment = "staging"
public_api  = true
