//! `check`: parse the sources into the model one unit at a time (a module directory, a policy
//! file, a plan), run the enabled rules on it, locate the findings and drop the unit's model
//! (and the texts it read, for lazy sources); then apply suppressions, mask secrets and sort the
//! diagnostics.

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Label, Location, Report, Severity};
use crate::extract::{self, Inputs};
use crate::model::Plan;
use crate::model::{At, Body, Module, Policy, SourceId, Value};
use crate::parse::plan;
use crate::parse::{hcl, json, strings::OffsetMap, tf_json};
use crate::registry;
use crate::rule::{Context, Rule, RuleMeta, Violation};
use crate::secrets::Secrets;
use crate::secrets::found::Found;
use crate::source::{LineCol, LineIndex, Load, NotGiven, Source, SourceKind, Sources, Span};
use crate::suppress;
use crate::vars;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

/// Checks sources together (a module sees its sibling files) and returns every finding of the
/// rules `config` enables, sorted by path, position, then rule. Total: bad input becomes
/// `parse-error` diagnostics, never a panic.
pub fn check(sources: &[Source], config: &Config) -> Report {
    check_with(sources, &NotGiven, config)
}

/// [`check`], reading the text of each [`Source::lazy`] source through `load` when a unit of
/// the check needs it, and dropping it when that unit is done: memory then holds the units being
/// checked, not the whole tree. A source that cannot be read gets a `parse-error` ("this file
/// could not be read"); the others are still checked.
pub fn check_with(sources: &[Source], load: &dyn Load, config: &Config) -> Report {
    match POOL.as_ref() {
        Some(pool) => pool.install(|| check_all(sources, load, config)),
        None => check_all(sources, load, config),
    }
}

/// The workers that parse and check: with a stack large enough for the deepest input the
/// parsers accept (hcl-edit recurses about 2 MiB deep on 63 nested `for` expressions in a debug
/// build, more than rayon's default worker stack).
static POOL: LazyLock<Option<rayon::ThreadPool>> =
    LazyLock::new(|| rayon::ThreadPoolBuilder::new().stack_size(16 << 20).build().ok());

/// The variables a tfvars file sets, in order.
type Entries = Vec<(String, Value)>;

/// What every unit of a check shares.
struct Shared<'a> {
    sources: &'a [Source],
    load: &'a dyn Load,
    config: &'a Config,
    rules: Vec<(&'static RuleMeta, Severity, Box<dyn Rule>)>,
    locator: Locator<'a>,
    /// Terraform files by directory: one module each.
    dirs: BTreeMap<String, Vec<SourceId>>,
    /// JSON sources by normalised name, for `file()`.
    json_by_name: BTreeMap<String, SourceId>,
    /// The variables each tfvars file sets.
    tfvars: BTreeMap<SourceId, Vec<(String, Value)>>,
    var_files: vars::VarFiles<'a>,
}

impl<'a> Shared<'a> {
    /// A unit's view of the sources: it reads the lazy ones it needs.
    fn texts(&self) -> Sources<'a> {
        Sources::new(self.sources, self.load)
    }

    /// Checks one unit with its own view of the sources, keeping the files it could not read.
    fn unit(&self, check: impl FnOnce(&mut Sources<'a>) -> Unit) -> Unit {
        let mut texts = self.texts();
        let mut unit = check(&mut texts);
        unit.unreadable.extend(texts.failures());
        unit
    }
}

/// Turns violations into located diagnostics.
struct Locator<'a> {
    severities: BTreeMap<&'static str, Severity>,
    /// Sources read only to point plan findings at the Terraform code, not reported on.
    context: BTreeSet<&'a str>,
}

