//! Terraform plan JSON (`terraform show -json PLANFILE`, format `0.1` to `1.x`) to the model.
//!
//! Every resource instance becomes a [`Block`] with its full address, in a [`Module`] per
//! module instance, so that the resource rules run on plans unchanged. A resource is taken once:
//! from `resource_changes` (its `change.after`), else `planned_values`, else `prior_state`.
//! Resources being deleted are left out. A value that is unknown until apply
//! (`after_unknown`) is `Unknown`, unless the configuration does not set that attribute: then
//! it is absent, as in the `.tf` source, and the provider default is what rules judge.

use crate::model::{
    At, Attribute, Block, Body, Module, Plan, PlanOutput, PlanResource, PlanVariable, SourceId, Value, ValueKind,
};
use std::collections::BTreeSet;
use std::sync::Arc;

/// Reads a plan document.
pub fn read(root: &Value, source: SourceId) -> Plan<'_> {
    Reading(Plan { source, format: String::new(), resources: Vec::new(), variables: Vec::new(), outputs: Vec::new() })
        .read(root)
}

/// A plan being read.
struct Reading<'a>(Plan<'a>);

impl<'a> Reading<'a> {
    fn read(mut self, root: &'a Value) -> Plan<'a> {
        let format = root.get("format_version").and_then(|e| e.value.as_str()).unwrap_or_default().to_string();
        let config_root = root.get("configuration").and_then(|c| c.value.get("root_module")).map(|e| &e.value);
        self.0.format = format;
        let plan = &mut self;
        let mut seen = changed_addresses(root);
        for (i, change) in
            root.get("resource_changes").and_then(|e| e.value.as_list()).unwrap_or_default().iter().enumerate()
        {
            let Some(actions) = actions(change) else { continue };
            let actions: Vec<&str> = actions.iter().filter_map(Value::as_str).collect();
            if str_at(change, "address").is_none() {
                continue;
            }
            if actions.iter().all(|a| matches!(*a, "delete" | "forget")) {
                continue;
            }
            let Some(after) = change.get("change").and_then(|c| c.value.get("after")).map(|e| &e.value) else {
                continue;
            };
            if after.kind == ValueKind::Null {
                continue;
            }
            let get = |key: &str| change.get("change").and_then(|c| c.value.get(key)).map(|e| &e.value);
            plan.push(
                change,
                after,
                get("after_unknown"),
                get("after_sensitive"),
                config_root,
                format!("/resource_changes/{i}/change/after"),
            );
        }
        for (section, values_key) in [("planned_values", "planned_values"), ("prior_state", "values")] {
            let module = root
                .get(section)
                .and_then(|s| if section == "prior_state" { s.value.get(values_key) } else { Some(s) });
            let Some(module) = module.and_then(|m| m.value.get("root_module")) else { continue };
            plan.walk_module(
                &module.value,
                &format!("/{section}{}/root_module", if section == "prior_state" { "/values" } else { "" }),
                config_root,
                &mut seen,
            );
        }
        let declarations = config_root.and_then(|c| c.get("variables")).map(|e| &e.value);
        for var in root.get("variables").and_then(|e| e.value.as_object()).unwrap_or_default() {
            let Some(value) = var.value.get("value") else { continue };
            let declaration = declarations.and_then(|d| d.get(&var.key)).map(|e| &e.value);
            plan.0.variables.push(PlanVariable { name: var.key.to_string(), value: &value.value, declaration });
        }
        for output in root.get("output_changes").and_then(|e| e.value.as_object()).unwrap_or_default() {
            let change = &output.value;
            let Some(value) = change.get("after").map(|e| &e.value) else { continue };
            let sensitive = change.get("after_sensitive").map(|e| &e.value);
            plan.0.outputs.push(PlanOutput { name: output.key.to_string(), value, sensitive });
        }
        self.0
    }

    fn walk_module(
        &mut self,
        module: &'a Value,
        pointer: &str,
        config_root: Option<&'a Value>,
        seen: &mut BTreeSet<String>,
    ) {
        for (i, resource) in
            module.get("resources").and_then(|e| e.value.as_list()).unwrap_or_default().iter().enumerate()
        {
            let Some(address) = str_at(resource, "address") else { continue };
            if !seen.insert(address.to_string()) {
                continue;
            }
            let Some(values) = resource.get("values").map(|e| &e.value) else { continue };
            let sensitive = resource.get("sensitive_values").map(|e| &e.value);
            self.push(resource, values, None, sensitive, config_root, format!("{pointer}/resources/{i}/values"));
        }
        for (i, child) in
            module.get("child_modules").and_then(|e| e.value.as_list()).unwrap_or_default().iter().enumerate()
        {
            self.walk_module(child, &format!("{pointer}/child_modules/{i}"), config_root, seen);
        }
    }

    fn push(
        &mut self,
        entry: &'a Value,
        values: &'a Value,
        unknown: Option<&'a Value>,
        sensitive: Option<&'a Value>,
        config_root: Option<&'a Value>,
        pointer: String,
    ) {
        let Some(address_entry) = entry.get("address") else { return };
        let Some(address) = address_entry.value.as_str() else { return };
        let module_address = str_at(entry, "module_address").map(str::to_string).unwrap_or_else(|| module_of(address));
        let mode = str_at(entry, "mode").unwrap_or("managed").to_string();
        let kind = str_at(entry, "type").unwrap_or_default().to_string();
        let name = str_at(entry, "name").unwrap_or_default();
        let config = config_root.and_then(|root| config_resource(root, &module_address, &mode, &kind, name));
        self.0.resources.push(PlanResource {
            address: address.to_string(),
            module_address,
            mode,
            kind,
            header: address_entry.value.at,
            values,
            unknown,
            sensitive: if self.0.format.starts_with("0.") && sensitive.is_none() { None } else { sensitive },
            config,
            pointer,
        });
    }
}

/// One module instance of [`Plan::modules`] as a model module, its values copied into
/// blocks: built when it is checked and dropped after, so a plan's values are not held twice.
pub fn module(plan: &Plan<'_>, plan_name: &str, resources: &[&PlanResource<'_>]) -> Module {
    let address = resources.first().map_or("", |r| r.module_address.as_str());
    let mut module = Module {
        dir: format!("{plan_name}#{address}"),
        sources: vec![plan.source],
        from_plan: true,
        ..Module::default()
    };
    for r in resources {
        let local_name = r.address.rsplit_once(&format!("{}.", r.kind)).map_or(r.address.as_str(), |(_, n)| n);
        let (ident, labels) = if r.mode == "data" {
            ("data", vec![r.kind.clone(), local_name.to_string()])
        } else {
            ("resource", vec![r.kind.clone(), local_name.to_string()])
        };
        module.blocks.push(Block {
            ident: ident.to_string(),
            labels,
            at: r.values.at,
            header: r.header,
            body: body(r.values, r.unknown, r.config),
            full_address: Some(r.address.clone()),
        });
    }
    module
}

