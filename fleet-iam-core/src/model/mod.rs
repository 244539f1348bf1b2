//! The one located model every input is parsed into, and every rule reads.

pub mod plan;
pub mod policy;
pub mod template;
pub mod terraform;
pub mod value;

pub use plan::{Plan, PlanOutput, PlanResource, PlanVariable};
pub use policy::{Condition, Effect, Element, Elements, Policy, PolicyKind, Principal, Problem, Statement};
pub use terraform::{Attribute, Block, Body, Credential, Module, VarSource, VarValue};
pub use value::{At, Call, Entry, Key, Number, Operation, SourceId, Value, ValueKind};
