//! The rules, one file each, grouped by family.

pub mod iam;
pub mod parse_error;
