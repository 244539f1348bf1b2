//! IAM knowledge: the action catalogue (generated data, see `data/README.md`), action
//! matching (whole-service and every-action wildcards, what a pattern grants), and the condition
//! keys that limit who a statement lets in.

pub mod actions;
pub mod catalogue;
pub mod conditions;
