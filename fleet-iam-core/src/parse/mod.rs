//! Parsers: text in, located model out. Parser types never leave this module.

pub mod hcl;
pub mod hcl_pieces;
pub mod json;
pub mod plan;
pub mod policy;
pub mod strings;
pub mod tf_json;
