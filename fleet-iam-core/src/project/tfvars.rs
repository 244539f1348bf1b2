//! tfvars files, and the value of every variable of every module, as Terraform would assign it: the variable's
//! `default`, then (root modules only) `terraform.tfvars`, `terraform.tfvars.json`,
//! `*.auto.tfvars[.json]` in lexical order, the `--var-file` files in order, then `--var`.
//!
//! A root module is a directory that no other checked module calls as a local module
//! (`source = "./modules/x"`). A called module's variables are set by its callers: it keeps only
//! the defaults here. What the module makes of the values its callers give is read in each
//! caller, where the value is written (`module_inputs`).

use super::paths::dir_of;
use super::{Checker, Entries, Project, Unit};
use crate::config::Config;
use crate::model::{At, Module, SourceId, Value, ValueKind, VarSource, VarValue};
use crate::parse::{Parsed, hcl, tf_json};
use crate::source::{Load, Source, Sources, Span};
use crate::suppress;
use std::collections::BTreeMap;

/// A tfvars file: the variables it sets (`None` when it cannot be read or parsed), its secrets,
/// its ignore comments (also in a file that does not parse) and its parse error.
pub(super) fn read(
    sources: &[Source],
    load: &dyn Load,
    config: &Config,
    checker: &dyn Checker,
    id: SourceId,
) -> (SourceId, Option<Entries>, Unit) {
    let mut unit = Unit::default();
    let mut texts = Sources::new(sources, load);
    let mut entries: Option<Entries> = None;
    if let Some(source) = texts.read(id.0) {
        match super::parse(source, id, config) {
            Ok(Parsed::Hcl(body)) => entries = Some(body.attributes.into_iter().map(|a| (a.name, a.value)).collect()),
            Ok(Parsed::Json(value)) => {
                unit.secrets.add_value(&value, None, &texts);
                let entries_of = value.as_object().unwrap_or_default();
                entries = Some(entries_of.iter().map(|e| (e.key.to_string(), tf_json::template(&e.value))).collect());
            }
            Err(violation) => unit.diagnostics = checker.located(&mut texts, vec![("parse-error", *violation)]),
        }
        unit.directives = suppress::directives(&texts, &[id], &[], &[]);
    }
    for (name, value) in entries.iter().flatten() {
        unit.secrets.add_value(value, Some(name), &texts);
    }
    if let Some(source) = texts.get(id.0) {
        unit.secrets.scan_source(id, source, entries.is_some());
    }
    unit.secrets.propagate(&texts, &[id]);
    unit.unreadable = texts.failures().collect();
    (id, entries, unit)
}

/// A tfvars file that no module loads, as a module of its values only.
pub(super) fn unit(project: &Project<'_>, texts: &mut Sources<'_>, id: SourceId, entries: &[(String, Value)]) -> Unit {
    let name = &project.sources[id.0].name;
    let vars = entries
        .iter()
        .map(|(var, value)| {
            let source = VarSource::File(name.clone());
            (var.clone(), VarValue { value: value.clone(), source })
        })
        .collect();
    let module = Module { dir: format!("{name}#values"), sources: vec![id], vars, ..Module::default() };
    texts.ensure(id.0);
    let found = project.checker.run(texts, &[], Some(&module), None);
    Unit { diagnostics: project.checker.located(texts, found), ..Unit::default() }
}

/// The tfvars files of a check, indexed for [`assign`]: each with its load order and name.
pub struct VarFiles<'a> {
    /// Auto-loaded files (`terraform.tfvars`, `*.auto.tfvars`) by directory.
    auto: BTreeMap<String, Vec<(u8, &'a str, SourceId)>>,
    /// `--var-file` files, which every root module loads.
    explicit: Vec<(u8, &'a str, SourceId)>,
}

impl<'a> VarFiles<'a> {
    /// Indexes the tfvars `ids` of `sources`.
    pub fn new(sources: &'a [Source], ids: impl IntoIterator<Item = SourceId>, config: &Config) -> VarFiles<'a> {
        let mut files = VarFiles { auto: BTreeMap::new(), explicit: Vec::new() };
        for id in ids {
            let Some(name) = sources.get(id.0).map(|s| s.name.as_str()) else { continue };
            if let Some(i) = config.var_files.iter().position(|f| f == name) {
                files.explicit.push((3 + i.min(200) as u8, name, id));
            } else if let Some(order) = auto_loaded(name) {
                files.auto.entry(dir_of(name)).or_default().push((order, name, id));
            }
        }
        files
    }
}

/// Fills `module.vars`: defaults, then for a root module its tfvars files and `--var` values.
pub fn assign(
    module: &mut Module,
    root: bool,
    files: &VarFiles<'_>,
    tfvars: &BTreeMap<SourceId, Vec<(String, Value)>>,
    config: &Config,
) {
    let mut vars = BTreeMap::new();
    for block in module.blocks.iter().filter(|b| b.ident == "variable") {
        let Some(name) = block.label(0) else { continue };
        if let Some(default) = block.body.attribute("default") {
            vars.insert(name.to_string(), VarValue { value: default.value.clone(), source: VarSource::Default });
        }
    }
    if root {
        let mut loaded: Vec<(u8, &str, SourceId)> =
            files.auto.get(&module.dir).into_iter().flatten().chain(&files.explicit).copied().collect();
        loaded.sort();
        for (_, name, id) in loaded {
            for (var, value) in tfvars.get(&id).into_iter().flatten() {
                vars.insert(var.clone(), VarValue { value: value.clone(), source: VarSource::File(name.to_string()) });
            }
        }
        for (name, text) in &config.vars {
            vars.insert(name.clone(), VarValue { value: command_line(text), source: VarSource::CommandLine });
        }
    }
    module.vars = vars;
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

/// A `--var` value: HCL for lists, objects, numbers and booleans, a plain string otherwise, as
/// Terraform reads `-var` for a variable of that type.
pub(crate) fn command_line(text: &str) -> Value {
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
