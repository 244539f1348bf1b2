//! Suppressions: `# fleet-iam-ignore: <id>[, <id>] -- <reason> (expires YYYY-MM-DD)` comments in
//! HCL (`#` or `//`), and `[[ignore]]` entries of the configuration for any input.
//!
//! A comment on a line of its own covers the next block, attribute or policy statement (or the
//! next line, when nothing starts there); at the end of a line it covers that line. The reason
//! is required, an expired date turns the comment off, and a rule marked `ignorable = false`
//! cannot be silenced inline. Each of those, an unknown rule id, and a comment that suppresses
//! nothing is reported by the `suppression` rule.

use crate::config::{Config, IgnoreEntry};
use crate::diagnostic::{Diagnostic, Finding, Location};
use crate::model::{At, Body, Module, Policy, SourceId, Value, ValueKind};
use crate::registry;
use crate::rule::Violation;
use crate::source::{LineCol, Source, SourceKind, Sources, Span};
use std::collections::BTreeMap;

/// One `fleet-iam-ignore` comment.
#[derive(Debug, Clone)]
pub(crate) struct Directive {
    /// The comment.
    at: At,
    /// The rule ids it names (unknown ones included), each with its place.
    ids: Vec<String>,
    reason: Option<String>,
    expires: Option<String>,
    /// What it covers.
    covers: Span,
    /// Problems with the comment itself (bad date, no ids).
    malformed: Option<String>,
}

/// The outcome of applying suppressions to a check's diagnostics.
pub(crate) struct Outcome {
    /// Diagnostics that stand.
    pub kept: Vec<Diagnostic>,
    /// Diagnostics silenced by a comment or an `[[ignore]]` entry.
    pub suppressed: Vec<Diagnostic>,
    /// `suppression` findings in the sources.
    pub problems: Vec<Violation>,
    /// `suppression` findings in the configuration file (no source to point into).
    pub config_problems: Vec<(String, usize, String)>,
}

/// Applies the `directives` found in `sources` and the `[[ignore]]` entries of `config` to
/// `diagnostics`.
pub(crate) fn apply(
    sources: &[Source],
    directives: &[Directive],
    config: &Config,
    diagnostics: Vec<Diagnostic>,
) -> Outcome {
    let matchers: Vec<Option<globset::GlobSet>> = config.ignores.iter().map(glob_set).collect();
    let today = config.today.as_deref();
    let expired = |date: &Option<String>| matches!((date, today), (Some(d), Some(t)) if d.as_str() < t);
    let mut used = vec![0usize; directives.len()];
    let mut entries_used = vec![0usize; config.ignores.len()];
    // Directives by the path of their file: a check can have many of both.
    let mut by_path: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
    for (i, dir) in directives.iter().enumerate() {
        if let Some(source) = sources.get(dir.at.source.0) {
            by_path.entry(source.name.as_str()).or_default().push(i);
        }
    }
    // Suppressed findings are taken out of `diagnostics` in place: a tree can have many findings,
    // and a second list of them would double the report's memory.
    let mut kept = diagnostics;
    let suppressed: Vec<Diagnostic> = kept
        .extract_if(.., |d| {
            let here = by_path.get(d.location.path.as_str()).map(Vec::as_slice).unwrap_or_default();
            let inline = here.iter().copied().find(|&i| {
                let dir = &directives[i];
                dir.covers.start <= d.location.span.start
                    && d.location.span.start <= dir.covers.end
                    && dir.ids.iter().any(|id| id == d.rule)
                    && dir.reason.is_some()
                    && dir.malformed.is_none()
                    && !expired(&dir.expires)
                    && config.rule(d.rule).is_none_or(|r| r.ignorable)
            });
            if let Some(i) = inline {
                used[i] += 1;
                return true;
            }
            let entry = config.ignores.iter().enumerate().position(|(i, e)| {
                e.rules.contains(&d.rule)
                    && !expired(&e.expires)
                    && matchers[i].as_ref().is_none_or(|m| m.is_match(&d.location.path))
            });
            if let Some(i) = entry {
                entries_used[i] += 1;
                return true;
            }
            false
        })
        .collect();

    let mut problems = Vec::new();
    for (dir, used) in directives.iter().zip(&used) {
        let unknown: Vec<&String> = dir.ids.iter().filter(|id| registry::find(id).is_none()).collect();
        let not_ignorable: Vec<&String> =
            dir.ids.iter().filter(|id| config.rule(id).is_some_and(|r| !r.ignorable)).collect();
        let message = if let Some(why) = &dir.malformed {
            why.clone()
        } else if dir.reason.is_none() {
            "this ignore comment has no reason after `--`, so it is not applied".to_string()
        } else if expired(&dir.expires) {
            format!("this ignore comment expired on {}, so it is not applied", dir.expires.as_deref().unwrap_or(""))
        } else if !unknown.is_empty() {
            format!("unknown rule id {}", list(&unknown))
        } else if !not_ignorable.is_empty() {
            format!("{} cannot be ignored inline here (`ignorable = false` in the configuration)", list(&not_ignorable))
        } else if *used == 0 {
            format!(
                "this ignore comment suppresses nothing: no {} finding here",
                list(&dir.ids.iter().collect::<Vec<_>>())
            )
        } else {
            continue;
        };
        problems.push(
            Violation::new(dir.at, message)
                .help("write `# fleet-iam-ignore: <rule-id> -- <reason> (expires YYYY-MM-DD)` above the block, attribute or statement, or remove the comment"),
        );
    }
    let mut config_problems = Vec::new();
    for (entry, used) in config.ignores.iter().zip(&entries_used) {
        if expired(&entry.expires) {
            let date = entry.expires.as_deref().unwrap_or("");
            config_problems.push((
                entry.file.clone(),
                entry.line,
                format!("this `[[ignore]]` entry expired on {date}, so it is not applied"),
            ));
        } else if *used == 0 {
            config_problems.push((
                entry.file.clone(),
                entry.line,
                "this `[[ignore]]` entry suppresses nothing".to_string(),
            ));
        }
    }
    Outcome { kept, suppressed, problems, config_problems }
}

