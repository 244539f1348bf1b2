//! `check`: parse every source into the model, run the enabled rules, sort the diagnostics.

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Label, Location, Report, Severity};
use crate::extract::{self, Inputs};
use crate::model::{At, Body, Module, Policy, SourceId, Value};
use crate::parse::plan::Plan;
use crate::parse::{hcl, json, strings::OffsetMap, tf_json};
use crate::redact::Secrets;
use crate::registry;
use crate::rule::{Context, Rule, RuleMeta, Violation};
use crate::source::{LineCol, LineIndex, Source, SourceKind, Span};
use crate::suppress;
use crate::vars;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

/// Checks sources together (a module sees its sibling files) and returns every finding of the
/// rules `config` enables, sorted by path, position, then rule. Total: bad input becomes
/// `parse-error` diagnostics, never a panic.
pub fn check(sources: &[Source], config: &Config) -> Report {
    match POOL.as_ref() {
        Some(pool) => pool.install(|| check_all(sources, config)),
        None => check_all(sources, config),
    }
}

/// The workers that parse and check: with a stack large enough for the deepest input the
/// parsers accept (hcl-edit recurses about 2 MiB deep on 63 nested `for` expressions in a debug
/// build, more than rayon's default worker stack).
static POOL: LazyLock<Option<rayon::ThreadPool>> =
    LazyLock::new(|| rayon::ThreadPoolBuilder::new().stack_size(16 << 20).build().ok());