impl Locator<'_> {
    /// The violations of enabled rules outside context-only sources, as located diagnostics;
    /// the sources they point into are read first if they are not at hand.
    fn located(&self, texts: &mut Sources<'_>, found: Vec<(&'static str, Violation)>) -> Vec<Diagnostic> {
        for (_, v) in &found {
            texts.ensure(v.at.source.0);
            v.labels.iter().for_each(|(at, _)| {
                texts.ensure(at.source.0);
            });
        }
        let all = texts.all();
        let mut lines = Lines::new(texts);
        found
            .into_iter()
            .filter(|(_, v)| all.get(v.at.source.0).is_none_or(|s| !self.context.contains(s.name.as_str())))
            .filter_map(|(id, v)| {
                let severity = *self.severities.get(id)?;
                Some(diagnostic(id, severity, v, &mut lines))
            })
            .collect()
    }
}

/// What checking one unit (a module, a policy file, a plan) leaves behind once its model is
/// dropped: the diagnostics with their locations, and the facts the whole check needs.
#[derive(Default)]
struct Unit {
    diagnostics: Vec<Diagnostic>,
    directives: Vec<suppress::Directive>,
    secrets: Found,
    /// JSON files read through `file()`: not checked again on their own.
    consumed: Vec<SourceId>,
    /// tfvars files a root module loaded.
    loaded: Vec<String>,
    /// Lazy sources that could not be read: `(name, why)`.
    unreadable: Vec<(String, String)>,
    /// The directories a module calls as local modules.
    calls: Vec<String>,
    /// The diagnostics of merged units.
    parts: Vec<Vec<Diagnostic>>,
}

impl Unit {
    /// All the diagnostics, in one list of the exact size.
    fn diagnostics(&mut self) -> Vec<Diagnostic> {
        let mut parts = std::mem::take(&mut self.parts);
        parts.push(std::mem::take(&mut self.diagnostics));
        let mut all = Vec::with_capacity(parts.iter().map(Vec::len).sum());
        parts.into_iter().for_each(|part| all.extend(part));
        all
    }

    /// Adds what `other` left behind. Diagnostics are kept as the units' lists, joined once at
    /// the end ([`Unit::diagnostics`]): a tree can have many, and a list grown by doubling holds
    /// up to twice what it needs.
    fn merge(&mut self, other: Unit) {
        self.parts.push(other.diagnostics);
        self.parts.extend(other.parts);
        self.directives.extend(other.directives);
        self.secrets.extend(other.secrets);
        self.consumed.extend(other.consumed);
        self.loaded.extend(other.loaded);
        self.unreadable.extend(other.unreadable);
    }
}

