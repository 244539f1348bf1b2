//! The JSON report, version 1 (DESIGN section 5).

use super::Texts;
use fleet_iam_core::{Diagnostic, Label, Location, Report, Severity};
use serde::Serialize;
use std::io::{self, Write};

/// The version of this document's shape; bumped on any incompatible change.
const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    summary: Summary,
    findings: Vec<Finding<'a>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    findings: usize,
    errors: usize,
    warnings: usize,
    notes: usize,
    suppressed: usize,
}

#[derive(Serialize)]
struct Finding<'a> {
    rule: &'a str,
    finding: Option<&'static str>,
    severity: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    #[serde(flatten)]
    location: Position<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    address: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pointer: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    labels: Vec<LabelOut<'a>>,
    /// Present when `check --fix` can fix the finding (docs/fixes.md).
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<FixOut<'a>>,
}

#[derive(Serialize)]
struct FixOut<'a> {
    /// `safe` (applied by `--fix`) or `unsafe` (with `--unsafe-fixes`).
    applicability: &'static str,
    message: &'a str,
}

#[derive(Serialize)]
struct Position<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct LabelOut<'a> {
    #[serde(flatten)]
    location: Position<'a>,
    message: &'a str,
}

/// Writes the report as pretty-printed JSON with a trailing newline.
pub fn render(report: &Report, _texts: &dyn Texts, out: &mut dyn Write) -> io::Result<()> {
    let document = Document {
        version: VERSION,
        tool: Tool { name: "fleet-iam", version: env!("CARGO_PKG_VERSION") },
        summary: Summary {
            files: report.files,
            findings: report.diagnostics.len(),
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            notes: report.count(Severity::Note),
            suppressed: report.suppressed.len(),
        },
        findings: report.diagnostics.iter().map(finding).collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

fn finding(d: &Diagnostic) -> Finding<'_> {
    Finding {
        rule: d.rule,
        finding: d.finding.map(|f| f.as_str()),
        severity: d.severity.as_str(),
        message: &d.message,
        help: d.help.as_deref(),
        location: position(&d.location),
        address: d.address.as_deref(),
        pointer: d.pointer.as_deref(),
        labels: d.labels.iter().map(label).collect(),
        fix: d.fix.as_ref().map(|f| FixOut { applicability: f.applicability.as_str(), message: &f.message }),
    }
}

fn label(l: &Label) -> LabelOut<'_> {
    LabelOut { location: position(&l.location), message: &l.message }
}

fn position(l: &Location) -> Position<'_> {
    Position {
        path: &l.path,
        line: l.start.line,
        column: l.start.column,
        end_line: l.end.line,
        end_column: l.end.column,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fleet_iam_core::{LineCol, Source, Span};

    fn at(line: usize) -> Location {
        let start = LineCol { line, column: 3 };
        Location { path: "a.tf".into(), span: Span::new(0, 1), start, end: LineCol { line, column: 4 } }
    }

    #[test]
    fn labels_and_optional_fields_appear_only_when_present() {
        let diagnostic = |labels| Diagnostic {
            rule: "parse-error",
            finding: None,
            severity: Severity::Error,
            message: "m".into(),
            help: None,
            location: at(1),
            address: None,
            pointer: None,
            labels,
            fix: None,
        };
        let report = Report {
            files: 1,
            diagnostics: vec![
                diagnostic(Vec::new()),
                diagnostic(vec![Label { location: at(2), message: "here".into() }]),
            ],
            ..Report::default()
        };
        let mut out = Vec::new();
        render(&report, &Vec::<Source>::new(), &mut out).unwrap_or_default();
        let doc: serde_json::Value = serde_json::from_slice(&out).unwrap_or_default();
        let plain = &doc["findings"][0];
        assert!(plain.get("labels").is_none() && plain.get("address").is_none() && plain.get("pointer").is_none());
        assert!(plain["finding"].is_null() && plain["help"].is_null());
        let label = &doc["findings"][1]["labels"][0];
        assert_eq!(
            label,
            &serde_json::json!({"path": "a.tf", "line": 2, "column": 3, "end_line": 2, "end_column": 4, "message": "here"})
        );
    }
}
