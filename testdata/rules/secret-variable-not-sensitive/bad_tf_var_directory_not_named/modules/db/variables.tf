# A module called by the root: its variables are set by the caller, not by TF_VAR_.
variable "db_login" {
  type    = any
  default = null
}

variable "login" {
  type = any
}
