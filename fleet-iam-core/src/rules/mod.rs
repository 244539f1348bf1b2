//! The rules, one file each, grouped by family.

pub mod builtin;
pub mod eks;
pub mod iam;
pub mod imds;
pub mod secrets;