fn list(ids: &[&String]) -> String {
    ids.iter().map(|id| format!("`{id}`")).collect::<Vec<_>>().join(", ")
}

fn glob_set(entry: &IgnoreEntry) -> Option<globset::GlobSet> {
    if entry.paths.is_empty() {
        return None;
    }
    let mut builder = globset::GlobSetBuilder::new();
    for glob in &entry.paths {
        if let Ok(g) = globset::Glob::new(glob) {
            builder.add(g);
        }
    }
    builder.build().ok()
}

/// A `suppression` diagnostic about a configuration entry.
pub(crate) fn config_diagnostic(path: &str, line: usize, message: String, severity: crate::Severity) -> Diagnostic {
    let at = LineCol { line, column: 1 };
    Diagnostic {
        rule: "suppression",
        finding: None::<Finding>,
        severity,
        message,
        help: Some("remove the entry, or renew it with a new `expires` date and reason".into()),
        location: Location { path: path.to_string(), span: Span::default(), start: at, end: at },
        address: None,
        pointer: None,
        labels: Vec::new(),
        fix: None,
    }
}

/// Every `fleet-iam-ignore` comment of the HCL sources `ids`, with what it covers: the nodes of
/// `trees` and `policies`, the modules and policies those sources hold.
pub(crate) fn directives(
    sources: &Sources<'_>,
    ids: &[SourceId],
    trees: &[&Module],
    policies: &[Policy],
) -> Vec<Directive> {
    let wanted = |id: &SourceId| {
        sources.get(id.0).is_some_and(|s| {
            matches!(s.kind, SourceKind::Hcl | SourceKind::Tfvars | SourceKind::Workflow)
                && s.text.contains("fleet-iam-ignore")
        })
    };
    if !ids.iter().any(wanted) {
        return Vec::new();
    }
    let mut strings: BTreeMap<SourceId, Vec<Span>> = BTreeMap::new();
    let mut nodes: BTreeMap<SourceId, Vec<Span>> = BTreeMap::new();
    for module in trees {
        for block in &module.blocks {
            nodes.entry(block.at.source).or_default().push(block.at.span);
            collect_body(&block.body, &mut strings, &mut nodes);
        }
    }
    for statement in policies.iter().flat_map(|p| &p.statements) {
        nodes.entry(statement.at.source).or_default().push(statement.at.span);
    }
    let mut out = Vec::new();
    for &id in ids.iter().filter(|id| wanted(id)) {
        let Some(source) = sources.get(id.0) else { continue };
        let in_string = |p: usize| strings.get(&id).is_some_and(|s| s.iter().any(|s| s.start < p && p < s.end));
        let text = &source.text;
        let lines: Vec<(usize, &str)> = line_starts(text);
        for (n, &(start, line)) in lines.iter().enumerate() {
            let Some(marker) = comment_start(line, |offset| in_string(start + offset)) else { continue };
            let comment = &line[marker..];
            let body = comment.trim_start_matches(['#', '/']).trim_start();
            let Some(rest) = body.strip_prefix("fleet-iam-ignore:") else { continue };
            let at = At::new(id, Span::new(start + marker, start + line.trim_end().len()));
            let standalone = line[..marker].trim().is_empty();
            let covers = if standalone {
                next_code_line(&lines, n, in_string)
                    .map(|(s, l)| cover(nodes.get(&id).map(Vec::as_slice).unwrap_or_default(), s, l))
                    .unwrap_or(at.span)
            } else {
                Span::new(start, start + line.len())
            };
            out.push(parse_directive(rest, at, covers));
        }
    }
    out
}

