//! The IAM action catalogue (generated data) and action pattern matching.

pub mod actions;
pub mod catalogue;
