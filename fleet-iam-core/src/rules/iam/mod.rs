//! H5: wildcard IAM permissions and malformed policies.

pub(crate) mod helpers;
pub mod malformed_policy;
pub mod not_action;
pub mod privilege_escalation;
pub mod sensitive_wildcard;
pub mod service_wildcard;
pub mod unknown_action;
pub mod wildcard_action;
pub mod wildcard_principal;
pub mod wildcard_resource;