fn check_all(sources: &[Source], config: &Config) -> Report {
    let rules = enabled_rules(config);
    let mut found: Vec<(&'static str, Violation)> = Vec::new();

    let mut json: BTreeMap<SourceId, Value> = BTreeMap::new();
    let mut modules: BTreeMap<String, Module> = BTreeMap::new();
    let mut tfvars: BTreeMap<SourceId, Vec<(String, Value)>> = BTreeMap::new();
    // Files are parsed in parallel, then put together in order.
    let parsed: Vec<Result<Parsed, Box<Violation>>> =
        sources.par_iter().enumerate().map(|(i, source)| parse(source, SourceId(i), config)).collect();
    for ((i, source), parsed) in sources.iter().enumerate().zip(parsed) {
        let id = SourceId(i);
        let body = match parsed {
            Ok(Parsed::Hcl(body)) => body,
            Ok(Parsed::Json(value)) => {
                let body = (source.kind == SourceKind::TfJson).then(|| tf_json::to_body(&value));
                json.insert(id, value);
                match body {
                    Some(body) => body,
                    None => continue,
                }
            }
            // Other JSON (a `package.json`, a template) is only read for `file()`; its syntax
            // is not ours to judge.
            Err(_) if source.kind == SourceKind::OtherJson => continue,
            Err(violation) => {
                found.push(("parse-error", *violation));
                continue;
            }
        };
        match source.kind {
            SourceKind::Hcl | SourceKind::TfJson => {
                let dir = extract::dir_of(&source.name);
                let module = modules.entry(dir.clone()).or_insert_with(|| Module { dir, ..Module::default() });
                module.sources.push(id);
                module.blocks.extend(body.blocks);
            }
            SourceKind::Tfvars => {
                tfvars.insert(id, body.attributes.into_iter().map(|a| (a.name, a.value)).collect());
            }
            _ => {}
        }
    }
    for (id, value) in &json {
        if sources[id.0].kind == SourceKind::TfvarsJson {
            let entries = value.as_object().unwrap_or_default();
            tfvars.insert(*id, entries.iter().map(|e| (e.key.clone(), tf_json::template(&e.value))).collect());
        }
    }
    vars::assign(&mut modules, sources, &tfvars, config);
    // A tfvars file that no module loads (`prod.tfvars` without `--var-file`) is still read for
    // secrets written into it: on its own, as a module of values only.
    let loaded: BTreeSet<&str> = modules
        .values()
        .flat_map(|m| m.vars.values())
        .filter_map(|v| match &v.source {
            crate::resolve::VarSource::File(name) => Some(name.as_str()),
            _ => None,
        })
        .collect();
    let unloaded: Vec<Module> = tfvars
        .iter()
        .filter(|(id, _)| !loaded.contains(sources[id.0].name.as_str()))
        .map(|(id, entries)| {
            let name = &sources[id.0].name;
            let vars = entries
                .iter()
                .map(|(var, value)| {
                    let source = crate::resolve::VarSource::File(name.clone());
                    (var.clone(), crate::resolve::VarValue { value: value.clone(), source })
                })
                .collect();
            Module { dir: format!("{name}#values"), sources: vec![*id], vars, ..Module::default() }
        })
        .collect();
    modules.extend(unloaded.into_iter().map(|m| (m.dir.clone(), m)));
    let plans: Vec<Plan<'_>> = json
        .iter()
        .filter(|(id, _)| sources[id.0].kind == SourceKind::Plan)
        .map(|(id, root)| Plan::read(root, *id))
        .collect();
    let tree_modules = modules.len();
    let modules: Vec<Module> =
        modules.into_values().chain(plans.iter().flat_map(|p| p.modules(&sources[p.source.0].name))).collect();
    let ctx = Context { sources };

    // Each module with its policies, each standalone policy file, each plan: checked in parallel.
    let inputs = Inputs::new(sources, &json);
    let extracted: Vec<(Vec<Policy>, Vec<SourceId>)> =
        modules.par_iter().map(|module| extract::module_policies(module, &inputs)).collect();
    let consumed: BTreeSet<SourceId> = extracted.iter().flat_map(|(_, ids)| ids.iter().copied()).collect();
    let standalone: Vec<Policy> = json
        .iter()
        .filter(|(id, _)| sources[id.0].kind == SourceKind::Policy && !consumed.contains(id))
        .map(|(_, doc)| extract::file_policy(doc))
        .collect();
    let run = |policies: &[Policy], module: Option<&Module>, plan: Option<&Plan<'_>>| {
        let mut found = Vec::new();
        for (meta, _, rule) in &rules {
            let mut out = Vec::new();
            for policy in policies {
                rule.check_policy(&ctx, policy, &mut out);
            }
            if let Some(module) = module {
                rule.check_module(&ctx, module, &mut out);
            }
            if let Some(plan) = plan {
                rule.check_plan(&ctx, plan, &mut out);
            }
            found.extend(out.into_iter().map(|v| (meta.id, v)));
        }
        found
    };
    let from_modules: Vec<Vec<(&'static str, Violation)>> =
        modules.par_iter().zip(&extracted).map(|(module, (policies, _))| run(policies, Some(module), None)).collect();
    let from_files: Vec<Vec<(&'static str, Violation)>> =
        standalone.par_iter().map(|policy| run(std::slice::from_ref(policy), None, None)).collect();
    let from_plans: Vec<Vec<(&'static str, Violation)>> =
        plans.par_iter().map(|plan| run(&[], None, Some(plan))).collect();
    found.extend(from_modules.into_iter().chain(from_files).chain(from_plans).flatten());
    let policies: Vec<Policy> = extracted.into_iter().flat_map(|(p, _)| p).chain(standalone).collect();

    // A finding in a plan also points at the block to change in the Terraform sources.
    let trees = &modules[..tree_modules];
    let downloaded = downloaded_modules(sources, &json);
    for (_, violation) in &mut found {
        if sources.get(violation.at.source.0).is_some_and(|s| s.kind == SourceKind::Plan)
            && let Some(address) = &violation.address
        {
            let root =
                config.source_dir.clone().unwrap_or_else(|| extract::dir_of(&sources[violation.at.source.0].name));
            let labels = declaration(trees, &downloaded, &root, address);
            violation.labels.extend(labels);
        }
    }

    let severities: BTreeMap<&str, Severity> = rules.iter().map(|(m, s, _)| (m.id, *s)).collect();
    let mut lines = Lines::new(sources);
    let context: BTreeSet<&str> = config.context_only.iter().map(String::as_str).collect();
    let diagnostics: Vec<Diagnostic> = found
        .into_iter()
        .filter(|(_, v)| sources.get(v.at.source.0).is_none_or(|s| !context.contains(s.name.as_str())))
        .filter_map(|(id, v)| {
            let severity = *severities.get(id)?;
            Some(diagnostic(id, severity, v, &mut lines))
        })
        .collect();
    let outcome = suppress::apply(sources, &modules[..tree_modules], &policies, config, diagnostics);
    let mut diagnostics = outcome.kept;
    if let Some(&severity) = severities.get("suppression") {
        diagnostics.extend(outcome.problems.into_iter().map(|v| diagnostic("suppression", severity, v, &mut lines)));
        diagnostics.extend(
            outcome
                .config_problems
                .into_iter()
                .map(|(path, line, message)| suppress::config_diagnostic(&path, line, message, severity)),
        );
    }
    let mut suppressed = outcome.suppressed;
    let files = sources.iter().filter(|s| !context.contains(s.name.as_str())).count();
    let secrets = collect_secrets(&modules[..tree_modules], &json, &tfvars);
    for d in diagnostics.iter_mut().chain(suppressed.iter_mut()) {
        d.message = secrets.redact(&d.message);
        d.help = d.help.as_deref().map(|h| secrets.redact(h));
        for label in &mut d.labels {
            label.message = secrets.redact(&label.message);
        }
    }
    sort(&mut diagnostics);
    sort(&mut suppressed);
    Report { files, diagnostics, suppressed, secrets }
}

/// By path, position, rule, then message; duplicates removed.
fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        (&a.location.path, a.location.start, a.rule, &a.message).cmp(&(
            &b.location.path,
            b.location.start,
            b.rule,
            &b.message,
        ))
    });
    diagnostics.dedup();
}

