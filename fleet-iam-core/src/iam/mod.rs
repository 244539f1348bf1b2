//! IAM knowledge: the action catalogue (generated data, see `data/README.md`), action
//! matching (whole-service and every-action wildcards, what a pattern grants), the condition
//! keys that limit who a statement lets in, and the AWS managed policies (generated data too).

pub mod actions;
pub mod catalogue;
pub mod conditions;
pub mod managed;
