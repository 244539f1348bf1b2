//! The one located model every input is parsed into, and every rule reads.

pub mod policy;
pub mod terraform;
pub mod value;

pub use policy::{Condition, Effect, Element, Elements, Policy, PolicyKind, Principal, Problem, Statement};
pub use terraform::{Attribute, Block, Body, Module};
pub use value::{At, Call, Entry, Key, Number, Operation, SourceId, Value, ValueKind};
