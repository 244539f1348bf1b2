# Passed with -var-file=prod.tfvars in CI: Terraform does not load it on its own, but it is
# committed all the same.
db_password = "Pq7-vLm2_Tz9kWx4"
