//! The rules, one file each, grouped by family.

pub mod eks;
pub mod iam;
pub mod imds;
pub mod parse_error;
pub mod secrets;
pub mod suppression;
