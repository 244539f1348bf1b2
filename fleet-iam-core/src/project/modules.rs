//! Module directories: their `.tf` and `.tf.json` files read into one module, its variables
//! assigned, its policies found, and the local modules it calls.

use super::policies::{self, Calls, Inputs};
use super::{Project, Unit, paths, tfvars};
use crate::model::{Block, Module, SourceId, Value, VarSource};
use crate::parse::{Parsed, tf_json};
use crate::rule::Violation;
use crate::source::Sources;
use crate::suppress;
use std::collections::BTreeSet;

/// The `.tf` and `.tf.json` files of a directory, as a module of their top-level blocks, with
/// the JSON values of the `.tf.json` files and the parse errors.
pub(super) fn read(
    project: &Project<'_>,
    texts: &mut Sources<'_>,
    dir: &str,
    ids: &[SourceId],
) -> (Module, Vec<Value>, Vec<(&'static str, Violation)>) {
    let mut module = Module { dir: dir.to_string(), ..Module::default() };
    let (mut json, mut found) = (Vec::new(), Vec::new());
    for &id in ids {
        let Some(source) = texts.read(id.0) else { continue };
        module.credentials.extend(crate::secrets::find_credentials(&source.text).into_iter().map(|c| (id, c)));
        let body = match super::parse(source, id, project.config) {
            Ok(Parsed::Hcl(body)) => body,
            Ok(Parsed::Json(value)) => {
                let body = tf_json::to_body(&value);
                json.push(value);
                body
            }
            Err(violation) => {
                found.push(("parse-error", *violation));
                module.unparsed.push(id);
                continue;
            }
        };
        module.sources.push(id);
        module.blocks.extend(body.blocks);
        for attr in body.attributes {
            let message =
                format!("Terraform accepts no argument at the top level of a file, and refuses `{}` here", attr.name);
            let help = "move it into the block it belongs to (`locals`, a `variable` default, a resource)";
            found.push(("parse-error", Violation::new(attr.key_at, message).help(help)));
            module.stray.push(attr);
        }
    }
    (module, json, found)
}

/// A directory of Terraform files: parsed, its variables assigned, its policies found (also
/// those it passes to the modules it calls, with `calls`), checked; what it makes of its own
/// inputs is left in the unit's `summary` for its callers. A directory read only as a plan's
/// context is checked too (its tfvars and `file()` targets may be checked sources), but what is
/// found in its own files is not reported.
pub(super) fn unit(
    project: &Project<'_>,
    texts: &mut Sources<'_>,
    dir: &str,
    ids: &[SourceId],
    calls: &Calls<'_>,
) -> Unit {
    let root = calls.given.is_none();
    let (mut module, json, mut found) = read(project, texts, dir, ids);
    let mut unit = Unit::default();
    unit.secrets.add_credentials(&module.credentials, texts);
    for &id in &module.unparsed {
        if let Some(source) = texts.get(id.0) {
            unit.secrets.unparsed(id, &source.text);
        }
    }
    // Ignore comments count in every file, also one that does not parse.
    if module.sources.is_empty() {
        unit.directives = suppress::directives(texts, ids, &[], &[]);
        // No block to check, but the text of its files is read for credentials.
        found.extend(project.checker.run(texts, &[], Some(&module), None));
        unit.diagnostics = project.checker.located(texts, found);
        return unit;
    }
    tfvars::assign(&mut module, root, &project.var_files, &project.tfvars, project.config);
    super::workflows::assign(&mut module, root, &project.ci);
    unit.loaded = module
        .vars
        .values()
        .filter_map(|v| match &v.source {
            VarSource::File(name) => Some(name.clone()),
            _ => None,
        })
        .collect();
    // The rules read the values a tfvars file sets in its text.
    for var in module.vars.values() {
        texts.ensure(var.value.at.source.0);
    }
    unit.secrets.add_module(&module, texts);
    json.iter().for_each(|v| unit.secrets.add_value(v, None, texts));
    let mut inputs = Inputs::new(texts, &project.json_by_name, project.config);
    let (policies, consumed, summary) = policies::of_module(&module, &mut inputs, calls);
    unit.summary = summary;
    let (files, errors) = inputs.into_parts();
    files.iter().for_each(|v| unit.secrets.add_value(v, None, texts));
    super::scan_sources(&mut unit.secrets, texts, &consumed, &consumed);
    found.extend(errors.into_iter().map(|v| ("parse-error", v)));
    found.extend(project.checker.run(texts, &policies, Some(&module), None));
    unit.directives = suppress::directives(texts, ids, &[&module], &policies);
    unit.secrets.propagate(texts, ids);
    unit.secrets.propagate(texts, &consumed);
    unit.consumed = consumed;
    unit.diagnostics = project.checker.located(texts, found);
    unit
}

/// A call of a local module: the directory called, and the arguments given.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct LocalCall {
    /// The module's directory, normalised.
    pub dir: String,
    /// The names of the arguments (the module's variables it sets).
    pub args: BTreeSet<String>,
}

/// The local modules a Terraform file calls: none when a cheap test on its text says it cannot
/// call one, or when it does not parse.
pub(super) fn file_calls(project: &Project<'_>, dir: &str, id: SourceId) -> Vec<LocalCall> {
    let mut texts = project.texts();
    let Some(source) = texts.read(id.0) else { return Vec::new() };
    if !may_call_local(&source.text) {
        return Vec::new();
    }
    match super::parse(source, id, project.config) {
        Ok(Parsed::Hcl(body)) => local_calls(dir, &body.blocks).collect(),
        Ok(Parsed::Json(value)) => local_calls(dir, &tf_json::to_body(&value).blocks).collect(),
        Err(_) => Vec::new(),
    }
}

/// The calls that the blocks of a module in `dir` make with a local `source`.
fn local_calls<'b>(dir: &'b str, blocks: &'b [Block]) -> impl Iterator<Item = LocalCall> + 'b {
    /// Arguments of every module call, not variables of the module.
    const META: &[&str] = &["source", "version", "providers", "count", "for_each", "depends_on"];
    blocks.iter().filter(|b| b.ident == "module").filter_map(move |call| {
        let source = call.body.attribute("source").and_then(|a| a.value.as_str())?;
        let local = source.starts_with("./") || source.starts_with("../");
        let args = call.body.attributes.iter().map(|a| a.name.clone()).filter(|n| !META.contains(&n.as_str()));
        local.then(|| LocalCall { dir: paths::join(dir, source), args: args.collect() })
    })
}

/// Whether a Terraform file may call a local module: a cheap test on its text, before parsing
/// it, that must never say no to a file that does. It mentions `modul` other than in
/// `path.module` and has a local path (`./`, or `.\/` as JSON may escape it); any `\u` escape
/// (which can spell either) sends the file to the parser too.
fn may_call_local(text: &str) -> bool {
    if text.contains("\\u") {
        return true;
    }
    let local = text.contains("./") || text.contains(".\\/");
    local && text.match_indices("modul").any(|(i, _)| !text[..i].ends_with("path."))
}
