//! The JSON report, version 1 (DESIGN section 5).

use super::Texts;
use fleet_iam_core::{Diagnostic, Report, Severity};
use serde::Serialize;
use std::io::{self, Write};

/// The version of this document's shape; bumped on any incompatible change.
const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    summary: Summary,
    /// Each in the shape of the core's `Serialize` for [`Diagnostic`].
    findings: &'a [Diagnostic],
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
        findings: &report.diagnostics,
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use fleet_iam_core::{Label, LineCol, Location, Source, Span};

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
