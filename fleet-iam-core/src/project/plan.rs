//! A plan as a unit: each module instance of the plan checked as a module, then what only a
//! plan shows; each finding also points at the block to change in the Terraform sources of the
//! plan's directory (following local module calls and the modules `terraform init` downloaded).

use super::policies::{self, Calls, Inputs};
use super::{Project, Unit, modules, paths};
use crate::model::{At, Module, SourceId};
use crate::parse::{modules_json, plan};
use crate::rule::Violation;
use crate::source::Sources;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// A plan: each module instance checked as a module (in parallel), then what only a plan
/// shows; each finding also points at the block to change in the Terraform sources.
pub(super) fn unit(project: &Project<'_>, texts: &mut Sources<'_>, id: SourceId) -> Unit {
    let mut unit = Unit::default();
    let name = &project.sources[id.0].name;
    let parsed = texts.read(id.0).map(|source| super::parse_json(source, id, project.config));
    if parsed.is_some() {
        let ok: &[SourceId] = if matches!(parsed, Some(Ok(_))) { &[id] } else { &[] };
        super::scan_sources(&mut unit.secrets, texts, &[id], ok);
    }
    let root = match parsed {
        Some(Ok(root)) => root,
        Some(Err(violation)) => {
            unit.diagnostics = project.checker.located(texts, vec![("parse-error", *violation)]);
            return unit;
        }
        None => return unit,
    };
    let plan = plan::read(&root, id);
    let mut found: Vec<(&'static str, Violation)> = plan
        .modules()
        .par_iter()
        .flat_map_iter(|resources| {
            let module = plan::module(&plan, name, resources);
            let mut own = texts.child();
            let mut inputs = Inputs::new(&mut own, &project.json_by_name, project.config);
            let (policies, _, _) = policies::of_module(&module, &mut inputs, &Calls::none());
            project.checker.run(&own, &policies, Some(&module), None)
        })
        .collect();
    found.extend(project.checker.run(texts, &[], None, Some(&plan)));
    let top = project.config.source_dir.clone().unwrap_or_else(|| paths::dir_of(name));
    let downloaded = downloaded_modules(project, texts, &top);
    let mut trees = Trees { project, texts: &mut *texts, modules: BTreeMap::new() };
    for (_, violation) in &mut found {
        if violation.at.source == id
            && let Some(address) = &violation.address
        {
            let labels = declaration(&mut trees, &downloaded, &top, address);
            violation.labels.extend(labels);
        }
    }
    unit.secrets.add_value(&root, None, texts);
    unit.secrets.add_plan(&root, texts);
    unit.secrets.propagate(texts, &[id]);
    unit.diagnostics = project.checker.located(texts, found);
    unit
}

/// The Terraform modules a plan's findings point into, read the first time one is needed.
struct Trees<'s, 'a, 't> {
    project: &'s Project<'a>,
    texts: &'s mut Sources<'t>,
    modules: BTreeMap<String, Module>,
}

impl Trees<'_, '_, '_> {
    fn get(&mut self, dir: &str) -> Option<&Module> {
        if !self.modules.contains_key(dir) {
            let ids = self.project.dirs.get(dir)?;
            let (module, _, _) = modules::read(self.project, self.texts, dir, ids);
            self.modules.insert(dir.to_string(), module);
        }
        self.modules.get(dir)
    }
}

/// Where a plan address is declared in the Terraform sources of `root`: the resource block,
/// following local module calls. For a module from a registry or git, the module call (which
/// holds the inputs to change) and, when `terraform init` left `.terraform/modules/modules.json`
/// and the downloaded module among the sources, the resource block inside it.
fn declaration(
    trees: &mut Trees<'_, '_, '_>,
    downloaded: &BTreeMap<String, String>,
    root: &str,
    address: &str,
) -> Vec<(At, String)> {
    let mut labels = Vec::new();
    let top = paths::normalize(root);
    let mut dir = top.clone();
    let mut key: Vec<&str> = Vec::new();
    let mut rest = address;
    while let Some(after) = rest.strip_prefix("module.") {
        let Some(end) = after.find('.') else { return labels };
        let Some(name) = after[..end].split('[').next() else { return labels };
        rest = &after[end + 1..];
        key.push(name);
        let Some(call) =
            trees.get(&dir).and_then(|m| m.blocks.iter().find(|b| b.ident == "module" && b.label(0) == Some(name)))
        else {
            return labels;
        };
        let source = call.body.attribute("source").and_then(|a| a.value.as_str()).unwrap_or_default();
        if source.starts_with("./") || source.starts_with("../") {
            dir = paths::normalize(&format!("{dir}/{source}"));
            continue;
        }
        labels.push((call.header, format!("`{address}` comes from this module call")));
        let Some(module_dir) = downloaded.get(&key.join(".")) else { return labels };
        dir = module_dir.clone();
    }
    let (ident, rest) = match rest.strip_prefix("data.") {
        Some(r) => ("data", r),
        None => ("resource", rest),
    };
    let Some((kind, name)) = rest.split_once('.') else { return labels };
    let name = name.split('[').next().unwrap_or(name);
    let block = trees.get(&dir).and_then(|m| {
        m.blocks.iter().find(|b| b.ident == ident && b.label(0) == Some(kind) && b.label(1) == Some(name))
    });
    if let Some(block) = block {
        labels.push((block.header, format!("`{address}` is declared here")));
    }
    labels
}

/// What `terraform init` recorded in `ROOT/.terraform/modules/modules.json`, when it is among
/// the sources: the module key path (`eks` or `eks.node_group`) to the directory it downloaded
/// the module to.
fn downloaded_modules(project: &Project<'_>, texts: &mut Sources<'_>, root: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let root = paths::normalize(root);
    let manifest = if root.is_empty() {
        ".terraform/modules/modules.json".to_string()
    } else {
        format!("{root}/.terraform/modules/modules.json")
    };
    let Some(&id) = project.json_by_name.get(&manifest) else { return out };
    let Some(source) = texts.read(id.0) else { return out };
    let Ok(value) = super::parse_json(source, id, project.config) else { return out };
    for module in modules_json::from_value(&value) {
        if module.key.is_empty() {
            continue;
        }
        let joined = if root.is_empty() { module.dir } else { format!("{root}/{}", module.dir) };
        out.insert(module.key, paths::normalize(&joined));
    }
    out
}
