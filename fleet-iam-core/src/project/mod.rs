//! How files become units of a check. A unit is a module directory (its `.tf` and `.tf.json`
//! files, with the tfvars a root module loads, the JSON files it reads through `file()` and the
//! variables CI workflows set from secrets), a policy file no module reads, a plan (with its
//! source directory and downloaded modules as context), a tfvars file no module loads, or a CI
//! workflow. Units are checked one at a time (in parallel
//! across units), so that memory holds the models being checked, not the whole tree.
//!
//! The project reads and parses; what a unit is checked with is the engine's ([`Checker`]).

mod managed;
mod module_inputs;
mod modules;
pub(crate) mod paths;
mod plan;
mod policies;
mod tfvars;
mod workflows;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::{At, Module, Plan, Policy, SourceId, Value};
use crate::parse::{self, Parsed};
use crate::rule::Violation;
use crate::secrets::found::Found;
use crate::source::{Load, Source, SourceKind, Sources, Span};
use crate::suppress;
use module_inputs::Summary;
use policies::Calls;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// What the project asks of the engine for each unit.
pub(crate) trait Checker: Sync {
    /// Runs the enabled rules on a unit's policies, module or plan.
    fn run(
        &self,
        texts: &Sources<'_>,
        policies: &[Policy],
        module: Option<&Module>,
        plan: Option<&Plan<'_>>,
    ) -> Vec<(&'static str, Violation)>;

    /// The violations of enabled rules outside context-only sources, as located diagnostics.
    fn located(&self, texts: &mut Sources<'_>, found: Vec<(&'static str, Violation)>) -> Vec<Diagnostic>;
}

/// The variables a tfvars file sets, in order.
type Entries = Vec<(String, Value)>;

/// What every unit of a check shares: the sources, indexed.
pub(crate) struct Project<'a> {
    sources: &'a [Source],
    load: &'a dyn Load,
    config: &'a Config,
    checker: &'a dyn Checker,
    /// Terraform files by directory: one module each.
    dirs: BTreeMap<String, Vec<SourceId>>,
    /// JSON sources by normalised name, for `file()`.
    json_by_name: BTreeMap<String, SourceId>,
    /// The variables each tfvars file sets.
    tfvars: BTreeMap<SourceId, Vec<(String, Value)>>,
    var_files: tfvars::VarFiles<'a>,
    /// The variables CI workflows set from secrets, by the directories they reach.
    ci: workflows::Feeds,
}

impl<'a> Project<'a> {
    /// A unit's view of the sources: it reads the lazy ones it needs.
    pub(crate) fn texts(&self) -> Sources<'a> {
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

/// What checking one unit (a module, a policy file, a plan) leaves behind once its model is
/// dropped: the diagnostics with their locations, and the facts the whole check needs.
#[derive(Default)]
pub(crate) struct Unit {
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) directives: Vec<suppress::Directive>,
    pub(crate) secrets: Found,
    /// JSON files read through `file()`: not checked again on their own.
    pub(crate) consumed: Vec<SourceId>,
    /// tfvars files a root module loaded.
    pub(crate) loaded: Vec<String>,
    /// Lazy sources that could not be read: `(name, why)`.
    pub(crate) unreadable: Vec<(String, String)>,
    /// What a module makes of its inputs, for the modules that call it.
    pub(crate) summary: Summary,
    /// The diagnostics of merged units.
    pub(crate) parts: Vec<Vec<Diagnostic>>,
}

