resource "random_string" "redis_token" {
  length  = 32
  special = false
}

locals {
  redis_url = "rediss://:${random_string.redis_token.result}@cache.internal:6379"
}

output "redis_url" {
  value = local.redis_url
}
