//! The rules of the tool itself: files that cannot be parsed, and ignore comments that are
//! malformed, unused or expired.

pub mod parse_error;
pub mod suppression;
