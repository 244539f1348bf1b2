//! `check --fix` and `check --diff`: applies the fixes of [`crate::fix`] to the `.tf` files of a
//! check, in passes (a fix that overlaps another, or a finding a fix brings out, such as an
//! output of a variable just marked sensitive, is fixed by the next pass), re-checking the fixed
//! texts in memory after each pass. `--diff` prints what would change, through the sanitiser, and
//! writes nothing; `--fix` writes the files (keeping a byte-order mark and the line breaks) and
//! returns the report of the fixed tree.

use crate::fix;
use crate::walk;
use fleet_iam_core::secrets::escape_controls;
use fleet_iam_core::{Applicability, Diagnostic, Load, Report, Source, registry};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// Passes before giving up on fixes that keep bringing out new findings.
const MAX_PASSES: usize = 8;

/// What `--fix` / `--diff` did.
pub enum Outcome {
    /// `--diff`: the diff is printed; whether there was anything to fix.
    Diffed(bool),
    /// `--fix`: the files are written; the report of the fixed files.
    Fixed(Box<Report>),
}

/// The texts of the files as fixed so far, else as the walk listed them.
struct Overlay<'a> {
    disk: &'a walk::Disk,
    fixed: &'a BTreeMap<String, String>,
}

impl Load for Overlay<'_> {
    fn load(&self, source: &Source) -> Result<String, String> {
        match self.fixed.get(&source.name) {
            Some(text) => Ok(text.clone()),
            None => self.disk.text(&source.name),
        }
    }
}

/// A finding whose fix was not applied, and why.
struct Failure {
    path: String,
    line: usize,
    rule: &'static str,
    why: String,
}

/// Runs the fixes. `report` is the check of `sources` as they are on disk; `check` checks them
/// again, as the run does, with the texts fixed so far.
pub fn run(
    sources: &[Source],
    disk: &walk::Disk,
    check: &dyn Fn(&[Source], &dyn Load) -> Report,
    report: Report,
    allow_unsafe: bool,
    diff: bool,
) -> anyhow::Result<Outcome> {
    let original = report.clone();
    let mut fixed: BTreeMap<String, String> = BTreeMap::new();
    let mut before: BTreeMap<String, String> = BTreeMap::new();
    let mut failures: Vec<Failure> = Vec::new();
    let mut count = 0;
    let mut report = report;
    for _ in 0..MAX_PASSES {
        let mut changed = false;
        for (path, diagnostics) in by_file(&report, allow_unsafe) {
            let at = sources.binary_search_by(|s| s.name.as_str().cmp(path));
            let Some(source) = at.ok().map(|i| &sources[i]).or_else(|| sources.iter().find(|s| s.name == path)) else {
                continue;
            };
            if !source.is_lazy() && !diff {
                failures.push(failure(diagnostics[0], "not a regular file: it cannot be rewritten (use --diff)"));
                continue;
            }
            let text = match fixed.get(path) {
                Some(text) => text.clone(),
                None if source.is_lazy() => match disk.text(path) {
                    Ok(text) => text,
                    Err(e) => {
                        failures.push(failure(diagnostics[0], &format!("cannot be read again: {e}")));
                        continue;
                    }
                },
                None => source.text.clone(),
            };
            let Some(planned) = on_parsing_stack(|| fix::plan(&text, &diagnostics, allow_unsafe)) else {
                failures.push(failure(diagnostics[0], "no thread could be started to parse it"));
                continue;
            };
            failures.extend(planned.failed.iter().map(|(i, e)| failure(diagnostics[*i], &e.message)));
            if planned.edits.is_empty() {
                continue;
            }
            let new = fix::apply(&text, &planned.edits);
            let parsed = on_parsing_stack(|| hcl_edit::parser::parse_body(&new).map_err(|e| e.message().to_string()));
            if let Err(message) = parsed.unwrap_or_else(|| Err("no thread could be started to parse it".into())) {
                let why = format!("the fixed file would not parse ({message}); nothing is changed in it");
                failures.push(failure(diagnostics[0], &why));
                continue;
            }
            count += planned.fixed.len();
            before.entry(path.to_string()).or_insert(text);
            fixed.insert(path.to_string(), new);
            changed = true;
        }
        if !changed {
            break;
        }
        // A source the walk kept with its text (a pipe) is checked again with the fixed text.
        let current: Vec<Source> = sources
            .iter()
            .map(|s| match fixed.get(&s.name) {
                Some(text) if !s.is_lazy() => Source::new(s.name.clone(), text.clone(), s.kind),
                _ => s.clone(),
            })
            .collect();
        report = check(&current, &Overlay { disk, fixed: &fixed });
    }
    failures.sort_by(|a, b| (&a.path, a.line, a.rule).cmp(&(&b.path, b.line, b.rule)));
    failures.dedup_by(|a, b| a.path == b.path && a.rule == b.rule && a.why == b.why);
    for f in &failures {
        say(&format!("note: {}:{}: the fix of `{}` is not applied: {}", f.path, f.line, f.rule, f.why));
    }
    not_fixable(&report);
    if diff {
        print_diffs(&before, &fixed, &original, &report)?;
    }
    let remaining = report.diagnostics.len();
    let more = report
        .diagnostics
        .iter()
        .filter(|d| !allow_unsafe && d.fix.as_ref().is_some_and(|f| f.applicability == Applicability::Unsafe))
        .count();
    let more = if more > 0 { format!(", {more} more fixable with --unsafe-fixes") } else { String::new() };
    let files = plural(fixed.len(), "file");
    if diff {
        say(&format!("would fix {} in {files}; {} would remain{more}", plural(count, "finding"), remaining));
        return Ok(Outcome::Diffed(!fixed.is_empty()));
    }
    write_files(&fixed, &before, disk)?;
    say(&format!("fixed {} in {files}; {remaining} remain{more}", plural(count, "finding")));
    Ok(Outcome::Fixed(Box::new(report)))
}