/// One unit at a time (in parallel across units), so that memory holds the models of the units
/// being checked, not of the whole tree: each module directory, then each policy file no module
/// reads, each plan, each tfvars file no module loads. Diagnostics are located and the model
/// dropped before the next unit starts; so is the text of lazy sources.
fn check_all(sources: &[Source], load: &dyn Load, config: &Config) -> Report {
    let rules = enabled_rules(config);
    let locator = Locator {
        severities: rules.iter().map(|(m, s, _)| (m.id, *s)).collect(),
        context: config.context_only.iter().map(String::as_str).collect(),
    };
    let mut dirs: BTreeMap<String, Vec<SourceId>> = BTreeMap::new();
    let mut json_by_name = BTreeMap::new();
    let (mut tfvars_ids, mut plans, mut json_files) = (Vec::new(), Vec::new(), Vec::new());
    for (i, source) in sources.iter().enumerate() {
        let id = SourceId(i);
        match source.kind {
            SourceKind::Hcl | SourceKind::TfJson => dirs.entry(extract::dir_of(&source.name)).or_default().push(id),
            SourceKind::Tfvars | SourceKind::TfvarsJson => tfvars_ids.push(id),
            SourceKind::Plan => plans.push(id),
            SourceKind::Policy | SourceKind::OtherJson => json_files.push(id),
        }
        if !matches!(source.kind, SourceKind::Hcl | SourceKind::Tfvars | SourceKind::Plan) {
            json_by_name.insert(extract::normalize(&source.name), id);
        }
    }
    // tfvars files first: root modules load them.
    let mut all = Unit::default();
    let read: Vec<(SourceId, Option<Entries>, Unit)> =
        tfvars_ids.par_iter().map(|&id| read_tfvars(sources, load, config, &locator, id)).collect();
    let mut tfvars = BTreeMap::new();
    for (id, entries, unit) in read {
        all.merge(unit);
        if let Some(entries) = entries {
            tfvars.insert(id, entries);
        }
    }
    let var_files = vars::VarFiles::new(sources, tfvars.keys().copied(), config);
    let shared = Shared { sources, load, config, rules, locator, dirs, json_by_name, tfvars, var_files };

    // Which modules are roots matters only where a root would load something: everywhere when
    // `--var-file` or `--var` is given, else in the directories with their own tfvars. The other
    // directories are checked first and tell the local modules they call; then the files of the
    // directories that care are read for theirs (parsed only when a cheap test says they may
    // call one), and those directories are checked last, knowing whether they are roots.
    let global = shared.var_files.global() || !config.vars.is_empty();
    let (later, first): (Vec<_>, Vec<_>) =
        shared.dirs.iter().partition(|(dir, _)| global || shared.var_files.auto_in(dir));
    let units: Vec<Unit> =
        first.par_iter().map(|(dir, ids)| shared.unit(|texts| module_unit(&shared, texts, dir, ids, true))).collect();
    let mut called: BTreeSet<String> = units.iter().flat_map(|u| u.calls.iter().cloned()).collect();
    units.into_iter().for_each(|u| all.merge(u));
    let files: Vec<(&String, SourceId)> =
        later.iter().flat_map(|(dir, ids)| ids.iter().map(move |id| (*dir, *id))).collect();
    called.extend(files.par_iter().flat_map_iter(|&(dir, id)| local_calls(&shared, dir, id)).collect::<Vec<_>>());
    let units: Vec<Unit> = later
        .par_iter()
        .map(|(dir, ids)| shared.unit(|texts| module_unit(&shared, texts, dir, ids, !called.contains(*dir))))
        .collect();
    units.into_iter().for_each(|u| all.merge(u));

    let consumed: BTreeSet<SourceId> = all.consumed.iter().copied().collect();
    let units: Vec<Unit> = json_files
        .par_iter()
        .filter(|id| !consumed.contains(id))
        .map(|&id| shared.unit(|texts| json_unit(&shared, texts, id)))
        .collect();
    units.into_iter().for_each(|u| all.merge(u));
    // Plans one after the other: each is checked in parallel inside.
    for &id in &plans {
        let unit = shared.unit(|texts| plan_unit(&shared, texts, id));
        all.merge(unit);
    }
    // A tfvars file that no module loads (`prod.tfvars` without `--var-file`) is still read for
    // secrets written into it: on its own, as a module of values only.
    let loaded: BTreeSet<&str> = all.loaded.iter().map(String::as_str).collect();
    let unloaded: Vec<(&SourceId, &Vec<(String, Value)>)> =
        shared.tfvars.iter().filter(|(id, _)| !loaded.contains(sources[id.0].name.as_str())).collect();
    let units: Vec<Unit> = unloaded
        .par_iter()
        .map(|&(&id, entries)| shared.unit(|texts| tfvars_unit(&shared, texts, id, entries)))
        .collect();
    units.into_iter().for_each(|u| all.merge(u));

    let diagnostics = all.diagnostics();
    let Unit { directives, secrets, mut unreadable, .. } = all;
    let outcome = suppress::apply(sources, &directives, config, diagnostics);
    let mut diagnostics = outcome.kept;
    if let Some(&severity) = shared.locator.severities.get("suppression") {
        let problems = outcome.problems.into_iter().map(|v| ("suppression", v)).collect();
        diagnostics.extend(shared.locator.located(&mut shared.texts(), problems));
        diagnostics.extend(
            outcome
                .config_problems
                .into_iter()
                .map(|(path, line, message)| suppress::config_diagnostic(&path, line, message, severity)),
        );
    }
    // A file that could not be read is not checked: not a finding to suppress. Files read only
    // as a plan's context are not reported on, also when they cannot be read.
    unreadable.retain(|(path, _)| !shared.locator.context.contains(path.as_str()));
    unreadable.sort();
    unreadable.dedup_by(|a, b| a.0 == b.0);
    diagnostics.extend(unreadable.iter().map(|(path, message)| Diagnostic::unreadable(path, message)));
    let mut suppressed = outcome.suppressed;
    let files = sources.iter().filter(|s| !shared.locator.context.contains(s.name.as_str())).count();
    let secrets = secrets.into_secrets(sources);
    for d in diagnostics.iter_mut().chain(suppressed.iter_mut()) {
        sanitise(d, &secrets);
    }
    sort(&mut diagnostics);
    sort(&mut suppressed);
    Report { files, diagnostics, suppressed, secrets }
}