fn collect_body(body: &Body, strings: &mut BTreeMap<SourceId, Vec<Span>>, nodes: &mut BTreeMap<SourceId, Vec<Span>>) {
    for attr in &body.attributes {
        nodes.entry(attr.at.source).or_default().push(attr.at.span);
        collect_value(&attr.value, strings);
    }
    for block in &body.blocks {
        nodes.entry(block.at.source).or_default().push(block.at.span);
        collect_body(&block.body, strings, nodes);
    }
}

fn collect_value(value: &Value, strings: &mut BTreeMap<SourceId, Vec<Span>>) {
    match &value.kind {
        ValueKind::String(_) | ValueKind::Template(_) => {
            strings.entry(value.at.source).or_default().push(value.at.span)
        }
        ValueKind::List(items) => items.iter().for_each(|i| collect_value(i, strings)),
        ValueKind::Object(entries) => entries.iter().for_each(|e| collect_value(&e.value, strings)),
        ValueKind::Call(call) => call.args.iter().for_each(|a| collect_value(a, strings)),
        ValueKind::Conditional(parts) => parts.iter().for_each(|p| collect_value(p, strings)),
        ValueKind::Operation(operation) => operation.operands.iter().for_each(|o| collect_value(o, strings)),
        _ => {}
    }
}

/// `(byte offset, line without its terminator)` for each line.
fn line_starts(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        out.push((start, line.trim_end_matches(['\n', '\r'])));
        start += line.len();
    }
    out
}

/// Where a `#` or `//` comment starts on a line, outside strings.
fn comment_start(line: &str, in_string: impl Fn(usize) -> bool) -> Option<usize> {
    let bytes = line.as_bytes();
    (0..bytes.len())
        .find(|&i| (bytes[i] == b'#' || (bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'/'))) && !in_string(i))
}

/// The first line after `n` that is neither blank nor only a comment.
fn next_code_line<'t>(
    lines: &[(usize, &'t str)],
    n: usize,
    in_string: impl Fn(usize) -> bool,
) -> Option<(usize, &'t str)> {
    lines.iter().skip(n + 1).copied().find(|(start, line)| {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        !trimmed.is_empty() && comment_start(line, |o| in_string(start + o)) != Some(indent)
    })
}

/// The largest node that starts on the line at `start`, else the line itself.
fn cover(nodes: &[Span], start: usize, line: &str) -> Span {
    let first = start + (line.len() - line.trim_start().len());
    nodes
        .iter()
        .filter(|n| n.start == first)
        .max_by_key(|n| n.end)
        .copied()
        .unwrap_or(Span::new(start, start + line.len()))
}

/// `iam-service-wildcard, iam-not-action -- reason (expires 2027-03-31)`.
fn parse_directive(rest: &str, at: At, covers: Span) -> Directive {
    let (ids, tail) = match rest.split_once("--") {
        Some((ids, tail)) => (ids, Some(tail)),
        None => (rest, None),
    };
    let ids: Vec<String> = ids.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    let mut malformed = ids.is_empty().then(|| "this ignore comment names no rule id".to_string());
    let (mut reason, mut expires) = (tail.map(str::trim).filter(|t| !t.is_empty()).map(str::to_string), None);
    if let Some(text) = reason.clone()
        && let Some(open) = text.rfind("(expires")
    {
        let date = text[open + "(expires".len()..].trim().trim_end_matches(')').trim();
        if is_date(date) {
            expires = Some(date.to_string());
        } else {
            malformed = Some(format!("`{date}` is not a date: write `(expires YYYY-MM-DD)`"));
        }
        reason = Some(text[..open].trim().to_string()).filter(|r| !r.is_empty());
    }
    Directive { at, ids, reason, expires, covers, malformed }
}

fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    matches!(parts.as_slice(), [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
        && (1..=12).contains(&m.parse::<u32>().unwrap_or(0))
        && (1..=31).contains(&d.parse::<u32>().unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_directives() {
        let at = At::default();
        let d = parse_directive(
            " iam-service-wildcard, iam-not-action -- CI role (expires 2027-03-31)",
            at,
            Span::default(),
        );
        assert_eq!(d.ids, ["iam-service-wildcard", "iam-not-action"]);
        assert_eq!(d.reason.as_deref(), Some("CI role"));
        assert_eq!(d.expires.as_deref(), Some("2027-03-31"));
        assert!(d.malformed.is_none());
        assert!(parse_directive(" iam-service-wildcard", at, Span::default()).reason.is_none());
        assert!(parse_directive(" x -- y (expires soon)", at, Span::default()).malformed.is_some());
        assert!(parse_directive(" -- why", at, Span::default()).malformed.is_some());
    }
}
