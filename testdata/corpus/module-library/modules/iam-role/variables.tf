variable "create" {
  description = "Controls if resources should be created"
  type        = bool
  default     = true
}

variable "name" {
  description = "Name of the role"
  type        = string
}

variable "trust_policy_permissions" {
  description = "Trust policy statements of the role, keyed by statement id"
  type = map(object({
    sid           = optional(string)
    actions       = optional(list(string))
    not_actions   = optional(list(string))
    effect        = optional(string, "Allow")
    resources     = optional(list(string))
    not_resources = optional(list(string))
    principals = optional(list(object({
      type        = string
      identifiers = list(string)
    })))
    condition = optional(list(object({
      test     = string
      variable = string
      values   = list(string)
    })))
  }))
  default = null
}

variable "create_inline_policy" {
  description = "Whether to create an inline policy from `inline_policy_permissions`"
  type        = bool
  default     = false
}

variable "inline_policy_permissions" {
  description = "Permission statements of the inline policy, keyed by statement id"
  type        = any
  default     = null
}

variable "policies" {
  description = "Policies to attach to the role, by name and ARN"
  type        = map(string)
  default     = {}
}
