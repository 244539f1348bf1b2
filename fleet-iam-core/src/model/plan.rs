//! A Terraform plan (`terraform show -json`) as the rules see it: each resource instance once,
//! the root variables and outputs, each pointing into the plan's located JSON values.

use super::value::{At, SourceId, Value};
use std::collections::BTreeMap;

/// A plan's resource instance.
#[derive(Debug, Clone)]
pub struct PlanResource<'a> {
    /// `module.eks.aws_eks_cluster.this[0]`.
    pub address: String,
    /// `module.eks`, or `""` in the root module.
    pub module_address: String,
    /// `managed` or `data`.
    pub mode: String,
    /// The resource type.
    pub kind: String,
    /// Where the resource is described in the plan (its `address` value).
    pub header: At,
    /// The planned values.
    pub values: &'a Value,
    /// `after_unknown`, where the plan has it.
    pub unknown: Option<&'a Value>,
    /// `after_sensitive` / `sensitive_values`: which values `terraform plan` masks. `None` in
    /// format `0.1`, which does not say.
    pub sensitive: Option<&'a Value>,
    /// The resource's `expressions` in the plan's `configuration`.
    pub config: Option<&'a Value>,
    /// JSON pointer of `values` in the plan.
    pub pointer: String,
}

/// A root variable of the plan: its value and its declaration.
#[derive(Debug, Clone)]
pub struct PlanVariable<'a> {
    /// The variable's name.
    pub name: String,
    /// Its value (`variables.NAME.value`).
    pub value: &'a Value,
    /// Its declaration in `configuration.root_module.variables`, if present.
    pub declaration: Option<&'a Value>,
}

/// A parsed plan.
#[derive(Debug, Clone)]
pub struct Plan<'a> {
    /// The plan's source.
    pub source: SourceId,
    /// `format_version`.
    pub format: String,
    /// Resource instances, each once.
    pub resources: Vec<PlanResource<'a>>,
    /// Root variables.
    pub variables: Vec<PlanVariable<'a>>,
    /// Root outputs from `output_changes`: name, planned value, and `after_sensitive`.
    pub outputs: Vec<PlanOutput<'a>>,
}

/// A root output of the plan.
#[derive(Debug, Clone)]
pub struct PlanOutput<'a> {
    /// The output's name.
    pub name: String,
    /// Its planned value.
    pub value: &'a Value,
    /// Its `after_sensitive` (`true` when the whole output is sensitive).
    pub sensitive: Option<&'a Value>,
}

impl<'a> Plan<'a> {
    /// The plan's resources grouped by module instance, in module address order: see
    /// `parse::plan::module`.
    pub fn modules(&self) -> Vec<Vec<&PlanResource<'a>>> {
        let mut modules: BTreeMap<&str, Vec<&PlanResource<'a>>> = BTreeMap::new();
        for r in &self.resources {
            modules.entry(&r.module_address).or_default().push(r);
        }
        modules.into_values().collect()
    }
}