/// After a text report on a terminal: how many of its findings `--fix` (and `--unsafe-fixes`)
/// would fix. `None` when there is none.
pub fn hint(report: &Report) -> Option<String> {
    let count = |a: Applicability| {
        report.diagnostics.iter().filter(|d| d.fix.as_ref().is_some_and(|f| f.applicability == a)).count()
    };
    let how = "(`--diff` shows how)";
    match (count(Applicability::Safe), count(Applicability::Unsafe)) {
        (0, 0) => None,
        (0, n) => Some(format!("note: {} fixable with `--fix --unsafe-fixes` {how}", plural(n, "finding"))),
        (n, 0) => Some(format!("note: {} fixable with `--fix` {how}", plural(n, "finding"))),
        (n, m) => {
            Some(format!("note: {} fixable with `--fix`, {m} more with `--unsafe-fixes` {how}", plural(n, "finding")))
        }
    }
}

/// Runs `f` on a thread with the stack the core parses on (16 MiB): hcl-edit recurses deeply on
/// the deepest input the core accepts. `None` when no thread can be started.
pub(crate) fn on_parsing_stack<T: Send>(f: impl FnOnce() -> T + Send) -> Option<T> {
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new().stack_size(16 << 20).spawn_scoped(scope, f).ok()?;
        Some(handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    })
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 { format!("1 {what}") } else { format!("{n} {what}s") }
}

/// As `say!` in main: to stderr, control characters escaped, a closed stderr ignored.
fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "{}", escape_controls(line, true));
}

fn failure(d: &Diagnostic, why: &str) -> Failure {
    Failure { path: d.location.path.clone(), line: d.location.start.line, rule: d.rule, why: why.to_string() }
}

/// The diagnostics with a wanted fix, by file.
fn by_file(report: &Report, allow_unsafe: bool) -> BTreeMap<&str, Vec<&Diagnostic>> {
    let mut out: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
    for d in &report.diagnostics {
        if d.fix.as_ref().is_some_and(|f| fix::wanted(f, allow_unsafe)) {
            out.entry(d.location.path.as_str()).or_default().push(d);
        }
    }
    out
}