/// The addresses of `resource_changes`: a resource of `planned_values` or `prior_state` at one
/// of them is a copy of that change's `after` or `before`, and is not read.
pub fn changed_addresses(root: &Value) -> BTreeSet<String> {
    let changes = root.get("resource_changes").and_then(|e| e.value.as_list()).unwrap_or_default();
    changes.iter().filter(|c| actions(c).is_some()).filter_map(|c| str_at(c, "address")).map(str::to_string).collect()
}

/// A change's `actions`.
fn actions(change: &Value) -> Option<&[Value]> {
    change.get("change")?.value.get("actions")?.value.as_list()
}

fn str_at<'v>(value: &'v Value, key: &str) -> Option<&'v str> {
    value.get(key)?.value.as_str()
}

/// `module.a["x"].module.b.aws_s3_bucket.this[0]` → `module.a["x"].module.b`.
fn module_of(address: &str) -> String {
    let mut parts = Vec::new();
    let mut rest = address;
    while let Some(after) = rest.strip_prefix("module.") {
        let end = after.find('.').unwrap_or(after.len());
        parts.push(&rest[..7 + end]);
        rest = after.get(end + 1..).unwrap_or_default();
    }
    parts.join(".")
}

/// The `expressions` of a resource in the plan's configuration, following `module_calls`.
fn config_resource<'a>(root: &'a Value, module_address: &str, mode: &str, kind: &str, name: &str) -> Option<&'a Value> {
    let mut module = root;
    for call in module_address.split("module.").map(|p| p.trim_end_matches('.')).filter(|p| !p.is_empty()) {
        let call = call.split('[').next().unwrap_or(call);
        module = &module.get("module_calls")?.value.get(call)?.value.get("module")?.value;
    }
    let wanted = if mode == "data" { format!("data.{kind}.{name}") } else { format!("{kind}.{name}") };
    let resources = module.get("resources")?.value.as_list()?;
    let resource = resources.iter().find(|r| str_at(r, "address") == Some(&wanted))?;
    Some(&resource.get("expressions")?.value)
}