impl Unit {
    /// All the diagnostics, in one list of the exact size.
    pub(crate) fn diagnostics(&mut self) -> Vec<Diagnostic> {
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
pub(crate) fn check(sources: &[Source], load: &dyn Load, config: &Config, checker: &dyn Checker) -> Unit {
    let mut dirs: BTreeMap<String, Vec<SourceId>> = BTreeMap::new();
    let mut json_by_name = BTreeMap::new();
    let (mut tfvars_ids, mut plans, mut json_files, mut workflow_ids) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (i, source) in sources.iter().enumerate() {
        let id = SourceId(i);
        match source.kind {
            SourceKind::Hcl | SourceKind::TfJson => dirs.entry(paths::dir_of(&source.name)).or_default().push(id),
            SourceKind::Tfvars | SourceKind::TfvarsJson => tfvars_ids.push(id),
            SourceKind::Plan => plans.push(id),
            SourceKind::Policy | SourceKind::OtherJson => json_files.push(id),
            SourceKind::Workflow => workflow_ids.push(id),
        }
        if !matches!(source.kind, SourceKind::Hcl | SourceKind::Tfvars | SourceKind::Plan | SourceKind::Workflow) {
            json_by_name.insert(paths::normalize(&source.name), id);
        }
    }
    // tfvars files first: root modules load them.
    let mut all = Unit::default();
    let read: Vec<(SourceId, Option<Entries>, Unit)> =
        tfvars_ids.par_iter().map(|&id| tfvars::read(sources, load, config, checker, id)).collect();
    let mut tfvars = BTreeMap::new();
    for (id, entries, unit) in read {
        all.merge(unit);
        if let Some(entries) = entries {
            tfvars.insert(id, entries);
        }
    }
    let var_files = tfvars::VarFiles::new(sources, tfvars.keys().copied(), config);
    // Workflows before modules: a module gets the variables they set from CI secrets.
    let read: Vec<(Vec<workflows::Feed>, Unit)> =
        workflow_ids.par_iter().map(|&id| workflows::read(sources, load, config, checker, id)).collect();
    let mut feeds = Vec::new();
    for (found, unit) in read {
        all.merge(unit);
        feeds.extend(found);
    }
    let ci = workflows::Feeds::new(feeds);
    let project = Project { sources, load, config, checker, dirs, json_by_name, tfvars, var_files, ci };

    // Module directories, callees before their callers: a caller reads what each local module
    // it calls makes of its inputs (the module's summary), and a called module is told which
    // of its variables every call gives. The calls are read first, from the files a cheap test
    // says may make one (parsed again when their directory is checked).
    let files: Vec<(&String, SourceId)> =
        project.dirs.iter().flat_map(|(dir, ids)| ids.iter().map(move |id| (dir, *id))).collect();
    let found: Vec<(&String, modules::LocalCall)> = files
        .par_iter()
        .flat_map_iter(|&(dir, id)| modules::file_calls(&project, dir, id).into_iter().map(move |c| (dir, c)))
        .collect();
    let graph = CallGraph::new(&project.dirs, found);
    let mut summaries: BTreeMap<String, Summary> = BTreeMap::new();
    for level in graph.levels() {
        let units: Vec<(String, Unit)> = level
            .par_iter()
            .map(|&dir| {
                let calls = Calls { callees: &summaries, given: graph.given.get(dir) };
                let ids = &project.dirs[dir];
                (dir.clone(), project.unit(|texts| modules::unit(&project, texts, dir, ids, &calls)))
            })
            .collect();
        for (dir, mut unit) in units {
            let summary = std::mem::take(&mut unit.summary);
            if graph.given.contains_key(&dir) && !summary.sinks.is_empty() {
                summaries.insert(dir, summary);
            }
            all.merge(unit);
        }
    }

    let consumed: BTreeSet<SourceId> = all.consumed.iter().copied().collect();
    let units: Vec<Unit> = json_files
        .par_iter()
        .filter(|id| !consumed.contains(id))
        .map(|&id| project.unit(|texts| policies::json_unit(&project, texts, id)))
        .collect();
    units.into_iter().for_each(|u| all.merge(u));
    // Plans one after the other: each is checked in parallel inside.
    for &id in &plans {
        let unit = project.unit(|texts| plan::unit(&project, texts, id));
        all.merge(unit);
    }
    // A tfvars file that no module loads (`prod.tfvars` without `--var-file`) is still read for
    // secrets written into it: on its own, as a module of values only.
    let loaded: BTreeSet<&str> = all.loaded.iter().map(String::as_str).collect();
    let unloaded: Vec<(&SourceId, &Vec<(String, Value)>)> =
        project.tfvars.iter().filter(|(id, _)| !loaded.contains(sources[id.0].name.as_str())).collect();
    let units: Vec<Unit> = unloaded
        .par_iter()
        .map(|&(&id, entries)| project.unit(|texts| tfvars::unit(&project, texts, id, entries)))
        .collect();
    units.into_iter().for_each(|u| all.merge(u));
    all
}

/// The local module calls between the directories of a check.
struct CallGraph<'d> {
    /// The directories each directory calls (that are among the checked ones).
    callees: BTreeMap<&'d String, BTreeSet<&'d String>>,
    /// For each called directory, the variables every call gives. A directory not here is a
    /// root module.
    given: BTreeMap<String, BTreeSet<String>>,
    dirs: &'d BTreeMap<String, Vec<SourceId>>,
}

impl<'d> CallGraph<'d> {
    fn new(dirs: &'d BTreeMap<String, Vec<SourceId>>, calls: Vec<(&'d String, modules::LocalCall)>) -> CallGraph<'d> {
        let mut callees: BTreeMap<&String, BTreeSet<&String>> = BTreeMap::new();
        let mut given: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (caller, call) in calls {
            let Some((callee, _)) = dirs.get_key_value(&call.dir) else { continue };
            if callee != caller {
                callees.entry(caller).or_default().insert(callee);
            }
            match given.get_mut(&call.dir) {
                Some(all) => all.retain(|a| call.args.contains(a)),
                None => {
                    given.insert(call.dir, call.args);
                }
            }
        }
        CallGraph { callees, given, dirs }
    }

    /// The directories in levels: each after every directory it calls, except across a cycle of
    /// calls (which Terraform refuses), where the call that closes it is not followed. Depth
    /// first without recursion: a chain of any length costs no stack.
    fn levels(&self) -> Vec<Vec<&'d String>> {
        let mut level: BTreeMap<&String, usize> = BTreeMap::new();
        let mut on_path: BTreeSet<&String> = BTreeSet::new();
        for start in self.dirs.keys() {
            if level.contains_key(start) {
                continue;
            }
            let mut stack: Vec<(&String, Vec<&String>)> = vec![(start, self.next(start))];
            on_path.insert(start);
            while let Some((dir, pending)) = stack.last_mut() {
                let dir = *dir;
                match pending.pop() {
                    Some(callee) if !level.contains_key(callee) && !on_path.contains(callee) => {
                        on_path.insert(callee);
                        stack.push((callee, self.next(callee)));
                    }
                    Some(_) => {}
                    None => {
                        let own = self.next(dir).iter().filter_map(|c| level.get(c)).map(|l| l + 1).max().unwrap_or(0);
                        level.insert(dir, own);
                        on_path.remove(dir);
                        stack.pop();
                    }
                }
            }
        }
        let mut levels: Vec<Vec<&String>> = Vec::new();
        for (dir, l) in level {
            if levels.len() <= l {
                levels.resize_with(l + 1, Vec::new);
            }
            levels[l].push(dir);
        }
        levels
    }

    fn next(&self, dir: &String) -> Vec<&'d String> {
        self.callees.get(dir).map(|c| c.iter().copied().collect()).unwrap_or_default()
    }
}

/// Scans the raw text of each of `ids` the unit owns for secrets (`parsed`: those that parsed).
pub(crate) fn scan_sources(found: &mut Found, texts: &Sources<'_>, ids: &[SourceId], parsed: &[SourceId]) {
    for &id in ids {
        if let Some(source) = texts.get(id.0) {
            found.scan_source(id, source, parsed.contains(&id));
        }
    }
}

/// A source parsed, or its `parse-error`: a syntax error, or a file above the size limit.
pub(crate) fn parse(source: &Source, id: SourceId, config: &Config) -> Result<Parsed, Box<Violation>> {
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
    let what = match source.kind {
        SourceKind::Hcl | SourceKind::Tfvars => "this Terraform file",
        SourceKind::Workflow => "this workflow",
        _ => "this JSON file",
    };
    parse::source(&source.text, source.kind, id).map_err(|e| error(e.span, what, &e.message))
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
