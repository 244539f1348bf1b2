//! `--statistics`: how many findings each rule has, most first, for triage of a large tree.
//!
//! As ruff prints them: the count, right-aligned, then the rule id, its audit finding, `[*]` when
//! `check --fix` fixes some of them, and the rule's one-line summary, separated by tabs. The
//! summary is the catalogue's, not a message, so nothing from the checked files is shown but the
//! rule ids.

use fleet_iam_core::{Applicability, Report, registry};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// One rule's row.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Row {
    /// How many findings it has.
    pub count: usize,
    /// The rule id.
    pub rule: String,
    /// Its audit finding (`H5`), if any.
    pub finding: Option<&'static str>,
    /// How many of them `check --fix` fixes (safe fixes).
    pub fixable: usize,
    /// The rule's one-line summary from the catalogue.
    pub summary: &'static str,
}

/// The rows of `report`: by count, most first, then by rule id.
pub fn rows(report: &Report) -> Vec<Row> {
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for d in &report.diagnostics {
        let (count, fixable) = counts.entry(d.rule).or_default();
        *count += 1;
        *fixable += usize::from(d.fix.as_ref().is_some_and(|f| f.applicability == Applicability::Safe));
    }
    let mut rows: Vec<Row> = counts
        .into_iter()
        .map(|(rule, (count, fixable))| {
            let meta = registry::find(rule);
            Row {
                count,
                rule: rule.to_string(),
                finding: meta.and_then(|m| m.finding).map(|f| f.as_str()),
                fixable,
                summary: meta.map_or("", |m| m.summary),
            }
        })
        .collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.rule.cmp(&b.rule)));
    rows
}

/// Writes the table, or with `json` a JSON array of the rows.
pub fn render(report: &Report, json: bool, out: &mut dyn Write) -> io::Result<()> {
    let rows = rows(report);
    if json {
        serde_json::to_writer_pretty(&mut *out, &rows)?;
        return writeln!(out);
    }
    let count_width = rows.iter().map(|r| r.count.to_string().len()).max().unwrap_or(1);
    let rule_width = rows.iter().map(|r| r.rule.len()).max().unwrap_or(0);
    for row in &rows {
        let finding = row.finding.unwrap_or("-");
        let fix = if row.fixable > 0 { "[*]" } else { "   " };
        writeln!(out, "{:>count_width$}\t{:<rule_width$}\t{finding:<4}\t{fix}\t{}", row.count, row.rule, row.summary)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use fleet_iam_core::{Diagnostic, Fix, LineCol, Location, Severity, Span};

    fn finding(rule: &'static str) -> Diagnostic {
        let origin = LineCol { line: 1, column: 1 };
        Diagnostic {
            rule,
            finding: None,
            severity: Severity::Error,
            message: "m".into(),
            help: None,
            location: Location { path: "a.tf".into(), span: Span::default(), start: origin, end: origin },
            address: None,
            pointer: None,
            labels: Vec::new(),
            fix: None,
        }
    }

    #[test]
    fn counts_sorted_most_first_then_by_rule() {
        let rules = [
            "secret-variable-not-sensitive",
            "iam-service-wildcard",
            "secret-variable-not-sensitive",
            "eks-public-cidr",
            "iam-service-wildcard",
        ];
        let mut diagnostics: Vec<Diagnostic> = rules.iter().map(|r| finding(r)).collect();
        // One variable can be fixed by `--fix`; the CIDR only with `--unsafe-fixes`.
        diagnostics[2].fix = Some(Fix::safe("mark it sensitive", Vec::new()));
        diagnostics[3].fix = Some(Fix::unsafe_("drop 0.0.0.0/0", Vec::new()));
        let report = Report { files: 1, diagnostics, ..Report::default() };
        let mut out = Vec::new();
        render(&report, false, &mut out).unwrap_or_default();
        let text = String::from_utf8(out).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[0].starts_with("2\tiam-service-wildcard         \tH5  \t   \t"), "{text}");
        assert!(lines[1].starts_with("2\tsecret-variable-not-sensitive\tM8  \t[*]\t"), "{text}");
        assert!(lines[2].starts_with("1\teks-public-cidr              \tM5  \t   \t"), "{text}");
        let mut out = Vec::new();
        render(&report, true, &mut out).unwrap_or_default();
        let json: serde_json::Value = serde_json::from_slice(&out).unwrap_or_default();
        assert_eq!(json[0]["rule"], "iam-service-wildcard");
        assert_eq!(json[0]["count"], 2);
        assert_eq!(json[2]["finding"], "M5");
        let fixable: Vec<_> = (0..3).map(|i| json[i]["fixable"].as_u64()).collect();
        assert_eq!(fixable, [Some(0), Some(1), Some(0)]);
    }

    #[test]
    fn no_findings_no_rows() {
        let mut out = Vec::new();
        render(&Report::default(), false, &mut out).unwrap_or_default();
        assert!(out.is_empty());
    }
}