fn enabled_rules(config: &Config) -> Vec<(&'static RuleMeta, Severity, Box<dyn Rule>)> {
    registry::all()
        .iter()
        .filter_map(|meta| {
            let settings = config.rule(meta.id)?;
            let rule = (meta.build)(settings.options.clone()).ok()?;
            Some((meta, settings.severity, rule))
        })
        .collect()
}

enum Parsed {
    Hcl(Body),
    Json(Value),
}

fn parse(source: &Source, id: SourceId, config: &Config) -> Result<Parsed, Box<Violation>> {
    let error = |span: Span, what: &str, message: &str| {
        let message = format!("{what} could not be parsed: {message}");
        let help = "fix the syntax error; the rest of this file is not checked until it parses";
        Box::new(Violation::new(At::new(id, span), message).help(help))
    };
    let limit = if source.kind == SourceKind::Plan { config.max_plan_bytes } else { config.max_file_bytes };
    if source.text.len() > limit {
        let mib = |bytes: usize| bytes.div_ceil(1 << 20);
        let message = format!(
            "this file is {} MiB, above the limit of {} MiB, so it is not checked",
            mib(source.text.len()),
            mib(limit)
        );
        let help =
            "raise the limit with --max-file-size (or --max-plan-size for plans) if the file is meant to be this large";
        return Err(Box::new(Violation::new(At::new(id, Span::new(0, 0)), message).help(help)));
    }
    match source.kind {
        SourceKind::Hcl | SourceKind::Tfvars => {
            hcl::parse(&source.text, id).map(Parsed::Hcl).map_err(|e| error(e.span, "this Terraform file", &e.message))
        }
        SourceKind::TfJson | SourceKind::TfvarsJson | SourceKind::Plan | SourceKind::Policy | SourceKind::OtherJson => {
            let map = OffsetMap::identity(0);
            let parsed = match json::parse(&source.text, id, &map) {
                // A `.json` policy with `${...}` is a `templatefile()` template.
                Err(_) if matches!(source.kind, SourceKind::Policy | SourceKind::OtherJson) => {
                    json::parse_template(&source.text, id, &map).unwrap_or_else(|| json::parse(&source.text, id, &map))
                }
                parsed => parsed,
            };
            parsed.map(Parsed::Json).map_err(|e| error(e.span, "this JSON file", &e.message))
        }
    }
}

/// Line indexes, built the first time a source needs one.
struct Lines<'a> {
    sources: &'a [Source],
    index: Vec<Option<LineIndex>>,
}

