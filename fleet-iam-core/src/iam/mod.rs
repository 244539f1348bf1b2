//! IAM knowledge: the action catalogue (generated data, see `data/README.md`) and action
//! matching (whole-service and every-action wildcards, what a pattern grants).

pub mod actions;
pub mod catalogue;