/// A tfvars file: the variables it sets (`None` when it cannot be read or parsed), its secrets,
/// its ignore comments (also in a file that does not parse) and its parse error.
fn read_tfvars(
    sources: &[Source],
    load: &dyn Load,
    config: &Config,
    locator: &Locator<'_>,
    id: SourceId,
) -> (SourceId, Option<Entries>, Unit) {
    let mut unit = Unit::default();
    let mut texts = Sources::new(sources, load);
    let mut entries: Option<Entries> = None;
    if let Some(source) = texts.read(id.0) {
        match parse(source, id, config) {
            Ok(Parsed::Hcl(body)) => entries = Some(body.attributes.into_iter().map(|a| (a.name, a.value)).collect()),
            Ok(Parsed::Json(value)) => {
                unit.secrets.add_value(&value, None, &texts);
                let entries_of = value.as_object().unwrap_or_default();
                entries = Some(entries_of.iter().map(|e| (e.key.to_string(), tf_json::template(&e.value))).collect());
            }
            Err(violation) => unit.diagnostics = locator.located(&mut texts, vec![("parse-error", *violation)]),
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
fn tfvars_unit(shared: &Shared<'_>, texts: &mut Sources<'_>, id: SourceId, entries: &[(String, Value)]) -> Unit {
    let name = &shared.sources[id.0].name;
    let vars = entries
        .iter()
        .map(|(var, value)| {
            let source = crate::model::VarSource::File(name.clone());
            (var.clone(), crate::model::VarValue { value: value.clone(), source })
        })
        .collect();
    let module = Module { dir: format!("{name}#values"), sources: vec![id], vars, ..Module::default() };
    texts.ensure(id.0);
    let found = run(shared, texts, &[], Some(&module), None);
    Unit { diagnostics: shared.locator.located(texts, found), ..Unit::default() }
}

/// The directories a Terraform file calls as local modules: none when a cheap test on its text
/// says it cannot call one, or when it does not parse.
fn local_calls(shared: &Shared<'_>, dir: &str, id: SourceId) -> Vec<String> {
    let mut texts = shared.texts();
    let Some(source) = texts.read(id.0) else { return Vec::new() };
    if !vars::may_call_local(&source.text) {
        return Vec::new();
    }
    match parse(source, id, shared.config) {
        Ok(Parsed::Hcl(body)) => vars::local_calls(dir, &body.blocks).collect(),
        Ok(Parsed::Json(value)) => vars::local_calls(dir, &tf_json::to_body(&value).blocks).collect(),
        Err(_) => Vec::new(),
    }
}

/// Runs the enabled rules on a unit's policies, module or plan.
fn run(
    shared: &Shared<'_>,
    texts: &Sources<'_>,
    policies: &[Policy],
    module: Option<&Module>,
    plan: Option<&Plan<'_>>,
) -> Vec<(&'static str, Violation)> {
    let semantic = crate::semantic::Semantic::new(module, texts);
    let ctx = Context { unit: texts, semantic: &semantic };
    let mut found = Vec::new();
    for (meta, _, rule) in &shared.rules {
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
}

/// The `.tf` and `.tf.json` files of a directory, as a module of their top-level blocks, with
/// the JSON values of the `.tf.json` files and the parse errors.
fn read_module(
    shared: &Shared<'_>,
    texts: &mut Sources<'_>,
    dir: &str,
    ids: &[SourceId],
) -> (Module, Vec<Value>, Vec<(&'static str, Violation)>) {
    let mut module = Module { dir: dir.to_string(), ..Module::default() };
    let (mut json, mut found) = (Vec::new(), Vec::new());
    for &id in ids {
        let Some(source) = texts.read(id.0) else { continue };
        module.credentials.extend(crate::secrets::find_credentials(&source.text).into_iter().map(|c| (id, c)));
        let body = match parse(source, id, shared.config) {
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

/// A directory of Terraform files: parsed, its variables assigned, its policies found, checked.
/// A directory read only as a plan's context is checked too (its tfvars and `file()` targets may
/// be checked sources), but what is found in its own files is not reported.
fn module_unit(shared: &Shared<'_>, texts: &mut Sources<'_>, dir: &str, ids: &[SourceId], root: bool) -> Unit {
    let (mut module, json, mut found) = read_module(shared, texts, dir, ids);
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
        found.extend(run(shared, texts, &[], Some(&module), None));
        unit.diagnostics = shared.locator.located(texts, found);
        return unit;
    }
    unit.calls = vars::local_calls(dir, &module.blocks).collect();
    vars::assign(&mut module, root, &shared.var_files, &shared.tfvars, shared.config);
    unit.loaded = module
        .vars
        .values()
        .filter_map(|v| match &v.source {
            crate::model::VarSource::File(name) => Some(name.clone()),
            _ => None,
        })
        .collect();
    // The rules read the values a tfvars file sets in its text.
    for var in module.vars.values() {
        texts.ensure(var.value.at.source.0);
    }
    unit.secrets.add_module(&module, texts);
    json.iter().for_each(|v| unit.secrets.add_value(v, None, texts));
    let mut inputs = Inputs::new(texts, &shared.json_by_name, shared.config);
    let (policies, consumed) = extract::module_policies(&module, &mut inputs);
    let (files, errors) = inputs.into_parts();
    files.iter().for_each(|v| unit.secrets.add_value(v, None, texts));
    scan_sources(&mut unit.secrets, texts, &consumed, &consumed);
    found.extend(errors.into_iter().map(|v| ("parse-error", v)));
    found.extend(run(shared, texts, &policies, Some(&module), None));
    unit.directives = suppress::directives(texts, ids, &[&module], &policies);
    unit.secrets.propagate(texts, ids);
    unit.secrets.propagate(texts, &consumed);
    unit.consumed = consumed;
    unit.diagnostics = shared.locator.located(texts, found);
    unit
}

/// A JSON file no module reads: a policy is checked on its own; any other JSON is only read
/// for the secrets it holds.
fn json_unit(shared: &Shared<'_>, texts: &mut Sources<'_>, id: SourceId) -> Unit {
    let mut unit = Unit::default();
    if let Some(source) = texts.read(id.0) {
        let kind = source.kind;
        let parsed = parse_json(source, id, shared.config);
        let ok: &[SourceId] = if parsed.is_ok() { &[id] } else { &[] };
        scan_sources(&mut unit.secrets, texts, &[id], ok);
        match parsed {
            Ok(doc) => {
                unit.secrets.add_value(&doc, None, texts);
                unit.secrets.propagate(texts, &[id]);
                if kind == SourceKind::Policy {
                    let found = run(shared, texts, &[extract::file_policy(&doc)], None, None);
                    unit.diagnostics = shared.locator.located(texts, found);
                }
            }
            // Other JSON (a `package.json`, a template) is only read for `file()`; its syntax
            // is not ours to judge.
            Err(_) if kind == SourceKind::OtherJson => {}
            Err(violation) => unit.diagnostics = shared.locator.located(texts, vec![("parse-error", *violation)]),
        }
    }
    unit
}

/// A plan: each module instance checked as a module (in parallel), then what only a plan
/// shows; each finding also points at the block to change in the Terraform sources.
fn plan_unit(shared: &Shared<'_>, texts: &mut Sources<'_>, id: SourceId) -> Unit {
    let mut unit = Unit::default();
    let name = &shared.sources[id.0].name;
    let parsed = texts.read(id.0).map(|source| parse_json(source, id, shared.config));
    if parsed.is_some() {
        let ok: &[SourceId] = if matches!(parsed, Some(Ok(_))) { &[id] } else { &[] };
        scan_sources(&mut unit.secrets, texts, &[id], ok);
    }
    let root = match parsed {
        Some(Ok(root)) => root,
        Some(Err(violation)) => {
            unit.diagnostics = shared.locator.located(texts, vec![("parse-error", *violation)]);
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
            let mut inputs = Inputs::new(&mut own, &shared.json_by_name, shared.config);
            let (policies, _) = extract::module_policies(&module, &mut inputs);
            run(shared, &own, &policies, Some(&module), None)
        })
        .collect();
    found.extend(run(shared, texts, &[], None, Some(&plan)));
    let top = shared.config.source_dir.clone().unwrap_or_else(|| extract::dir_of(name));
    let downloaded = downloaded_modules(shared, texts, &top);
    let mut trees = Trees { shared, texts: &mut *texts, modules: BTreeMap::new() };
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
    unit.diagnostics = shared.locator.located(texts, found);
    unit
}

/// The Terraform modules a plan's findings point into, read the first time one is needed.
struct Trees<'s, 'a, 't> {
    shared: &'s Shared<'a>,
    texts: &'s mut Sources<'t>,
    modules: BTreeMap<String, Module>,
}

impl Trees<'_, '_, '_> {
    fn get(&mut self, dir: &str) -> Option<&Module> {
        if !self.modules.contains_key(dir) {
            let ids = self.shared.dirs.get(dir)?;
            let (module, _, _) = read_module(self.shared, self.texts, dir, ids);
            self.modules.insert(dir.to_string(), module);
        }
        self.modules.get(dir)
    }
}

/// Scans the raw text of each of `ids` the unit owns for secrets (`parsed`: those that parsed).
fn scan_sources(found: &mut Found, texts: &Sources<'_>, ids: &[SourceId], parsed: &[SourceId]) {
    for &id in ids {
        if let Some(source) = texts.get(id.0) {
            found.scan_source(id, source, parsed.contains(&id));
        }
    }
}

/// A diagnostic as every output may show it: known secret values and credentials masked in its
/// message, help, labels, address and pointer; a location on a secret made a point at its start,
/// so that no end column tells the secret's length.
fn sanitise(d: &mut Diagnostic, secrets: &Secrets) {
    fn mask(text: &mut String, secrets: &Secrets) {
        if let std::borrow::Cow::Owned(masked) = secrets.mask_text(text) {
            *text = masked;
        }
    }
    fn point(location: &mut Location, secrets: &Secrets) {
        if secrets.touches(&location.path, location.span.range()) {
            location.span.end = location.span.start;
            location.end = location.start;
        }
    }
    mask(&mut d.message, secrets);
    d.help.iter_mut().for_each(|h| mask(h, secrets));
    d.address.iter_mut().for_each(|a| mask(a, secrets));
    if let Some(pointer) = &mut d.pointer
        && let std::borrow::Cow::Owned(masked) = secrets.mask_pointer(pointer)
    {
        *pointer = masked;
    }
    point(&mut d.location, secrets);
    for label in &mut d.labels {
        mask(&mut label.message, secrets);
        point(&mut label.location, secrets);
    }
}

/// By path, position, rule, then message; duplicates removed. Findings alike in those (a
/// policy file several modules read) are ordered by what else they show, so that the order, and
/// which duplicates are removed, does not depend on the order the units ran in.
fn sort(diagnostics: &mut Vec<Diagnostic>) {
    fn key(d: &Diagnostic) -> (&String, LineCol, &str, &String) {
        (&d.location.path, d.location.start, d.rule, &d.message)
    }
    fn rest(d: &Diagnostic) -> (&Option<String>, &Option<String>, LineCol, &Option<String>) {
        (&d.address, &d.pointer, d.location.end, &d.help)
    }
    fn labels(d: &Diagnostic) -> impl Iterator<Item = (&str, LineCol, &str)> {
        d.labels.iter().map(|l| (l.location.path.as_str(), l.location.start, l.message.as_str()))
    }
    diagnostics
        .sort_by(|a, b| key(a).cmp(&key(b)).then_with(|| rest(a).cmp(&rest(b))).then_with(|| labels(a).cmp(labels(b))));
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
            let parsed = match source.kind {
                SourceKind::Plan => json::parse_plan(&source.text, id, &map),
                _ => json::parse(&source.text, id, &map),
            };
            let parsed = match parsed {
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

/// A JSON source's value, or why it cannot be read (a `parse-error`).
pub(crate) fn parse_json(source: &Source, id: SourceId, config: &Config) -> Result<Value, Box<Violation>> {
    match parse(source, id, config)? {
        Parsed::Json(value) => Ok(value),
        Parsed::Hcl(_) => {
            let message = "this file is Terraform, not JSON";
            Err(Box::new(Violation::new(At::new(id, Span::new(0, 0)), message)))
        }
    }
}

/// Line indexes, built the first time a source needs one.
struct Lines<'a> {
    sources: &'a Sources<'a>,
    index: BTreeMap<usize, LineIndex>,
}

impl<'a> Lines<'a> {
    fn new(sources: &'a Sources<'a>) -> Lines<'a> {
        Lines { sources, index: BTreeMap::new() }
    }

    fn location(&mut self, at: At) -> Location {
        let Some(source) = self.sources.get(at.source.0) else {
            let origin = LineCol { line: 1, column: 1 };
            return Location { path: String::new(), span: at.span, start: origin, end: origin };
        };
        let index = self.index.entry(at.source.0).or_insert_with(|| LineIndex::new(&source.text));
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
    trees: &mut Trees<'_, '_, '_>,
    downloaded: &BTreeMap<String, String>,
    root: &str,
    address: &str,
) -> Vec<(At, String)> {
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
            trees.get(&dir).and_then(|m| m.blocks.iter().find(|b| b.ident == "module" && b.label(0) == Some(name)))
        else {
            return labels;
        };
        let source = call.body.attribute("source").and_then(|a| a.value.as_str()).unwrap_or_default();
        if source.starts_with("./") || source.starts_with("../") {
            dir = extract::normalize(&format!("{dir}/{source}"));
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
fn downloaded_modules(shared: &Shared<'_>, texts: &mut Sources<'_>, root: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let root = extract::normalize(root);
    let manifest = if root.is_empty() {
        ".terraform/modules/modules.json".to_string()
    } else {
        format!("{root}/.terraform/modules/modules.json")
    };
    let Some(&id) = shared.json_by_name.get(&manifest) else { return out };
    let Some(source) = texts.read(id.0) else { return out };
    let Ok(value) = parse_json(source, id, shared.config) else { return out };
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
        out.insert(key.to_string(), extract::normalize(&joined));
    }
    out
}