impl<'a> Lines<'a> {
    fn new(sources: &'a [Source]) -> Lines<'a> {
        Lines { sources, index: vec![None; sources.len()] }
    }

    fn location(&mut self, at: At) -> Location {
        let Some(source) = self.sources.get(at.source.0) else {
            let origin = LineCol { line: 1, column: 1 };
            return Location { path: String::new(), span: at.span, start: origin, end: origin };
        };
        let index = self.index[at.source.0].get_or_insert_with(|| LineIndex::new(&source.text));
        Location {
            path: source.name.clone(),
            span: at.span,
            start: index.line_col(&source.text, at.span.start),
            end: index.line_col(&source.text, at.span.end),
        }
    }
}

fn diagnostic(rule: &'static str, severity: Severity, v: Violation, lines: &mut Lines<'_>) -> Diagnostic {
    Diagnostic {
        rule,
        finding: registry::find(rule).and_then(|m| m.finding),
        severity,
        message: v.message,
        help: v.help,
        location: lines.location(v.at),
        address: v.address,
        pointer: v.pointer,
        labels: v.labels.into_iter().map(|(at, message)| Label { location: lines.location(at), message }).collect(),
    }
}

/// Where a plan address is declared in the Terraform sources of `root`: the resource block,
/// following local module calls. For a module from a registry or git, the module call (which
/// holds the inputs to change) and, when `terraform init` left `.terraform/modules/modules.json`
/// and the downloaded module among the sources, the resource block inside it.
fn declaration(
    trees: &[Module],
    downloaded: &BTreeMap<String, String>,
    root: &str,
    address: &str,
) -> Vec<(At, String)> {
    let module_at = |dir: &str| trees.iter().find(|m| m.dir == dir);
    let mut labels = Vec::new();
    let top = extract::normalize(root);
    let mut dir = top.clone();
    let mut key: Vec<&str> = Vec::new();
    let mut rest = address;
    while let Some(after) = rest.strip_prefix("module.") {
        let Some(end) = after.find('.') else { return labels };
        let Some(name) = after[..end].split('[').next() else { return labels };
        rest = &after[end + 1..];
        key.push(name);
        let Some(call) =
            module_at(&dir).and_then(|m| m.blocks.iter().find(|b| b.ident == "module" && b.label(0) == Some(name)))
        else {
            return labels;
        };
        let source = call.body.attribute("source").and_then(|a| a.value.as_str()).unwrap_or_default();
        if source.starts_with("./") || source.starts_with("../") {
            dir = extract::normalize(&format!("{dir}/{source}"));
            continue;
        }
        labels.push((call.header, format!("`{address}` comes from this module call")));
        let Some(module_dir) = downloaded.get(&format!("{top}#{}", key.join("."))) else { return labels };
        dir = module_dir.clone();
    }
    let (ident, rest) = match rest.strip_prefix("data.") {
        Some(r) => ("data", r),
        None => ("resource", rest),
    };
    let Some((kind, name)) = rest.split_once('.') else { return labels };
    let name = name.split('[').next().unwrap_or(name);
    let block = module_at(&dir).and_then(|m| {
        m.blocks.iter().find(|b| b.ident == ident && b.label(0) == Some(kind) && b.label(1) == Some(name))
    });
    if let Some(block) = block {
        labels.push((block.header, format!("`{address}` is declared here")));
    }
    labels
}

/// `.terraform/modules/modules.json` files among the sources: `ROOT#KEY` (the module key path,
/// `eks` or `eks.node_group`) to the directory `terraform init` downloaded it to.
fn downloaded_modules(sources: &[Source], json: &BTreeMap<SourceId, Value>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (id, value) in json {
        let name = extract::normalize(&sources[id.0].name);
        let Some(root) = name.strip_suffix(".terraform/modules/modules.json") else { continue };
        let root = root.trim_end_matches('/');
        for module in value.get("Modules").and_then(|m| m.value.as_list()).unwrap_or_default() {
            let (Some(key), Some(dir)) =
                (module.get("Key").and_then(|k| k.value.as_str()), module.get("Dir").and_then(|d| d.value.as_str()))
            else {
                continue;
            };
            if key.is_empty() {
                continue;
            }
            let joined = if root.is_empty() { dir.to_string() } else { format!("{root}/{dir}") };
            out.insert(format!("{root}#{key}"), extract::normalize(&joined));
        }
    }
    out
}

/// Every secret value of the inputs: in Terraform modules, tfvars, and anywhere in JSON (plans
/// hold them in `variables`, `before`, `after` and `configuration`).
fn collect_secrets(
    trees: &[Module],
    json: &BTreeMap<SourceId, Value>,
    tfvars: &BTreeMap<SourceId, Vec<(String, Value)>>,
) -> Secrets {
    let mut secrets = Secrets::default();
    let parts: Vec<Secrets> = trees
        .par_iter()
        .map(|m| {
            let mut part = Secrets::default();
            part.add_module(m);
            part
        })
        .chain(json.par_iter().map(|(_, v)| {
            let mut part = Secrets::default();
            part.add_value(v, None);
            part
        }))
        .collect();
    parts.into_iter().for_each(|part| secrets.extend(part));
    for (name, value) in tfvars.values().flatten() {
        secrets.add_value(value, Some(name));
    }
    secrets
}
