//! GitHub Actions workflow commands, one per finding, which GitHub shows as annotations on the
//! run and on the pull request's changed lines:
//! `::error file=PATH,line=L,col=C,endLine=EL,endColumn=EC,title=RULE::MESSAGE%0Ahelp: HELP`.
//!
//! Errors are `::error`, warnings `::warning`, notes `::notice`. Values are escaped as the
//! Actions toolkit does: `%`, `\r` and `\n` in the message; also `:` and `,` in properties.

use super::Texts;
use fleet_iam_core::{Report, Severity};
use std::io::{self, Write};

/// Writes one workflow command per diagnostic; nothing when there are none.
pub fn render(report: &Report, _texts: &dyn Texts, out: &mut dyn Write) -> io::Result<()> {
    for d in &report.diagnostics {
        // Windows separators become `/` before control characters are escaped, whose escapes
        // hold a backslash of their own.
        let mut d = d.clone();
        d.location.path = d.location.path.replace('\\', "/");
        let d = super::escaped(&d);
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            // `Severity` is non-exhaustive: a level added later is shown as a notice.
            _ => "notice",
        };
        let (start, end) = (d.location.start, d.location.end);
        let message = match &d.help {
            Some(help) => format!("{}\nhelp: {help}", d.message),
            None => d.message.clone(),
        };
        writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(&d.location.path),
            start.line,
            start.column,
            end.line,
            end.column,
            escape_property(d.rule),
            escape_data(&message),
        )?;
    }
    Ok(())
}

/// Escapes the message of a workflow command.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value of a workflow command.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use fleet_iam_core::{Diagnostic, Finding, LineCol, Location, Source, Span};

    fn diagnostic(severity: Severity, path: &str, message: &str, help: Option<&str>) -> Diagnostic {
        Diagnostic {
            rule: "iam-service-wildcard",
            finding: Some(Finding::H5),
            severity,
            message: message.into(),
            help: help.map(str::to_string),
            location: Location {
                path: path.into(),
                span: Span::new(10, 17),
                start: LineCol { line: 3, column: 14 },
                end: LineCol { line: 4, column: 2 },
            },
            address: None,
            pointer: None,
            labels: Vec::new(),
            fix: None,
        }
    }

    #[test]
    fn renders_a_hand_built_report() {
        let diagnostics = vec![
            diagnostic(
                Severity::Error,
                "infra/iam.tf",
                "`eks:*` allows 100% of EKS",
                Some("list the actions:\nsee docs"),
            ),
            diagnostic(Severity::Warning, "C:\\infra\\a,b.tf", "two\r\nlines", None),
            diagnostic(Severity::Note, "x.tf", "a note", Some("a help")),
        ];
        let mut out = Vec::new();
        render(&Report { files: 3, diagnostics, ..Report::default() }, &Vec::<Source>::new(), &mut out)
            .unwrap_or_default();
        insta::assert_snapshot!(String::from_utf8_lossy(&out));
    }

    #[test]
    fn data_escapes_percent_and_line_breaks_only() {
        assert_eq!(escape_data("100% of a:b, c\r\nnext"), "100%25 of a:b, c%0D%0Anext");
        // `%` first, so that an escape already in the text is not read back as one.
        assert_eq!(escape_data("%0A"), "%250A");
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(escape_property("C:\\a,b%\n.tf"), "C%3A\\a%2Cb%25%0A.tf");
        assert_eq!(escape_property("plain/path.tf"), "plain/path.tf");
    }
}
