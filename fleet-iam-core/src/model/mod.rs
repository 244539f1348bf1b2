//! The one located model every input is parsed into, and every rule reads: values that know
//! where they were written ([`value`]), Terraform blocks, modules and variable values with their
//! origin ([`terraform`]), IAM policies ([`policy`]), plans ([`plan`]), and the scanner of
//! `${}` templates ([`template`]). The model depends on nothing else in the crate.

pub mod plan;
pub mod policy;
pub mod template;
pub mod terraform;
pub mod value;

pub use plan::{Plan, PlanOutput, PlanResource, PlanVariable};
pub use policy::{AwsManaged, Condition, Effect, Element, Elements, Policy, PolicyKind, Principal, Problem, Statement};
pub use terraform::{Attribute, Block, Body, Credential, Module, VarSource, VarValue};
pub use value::{At, Call, Entry, Key, Number, Operation, SourceId, Value, ValueKind};
