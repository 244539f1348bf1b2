//! The rules, one file each, grouped by family.

pub mod eks;
pub mod helm;
pub mod iam;
pub mod imds;
pub mod parse_error;
pub mod plan;
pub mod secret;
pub mod suppression;
