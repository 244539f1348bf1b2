//! The fixture harness: every `testdata/rules/<rule-id>/bad_*` file (or directory of files) must
//! produce at least one diagnostic of that rule, pinned by a snapshot beside it; every `ok_*`
//! must produce none. Only the rule under test (and `parse-error`) is enabled.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use fleet_iam_core::{Config, Diagnostic, Report, Source, SourceKind, check, registry};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Reads a fixture file or directory into sources named relative to the repository root.
fn load(path: &Path) -> Vec<Source> {
    let mut files = Vec::new();
    if path.is_dir() {
        let mut stack = vec![path.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let p = entry.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else if !p.to_string_lossy().ends_with(".snap") {
                    files.push(p);
                }
            }
        }
    } else {
        files.push(path.to_path_buf());
    }
    files.sort();
    files
        .into_iter()
        .filter_map(|p| {
            let name = p.strip_prefix(root()).unwrap().to_string_lossy().replace('\\', "/");
            let text = Source::decode(&std::fs::read(&p).unwrap()).unwrap();
            let kind = SourceKind::detect(&name, &text)?;
            Some(Source::new(name, text, kind))
        })
        .collect()
}

/// A plain rendering of diagnostics with their source lines, for snapshots; the lines are cut
/// from the sanitised text, as every output format shows them.
pub fn render(report: &Report, sources: &[Source]) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        render_one(&mut out, d, report, sources);
    }
    out
}

fn render_one(out: &mut String, d: &Diagnostic, report: &Report, sources: &[Source]) {
    writeln!(out, "{}[{}]: {}", d.severity, d.rule, d.message).unwrap();
    excerpt(out, &d.location, "^", "", report, sources);
    for label in &d.labels {
        excerpt(out, &label.location, "-", &label.message, report, sources);
    }
    if let Some(help) = &d.help {
        writeln!(out, "  = help: {help}").unwrap();
    }
    if let Some(address) = &d.address {
        writeln!(out, "  = address: {address}").unwrap();
    }
    if let Some(pointer) = &d.pointer {
        writeln!(out, "  = pointer: {pointer}").unwrap();
    }
    out.push('\n');
}

fn excerpt(
    out: &mut String,
    loc: &fleet_iam_core::Location,
    mark: &str,
    label: &str,
    report: &Report,
    sources: &[Source],
) {
    writeln!(out, "  --> {}:{}:{}", loc.path, loc.start.line, loc.start.column).unwrap();
    let Some(source) = sources.iter().find(|s| s.name == loc.path) else {
        return;
    };
    let masked = report.secrets.mask_source(&source.name, &source.text, true);
    let text = masked.text.as_str();
    // Line breaks are kept by the sanitiser: the line numbers are those of the source.
    let line_start: usize = text.split_inclusive('\n').take(loc.start.line - 1).map(str::len).sum();
    let line = text[line_start..].lines().next().unwrap_or_default().trim_end_matches('\r');
    let std::ops::Range { start, end } = masked.range(loc.span.range());
    let before = text.get(line_start..start.max(line_start)).unwrap_or_default();
    let width = match text.get(start..end) {
        Some(spanned) if loc.end.line == loc.start.line => spanned.chars().count().max(1),
        _ => 1,
    };
    let pad: String = before.chars().map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
    writeln!(out, "   | {line}").unwrap();
    writeln!(out, "   | {pad}{} {label}", mark.repeat(width)).unwrap();
}

#[test]
fn rule_fixtures() {
    let rules_dir = root().join("testdata/rules");
    let mut failures = Vec::new();
    let mut checked = 0;
    for meta in registry::all() {
        let dir = rules_dir.join(meta.id);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut entries: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
        entries.sort();
        for path in entries {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if name.ends_with(".snap") || name.ends_with(".snap.new") {
                continue;
            }
            let bad = name.starts_with("bad_");
            if !bad && !name.starts_with("ok_") {
                failures.push(format!("{}: fixture names start with bad_ or ok_", path.display()));
                continue;
            }
            let sources = load(&path);
            let mut config = Config::strict();
            // Suppressions are about other rules' findings: every rule runs for them.
            if meta.id != "suppression" {
                config.select(&[meta.id.to_string(), "parse-error".to_string()]).unwrap();
            }
            config.today = Some("2026-06-01".into());
            let mut report = check(&sources, &config);
            report.diagnostics.retain(|d| d.rule == meta.id || d.rule == "parse-error");
            checked += 1;
            if meta.id != "parse-error"
                && let Some(d) = report.diagnostics.iter().find(|d| d.rule == "parse-error")
            {
                failures.push(format!("{name}: does not parse: {}", d.message));
                continue;
            }
            let own: usize = report.diagnostics.iter().filter(|d| d.rule == meta.id).count();
            if bad && own == 0 {
                failures.push(format!("{}/{name}: expected a diagnostic, got none", meta.id));
            }
            if !bad && own > 0 {
                failures.push(format!(
                    "{}/{name}: expected no diagnostic, got:\n{}",
                    meta.id,
                    render(&report, &sources)
                ));
            }
            if bad {
                let mut settings = insta::Settings::clone_current();
                settings.set_snapshot_path(&dir);
                settings.set_prepend_module_to_snapshot(false);
                settings.set_omit_expression(true);
                settings.bind(|| insta::assert_snapshot!(name.clone(), render(&report, &sources)));
            }
        }
    }
    assert!(checked > 0, "no fixtures found under {}", rules_dir.display());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_has_bad_and_ok_fixtures() {
    let rules_dir = root().join("testdata/rules");
    for meta in registry::all() {
        let names: Vec<String> = std::fs::read_dir(rules_dir.join(meta.id))
            .map(|d| d.map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect())
            .unwrap_or_default();
        assert!(names.iter().any(|n| n.starts_with("bad_") && !n.ends_with(".snap")), "{}: no bad_ fixture", meta.id);
        assert!(names.iter().any(|n| n.starts_with("ok_")), "{}: no ok_ fixture", meta.id);
    }
}

/// Every prefix of every fixture (cut at a char boundary) is checked without a panic, and a
/// cut policy or Terraform file yields diagnostics rather than nothing at all.
#[test]
fn truncated_fixtures_never_panic() {
    let mut stack = vec![root().join("testdata/rules")];
    let mut files = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if !path.to_string_lossy().contains(".snap") {
                files.push(path);
            }
        }
    }
    files.sort();
    let config = Config::strict();
    let mut checks = 0;
    for path in files {
        for source in load(&path) {
            let text = &source.text;
            for cut in (0..text.len()).step_by(5).filter(|&i| text.is_char_boundary(i)) {
                let truncated = Source::new(source.name.clone(), &text[..cut], source.kind);
                let report = check(std::slice::from_ref(&truncated), &config);
                checks += 1;
                for d in &report.diagnostics {
                    assert!(d.location.span.end <= cut, "{}: span past the end at cut {cut}", source.name);
                }
            }
        }
    }
    assert!(checks > 1000, "only {checks} truncated inputs were checked");
}