/// Planned values to a body. Objects and lists of objects are nested blocks; `null` is absent.
fn body(values: &Value, unknown: Option<&Value>, config: Option<&Value>) -> Body {
    let mut body = Body::default();
    let entries = values.as_object().unwrap_or_default();
    let unknown_keys = unknown.and_then(Value::as_object).unwrap_or_default();
    let configured = |key: &str| config.is_none_or(|c| c.get(key).is_some());
    for entry in entries {
        let unknown_here = unknown.and_then(|u| u.get(&entry.key)).map(|e| &e.value);
        if unknown_here.is_some_and(|u| u.kind == ValueKind::Bool(true)) {
            if configured(&entry.key) {
                body.attributes.push(attribute(
                    &entry.key,
                    entry.key_at,
                    Value::new(entry.value.at, ValueKind::Unknown),
                ));
            }
            continue;
        }
        let nested_config = config
            .and_then(|c| c.get(&entry.key))
            .map(|e| &e.value)
            .map(|c| c.as_list().and_then(|l| l.first()).unwrap_or(c));
        match &entry.value.kind {
            ValueKind::Null => {}
            ValueKind::Object(_) => {
                body.blocks.push(nested(&entry.key, entry.key_at, &entry.value, unknown_here, nested_config))
            }
            ValueKind::List(items) if !items.is_empty() && items.iter().all(|i| i.as_object().is_some()) => {
                for (i, item) in items.iter().enumerate() {
                    let u = unknown_here.and_then(Value::as_list).and_then(|l| l.get(i));
                    body.blocks.push(nested(&entry.key, entry.key_at, item, u, nested_config));
                }
            }
            _ => body.attributes.push(attribute(&entry.key, entry.key_at, with_unknowns(&entry.value, unknown_here))),
        }
    }
    // Attributes that are entirely unknown are often missing from the values.
    for key in unknown_keys {
        if key.value.kind == ValueKind::Bool(true) && !entries.iter().any(|e| e.key == key.key) && configured(&key.key)
        {
            body.attributes.push(attribute(&key.key, key.key_at, Value::new(key.value.at, ValueKind::Unknown)));
        }
    }
    body
}

fn nested(ident: &str, header: At, value: &Value, unknown: Option<&Value>, config: Option<&Value>) -> Block {
    Block {
        ident: ident.to_string(),
        labels: Vec::new(),
        at: value.at,
        header,
        body: body(value, unknown, config),
        full_address: None,
    }
}

fn attribute(name: &str, key_at: At, value: Value) -> Attribute {
    let at =
        At::new(key_at.source, crate::source::Span::new(key_at.span.start, value.at.span.end.max(key_at.span.end)));
    Attribute { name: name.to_string(), at, key_at, value }
}

/// List elements that `after_unknown` marks become `Unknown`.
fn with_unknowns(value: &Value, unknown: Option<&Value>) -> Value {
    let (Some(items), Some(marks)) = (value.as_list(), unknown.and_then(Value::as_list)) else { return value.clone() };
    let items = items
        .iter()
        .enumerate()
        .map(|(i, item)| match marks.get(i) {
            Some(m) if m.kind == ValueKind::Bool(true) => Value::new(item.at, ValueKind::Unknown),
            _ => item.clone(),
        })
        .collect();
    Value::new(value.at, ValueKind::List(Arc::new(items)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_addresses() {
        assert_eq!(module_of("module.a[\"x\"].module.b.aws_s3_bucket.this[0]"), "module.a[\"x\"].module.b");
        assert_eq!(module_of("aws_s3_bucket.this"), "");
    }
}
