# The same module given read-only and job-function policies: nothing to report.
module "auditors" {
  source = "./modules/iam-group"

  name = "auditors"
  policy_arns = [
    "arn:aws:iam::aws:policy/ReadOnlyAccess",
    "arn:aws:iam::aws:policy/SecurityAudit",
    "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
  ]
}