/// Says which files hold findings of fixable rules that are not `.tf`, so get no fix.
fn not_fixable(report: &Report) {
    let mut by_path: BTreeMap<&str, usize> = BTreeMap::new();
    for d in &report.diagnostics {
        let fixable_rule = registry::find(d.rule).is_some_and(|m| m.fix.is_some());
        if fixable_rule && d.fix.is_none() && !d.location.path.to_ascii_lowercase().ends_with(".tf") {
            *by_path.entry(d.location.path.as_str()).or_default() += 1;
        }
    }
    for (path, n) in by_path {
        say(&format!(
            "note: {path}: {} not fixable: only .tf files are edited, not plans or .tf.json",
            plural(n, "finding")
        ));
    }
}

/// Unified diffs of the fixed files, each side through the sanitiser: the text before with the
/// secrets the first check found, the text after with those the last check found, and each
/// with the other's known values too (a literal moved by a fix is still masked).
fn print_diffs(
    before: &BTreeMap<String, String>,
    fixed: &BTreeMap<String, String>,
    original: &Report,
    last: &Report,
) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for (path, new) in fixed {
        let Some(old) = before.get(path) else { continue };
        let old = masked(path, old, original, last);
        let new = masked(path, new, last, original);
        let shown = escape_controls(path, false);
        let diff = similar::TextDiff::from_lines(&old, &new);
        let mut shown_diff =
            diff.unified_diff().context_radius(3).header(&format!("a/{shown}"), &format!("b/{shown}")).to_string();
        // After `\ No newline at end of file`, the next file's header starts a line of its own.
        if !shown_diff.ends_with('\n') {
            shown_diff.push('\n');
        }
        let written = out.write_all(shown_diff.as_bytes());
        match written {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
            other => other?,
        }
    }
    match out.flush() {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// `text` of `path` with the secrets `own` found in it masked, then the values `other` knows.
fn masked(path: &str, text: &str, own: &Report, other: &Report) -> String {
    let first = own.secrets.mask_source(path, text, true).text;
    // No file has this name: only the known values are looked for.
    other.secrets.mask_source("\0", &first, false).text
}

/// Writes the fixed files, each as it was encoded (a UTF-8 byte-order mark is kept), unless it
/// changed on disk since it was read.
fn write_files(
    fixed: &BTreeMap<String, String>,
    before: &BTreeMap<String, String>,
    disk: &walk::Disk,
) -> anyhow::Result<()> {
    for (name, text) in fixed {
        let path = disk.paths.get(name).map_or(Path::new(name), |p| p.as_path());
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                say(&format!("error: {name}: cannot be read again, not fixed: {e}"));
                continue;
            }
        };
        let bom = bytes.starts_with(&[0xEF, 0xBB, 0xBF]);
        let unchanged = Source::decode(&bytes).ok().as_ref() == before.get(name);
        if !unchanged || bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
            let why = if unchanged { "UTF-16 files are not rewritten" } else { "it changed while being fixed" };
            say(&format!("error: {name}: not fixed: {why}"));
            continue;
        }
        let mut out = Vec::with_capacity(text.len() + 3);
        if bom {
            out.extend_from_slice(&[0xEF, 0xBB, 0xBF]);
        }
        out.extend_from_slice(text.as_bytes());
        if let Err(e) = std::fs::write(path, out) {
            say(&format!("error: {name}: cannot be written: {e}"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use fleet_iam_core::{Config, SourceKind, check};

    #[test]
    fn the_hint_counts_safe_and_unsafe_fixes() {
        let text = "variable \"db_password\" {}\nresource \"aws_eks_cluster\" \"x\" {\n  vpc_config {\n    subnet_ids = []\n  }\n}\n";
        let report = check(&[Source::new("main.tf", text, SourceKind::Hcl)], &Config::strict());
        assert_eq!(
            hint(&report).as_deref(),
            Some("note: 1 finding fixable with `--fix`, 1 more with `--unsafe-fixes` (`--diff` shows how)")
        );
        assert_eq!(hint(&Report::default()), None);
    }
}
