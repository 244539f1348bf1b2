//! The pipeline of a check, and nothing else: the project turns the sources into units
//! ([`crate::project`]); for each unit the enabled rules run on its policies, module or plan,
//! with the unit's [`Semantic`] built once per module, and their findings are located; then
//! suppressions apply, secrets are masked ([`crate::secrets`]) and the diagnostics are sorted.

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Label, Location, Report, Severity};
use crate::model::{At, AwsManaged, Module, Plan, Policy};
use crate::project::{self, Checker, Unit};
use crate::registry;
use crate::rule::{Context, Rule, RuleMeta, Violation};
use crate::semantic::Semantic;
use crate::source::{LineCol, LineIndex, Load, NotGiven, Source, SourceKind, Sources};
use crate::suppress;
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

/// The enabled rules, and how their findings become diagnostics.
struct Engine<'a> {
    rules: Vec<(&'static RuleMeta, Severity, Box<dyn Rule>)>,
    locator: Locator<'a>,
}

impl Checker for Engine<'_> {
    fn run(
        &self,
        texts: &Sources<'_>,
        policies: &[Policy],
        module: Option<&Module>,
        plan: Option<&Plan<'_>>,
    ) -> Vec<(&'static str, Violation)> {
        let semantic = Semantic::new(module, texts);
        let ctx = Context { unit: texts, semantic: &semantic };
        let mut found = Vec::new();
        for (meta, _, rule) in &self.rules {
            let mut out = Vec::new();
            for policy in policies {
                let before = out.len();
                rule.check_policy(&ctx, policy, &mut out);
                if let Some(managed) = &policy.managed {
                    let found = out.split_off(before);
                    out.extend(at_attachment(managed, found));
                }
                // How the policy reaches its resource (a module input, say) is related
                // information of every finding on it.
                for violation in out.iter_mut().skip(before) {
                    violation.labels.extend(policy.via.iter().cloned());
                }
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

    fn located(&self, texts: &mut Sources<'_>, found: Vec<(&'static str, Violation)>) -> Vec<Diagnostic> {
        self.locator.located(texts, found)
    }
}

/// A rule's findings on an AWS managed policy, as one finding at the ARN that attaches it: every
/// element of AWS's document is located there, and the one fix is to attach something else.
/// The message names the policy; the pointer into AWS's document and the labels (all at the ARN)
/// are dropped, and where the ARN is written elsewhere than the argument that attaches it (a
/// variable's default, a local), a label points at that argument.
fn at_attachment(managed: &AwsManaged, found: Vec<Violation>) -> Option<Violation> {
    let more = found.len().saturating_sub(1);
    let first = found.into_iter().next()?;
    let mut message =
        format!("`{}` attaches the AWS managed policy {}, in which {}", managed.arn, managed.name, first.message);
    if more > 0 {
        message.push_str(&format!(" ({more} more like this in that policy)"));
    }
    let help = format!(
        "attach a policy of your own instead of `{}`, with only the actions this principal needs, scoped to its resources",
        managed.name
    );
    let (at, attached) = (first.at, managed.attached_at);
    let inside =
        at.source == attached.source && attached.span.start <= at.span.start && at.span.end <= attached.span.end;
    let labels = if inside { Vec::new() } else { vec![(attached, "attached here".to_string())] };
    Some(Violation { message, help: Some(help), pointer: None, labels, ..first })
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

/// Units, rules and locations ([`project::check`]), then suppressions, masking and order.
fn check_all(sources: &[Source], load: &dyn Load, config: &Config) -> Report {
    let rules = enabled_rules(config);
    let locator = Locator {
        severities: rules.iter().map(|(m, s, _)| (m.id, *s)).collect(),
        context: config.context_only.iter().map(String::as_str).collect(),
    };
    let engine = Engine { rules, locator };
    let mut all = project::check(sources, load, config, &engine);
    let diagnostics = all.diagnostics();
    let Unit { directives, secrets, mut unreadable, .. } = all;
    let outcome = suppress::apply(sources, &directives, config, diagnostics);
    let mut diagnostics = outcome.kept;
    if let Some(&severity) = engine.locator.severities.get("suppression") {
        let problems = outcome.problems.into_iter().map(|v| ("suppression", v)).collect();
        diagnostics.extend(engine.locator.located(&mut Sources::new(sources, load), problems));
        diagnostics.extend(
            outcome
                .config_problems
                .into_iter()
                .map(|(path, line, message)| suppress::config_diagnostic(&path, line, message, severity)),
        );
    }
    // A file that could not be read is not checked: not a finding to suppress. Files read only
    // as a plan's context are not reported on, also when they cannot be read.
    unreadable.retain(|(path, _)| !engine.locator.context.contains(path.as_str()));
    unreadable.sort();
    unreadable.dedup_by(|a, b| a.0 == b.0);
    diagnostics.extend(unreadable.iter().map(|(path, message)| Diagnostic::unreadable(path, message)));
    let mut suppressed = outcome.suppressed;
    let files = sources.iter().filter(|s| !engine.locator.context.contains(s.name.as_str())).count();
    let secrets = secrets.into_secrets(sources);
    let mut budget = crate::secrets::QUOTE_BUDGET;
    for d in diagnostics.iter_mut().chain(suppressed.iter_mut()) {
        secrets.sanitise(d, &mut budget);
    }
    sort(&mut diagnostics);
    sort(&mut suppressed);
    Report { files, diagnostics, suppressed, secrets }
}

/// By path, position, rule, then message; duplicates removed. Findings alike in those (a
/// policy file several modules read) are ordered by what else they show, so that the order, and
/// which duplicates are removed, does not depend on the order the units ran in. Findings that
/// differ only in their JSON pointer and labels are one finding at one place, with the first
/// pointer: the statements a `dynamic "statement"` block renders for each item share its
/// written actions.
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
    diagnostics.dedup_by(|b, a| {
        (a.rule, &a.location, &a.message, &a.address, &a.help) == (b.rule, &b.location, &b.message, &b.address, &b.help)
    });
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
    // Only Terraform native syntax is edited: not plans, not `.tf.json`.
    let editable = lines.sources.get(v.at.source.0).is_some_and(|s| s.kind == SourceKind::Hcl);
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
        fix: v.fix.filter(|_| editable),
    }
}
