//! IAM knowledge: the action catalogue (generated data, see `data/README.md`), action
//! matching (whole-service and every-action wildcards, what a pattern grants), and the AWS
//! managed policies (generated data too).

pub mod actions;
pub mod catalogue;
pub mod managed;
