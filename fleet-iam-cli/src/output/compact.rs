//! `path:line:col: severity[rule] message`, one line per finding, for problem matchers and grep.

use super::Texts;
use fleet_iam_core::Report;
use std::io::{self, Write};

/// Writes one line per diagnostic; nothing when there are none.
pub fn render(report: &Report, _texts: &dyn Texts, out: &mut dyn Write) -> io::Result<()> {
    // The core's `Display` is this line: control characters escaped, and the message's line
    // breaks made spaces (a line break would split the finding for a line-based matcher).
    for d in &report.diagnostics {
        writeln!(out, "{d}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use fleet_iam_core::{Diagnostic, LineCol, Location, Severity, Source, Span};

    #[test]
    fn one_line_per_finding_even_with_line_breaks_in_the_message() {
        let location = Location {
            path: "a/b.tf".into(),
            span: Span::new(0, 1),
            start: LineCol { line: 3, column: 7 },
            end: LineCol { line: 3, column: 8 },
        };
        let diagnostic = Diagnostic {
            rule: "iam-service-wildcard",
            finding: None,
            severity: Severity::Warning,
            message: "first\nsecond".into(),
            help: None,
            location,
            address: None,
            pointer: None,
            labels: Vec::new(),
            fix: None,
        };
        let mut out = Vec::new();
        render(
            &Report { files: 1, diagnostics: vec![diagnostic], ..Report::default() },
            &Vec::<Source>::new(),
            &mut out,
        )
        .unwrap_or_default();
        assert_eq!(String::from_utf8_lossy(&out), "a/b.tf:3:7: warning[iam-service-wildcard] first second\n");
    }
}
