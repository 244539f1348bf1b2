//! The one located model every input is parsed into, and every rule reads: values that know
//! where they were written ([`value`]), Terraform blocks, modules and variable values with their
//! origin ([`terraform`]), IAM policies ([`policy`]) and what their `Deny` statements take away
//! ([`deny`]), plans ([`plan`]), the scanner of `${}` templates ([`template`]), what a module
//! call's `source` and `version` name ([`module_source`]), and the variables CI workflows set
//! from secrets ([`workflow`]). The model depends on nothing else in the crate.

pub mod deny;
pub mod module_source;
pub mod plan;
pub mod policy;
pub mod template;
pub mod terraform;
pub mod value;
pub mod workflow;

pub use plan::{Plan, PlanOutput, PlanResource, PlanVariable};
pub use policy::{AwsManaged, Condition, Effect, Element, Elements, Policy, PolicyKind, Principal, Problem, Statement};
pub use terraform::{Attribute, Block, Body, Credential, Module, VarSource, VarValue};
pub use value::{At, Call, Entry, Key, Number, Operation, SourceId, Value, ValueKind};
pub use workflow::CiSecret;
