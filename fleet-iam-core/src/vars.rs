//! The value of every variable of every module, as Terraform would assign it: the variable's
//! `default`, then (root modules only) `terraform.tfvars`, `terraform.tfvars.json`,
//! `*.auto.tfvars[.json]` in lexical order, the `--var-file` files in order, then `--var`.
//!
//! A root module is a directory that no other checked module calls as a local module
//! (`source = "./modules/x"`). A called module's variables are set by its caller, which is not
//! followed yet: it keeps only the defaults (which the caller may override).

use crate::config::Config;
use crate::extract::{dir_of, normalize};
use crate::model::{At, Module, SourceId, Value, ValueKind};
use crate::parse::hcl;
use crate::resolve::{VarSource, VarValue};
use crate::source::{Source, Span};
use std::collections::{BTreeMap, BTreeSet};

/// Fills `Module::vars` of every module.
pub fn assign(
    modules: &mut BTreeMap<String, Module>,
    sources: &[Source],
    tfvars: &BTreeMap<SourceId, Vec<(String, Value)>>,
    config: &Config,
) {
    let children = called_locally(modules);
    // Each tfvars file once: its name, directory and load order.
    let files: Vec<(SourceId, &str, String, Option<u8>)> = tfvars
        .keys()
        .filter_map(|id| {
            let name = sources.get(id.0)?.name.as_str();
            let order = config.var_files.iter().position(|f| f == name).map(|i| 3 + i.min(200) as u8);
            Some((*id, name, dir_of(name), order))
        })
        .collect();
    for module in modules.values_mut() {
        let mut vars = BTreeMap::new();
        for block in module.blocks.iter().filter(|b| b.ident == "variable") {
            let Some(name) = block.label(0) else { continue };
            if let Some(default) = block.body.attribute("default") {
                vars.insert(name.to_string(), VarValue { value: default.value.clone(), source: VarSource::Default });
            }
        }
        if !children.contains(&module.dir) {
            let mut files: Vec<(u8, &str, SourceId)> = files
                .iter()
                .filter_map(|(id, name, dir, order)| {
                    let order = match order {
                        Some(order) => *order,
                        None if *dir == module.dir => auto_loaded(name)?,
                        None => return None,
                    };
                    Some((order, *name, *id))
                })
                .collect();
            files.sort();
            for (_, name, id) in files {
                for (var, value) in tfvars.get(&id).into_iter().flatten() {
                    vars.insert(
                        var.clone(),
                        VarValue { value: value.clone(), source: VarSource::File(name.to_string()) },
                    );
                }
            }
            for (name, text) in &config.vars {
                vars.insert(name.clone(), VarValue { value: command_line(text), source: VarSource::CommandLine });
            }
        }
        module.vars = vars;
    }
}

/// The load order of an auto-loaded tfvars file, or `None` when Terraform does not load it.
fn auto_loaded(name: &str) -> Option<u8> {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    match file {
        "terraform.tfvars" => Some(0),
        "terraform.tfvars.json" => Some(1),
        _ if file.ends_with(".auto.tfvars") || file.ends_with(".auto.tfvars.json") => Some(2),
        _ => None,
    }
}

/// Directories that another checked module calls with a local `source`.
fn called_locally(modules: &BTreeMap<String, Module>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for module in modules.values() {
        for call in module.blocks.iter().filter(|b| b.ident == "module") {
            let Some(source) = call.body.attribute("source").and_then(|a| a.value.as_str()) else { continue };
            if source.starts_with("./") || source.starts_with("../") {
                let joined =
                    if module.dir.is_empty() { source.to_string() } else { format!("{}/{source}", module.dir) };
                out.insert(normalize(&joined));
            }
        }
    }
    out
}

/// A `--var` value: HCL for lists, objects, numbers and booleans, a plain string otherwise, as
/// Terraform reads `-var` for a variable of that type.
fn command_line(text: &str) -> Value {
    let at = At::new(SourceId(usize::MAX), Span::default());
    let string = Value::new(at, ValueKind::String(text.to_string()));
    let trimmed = text.trim_start();
    if !trimmed.starts_with(['[', '{']) {
        return string;
    }
    let Ok(body) = hcl::parse(&format!("v = {text}"), SourceId(usize::MAX)) else { return string };
    let Some(attr) = body.attributes.into_iter().next() else { return string };
    let mut value = attr.value;
    value.at = at;
    value
}
