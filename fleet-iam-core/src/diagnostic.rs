//! What a check reports: diagnostics with their locations, severities and findings.

use crate::fix::Fix;
use crate::secrets::Secrets;
use crate::source::{LineCol, Span};
use std::fmt;

/// How serious a diagnostic is. Ordered from least to most serious.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Deserialize)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Severity {
    /// Worth knowing; does not fail a build by default.
    Note,
    /// Likely a problem.
    Warning,
    /// A problem that fails the check by default.
    Error,
}

impl Severity {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The audit finding a rule belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Finding {
    /// Wildcard IAM permissions.
    H5,
    /// A public EKS API endpoint.
    M5,
    /// Secrets that show up in `terraform plan` output.
    M8,
    /// Instances that do not require IMDSv2.
    Imds,
}

/// As the audit writes it: `H5`, `M5`, `M8`, `IMDS`.
#[cfg(feature = "serde")]
impl serde::Serialize for Finding {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl Finding {
    /// The finding's name as the audit writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Finding::H5 => "H5",
            Finding::M5 => "M5",
            Finding::M8 => "M8",
            Finding::Imds => "IMDS",
        }
    }

    /// Parses a finding name, case-insensitively.
    pub fn parse(name: &str) -> Option<Finding> {
        [Finding::H5, Finding::M5, Finding::M8, Finding::Imds]
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A place in a source, resolved to lines and columns.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Location {
    /// The source's name (a path as given).
    pub path: String,
    /// The byte span in the source's text.
    pub span: Span,
    /// Where the span starts.
    pub start: LineCol,
    /// Where the span ends (exclusive end, as a position).
    pub end: LineCol,
}

/// A secondary place that explains a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Label {
    /// Where.
    pub location: Location,
    /// What this place has to do with the diagnostic.
    pub message: String,
}

/// One finding of one rule at one place.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// The rule's id (`iam-service-wildcard`).
    pub rule: &'static str,
    /// The audit finding the rule belongs to, if any.
    pub finding: Option<Finding>,
    /// The configured severity.
    pub severity: Severity,
    /// What is wrong with the concrete value, and why it matters.
    pub message: String,
    /// What to write instead.
    pub help: Option<String>,
    /// The primary location.
    pub location: Location,
    /// The Terraform address of the resource, where it applies.
    pub address: Option<String>,
    /// The JSON pointer into the policy or plan, where it applies.
    pub pointer: Option<String>,
    /// Secondary locations.
    pub labels: Vec<Label>,
    /// What `check --fix` can change for it (only in `.tf` files), when its rule knows.
    pub fix: Option<Fix>,
}

/// One compact line, as `--format compact` writes it: `path:line:col: severity[rule] message`.
/// The message's line breaks and runs of white space become one space, and control characters
/// in the path and message are escaped (`\u{1b}`), so that a diagnostic can be printed as it is.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::secrets::escape_controls;
        let path = escape_controls(&self.location.path, false);
        let message = escape_controls(&self.message, true);
        let start = self.location.start;
        write!(f, "{path}:{}:{}: {}[{}] ", start.line, start.column, self.severity, self.rule)?;
        for (i, word) in message.split_whitespace().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            f.write_str(word)?;
        }
        Ok(())
    }
}

/// The JSON format's finding object (version 1): `rule`, `finding`, `severity`, `message`,
/// `help`, `path`, `line`, `column`, `end_line`, `end_column`, and `address`, `pointer` and
/// `labels` and `fix` where present. Lines and columns are 1-based; columns count Unicode scalar
/// values.
#[cfg(feature = "serde")]
impl serde::Serialize for Diagnostic {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let extra = usize::from(self.address.is_some())
            + usize::from(self.pointer.is_some())
            + usize::from(!self.labels.is_empty())
            + usize::from(self.fix.is_some());
        let mut map = serializer.serialize_map(Some(9 + extra))?;
        map.serialize_entry("rule", self.rule)?;
        map.serialize_entry("finding", &self.finding)?;
        map.serialize_entry("severity", &self.severity)?;
        map.serialize_entry("message", &self.message)?;
        map.serialize_entry("help", &self.help)?;
        position(&mut map, &self.location)?;
        if let Some(address) = &self.address {
            map.serialize_entry("address", address)?;
        }
        if let Some(pointer) = &self.pointer {
            map.serialize_entry("pointer", pointer)?;
        }
        if !self.labels.is_empty() {
            map.serialize_entry("labels", &self.labels)?;
        }
        if let Some(fix) = &self.fix {
            map.serialize_entry("fix", fix)?;
        }
        map.end()
    }
}

/// A label as the JSON format shows it: its position, then its `message`.
#[cfg(feature = "serde")]
impl serde::Serialize for Label {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(6))?;
        position(&mut map, &self.location)?;
        map.serialize_entry("message", &self.message)?;
        map.end()
    }
}

/// A fix as the JSON format shows it: `applicability` (`safe`, applied by `--fix`, or `unsafe`,
/// with `--unsafe-fixes`) and `message`. The edits stay out: they are for `check --fix`.
#[cfg(feature = "serde")]
impl serde::Serialize for Fix {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("applicability", self.applicability.as_str())?;
        map.serialize_entry("message", &self.message)?;
        map.end()
    }
}

/// `path`, `line`, `column`, `end_line`, `end_column`.
#[cfg(feature = "serde")]
fn position<M: serde::ser::SerializeMap>(map: &mut M, location: &Location) -> Result<(), M::Error> {
    map.serialize_entry("path", &location.path)?;
    map.serialize_entry("line", &location.start.line)?;
    map.serialize_entry("column", &location.start.column)?;
    map.serialize_entry("end_line", &location.end.line)?;
    map.serialize_entry("end_column", &location.end.column)
}

impl Diagnostic {
    /// A file that could not be read as text (I/O error, invalid UTF-8, binary): a
    /// `parse-error` at its first line.
    pub fn unreadable(path: &str, message: &str) -> Diagnostic {
        let origin = LineCol { line: 1, column: 1 };
        Diagnostic {
            rule: "parse-error",
            finding: None,
            severity: Severity::Error,
            message: format!("this file could not be read: {message}"),
            help: Some("this file is not checked; the other files are".into()),
            location: Location { path: path.to_string(), span: Span::default(), start: origin, end: origin },
            address: None,
            pointer: None,
            labels: Vec::new(),
            fix: None,
        }
    }
}

/// The result of a check.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// How many sources were checked.
    pub files: usize,
    /// Findings, sorted by path, position, then rule.
    pub diagnostics: Vec<Diagnostic>,
    /// Findings silenced by an ignore comment or an `[[ignore]]` entry, in the same order.
    pub suppressed: Vec<Diagnostic>,
    /// Where the secrets of the inputs are: every renderer shows source text through
    /// [`Secrets::mask_source`]; messages, addresses and pointers are already masked.
    pub secrets: Secrets,
}

impl Report {
    /// How many diagnostics have the given severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == severity).count()
    }

    /// Records a file that could not be read as text (I/O error, invalid UTF-8, binary) as a
    /// `parse-error` at its first line, keeping the order.
    pub fn push_unreadable(&mut self, path: &str, message: &str) {
        let diagnostic = Diagnostic::unreadable(path, message);
        let at = self.diagnostics.partition_point(|d| d.location.path.as_str() < path);
        self.diagnostics.insert(at, diagnostic);
        self.files += 1;
    }

    /// The most serious severity among the diagnostics.
    pub fn max_severity(&self) -> Option<Severity> {
        self.diagnostics.iter().map(|d| d.severity).max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagnostic() -> Diagnostic {
        let at = |line, column| LineCol { line, column };
        Diagnostic {
            rule: "iam-service-wildcard",
            finding: Some(Finding::H5),
            severity: Severity::Error,
            message: "`eks:*` allows\nevery  EKS action\u{1b}[2J".into(),
            help: Some("list the actions".into()),
            location: Location {
                path: "infra/\u{7}iam.tf".into(),
                span: Span::new(3, 10),
                start: at(4, 38),
                end: at(4, 45),
            },
            address: Some("aws_iam_policy.ci".into()),
            pointer: None,
            labels: vec![Label {
                location: Location {
                    path: "infra/iam.tf".into(),
                    span: Span::new(1, 2),
                    start: at(5, 1),
                    end: at(5, 2),
                },
                message: "here".into(),
            }],
            fix: Some(Fix::safe("add `sensitive = true`", Vec::new())),
        }
    }

    #[test]
    fn display_is_one_compact_line() {
        assert_eq!(
            diagnostic().to_string(),
            "infra/\\u{7}iam.tf:4:38: error[iam-service-wildcard] `eks:*` allows every EKS action\\u{1b}[2J"
        );
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serializes_in_the_json_format_shape() {
        let json = serde_json::to_value(diagnostic()).unwrap_or_default();
        assert_eq!(
            json,
            serde_json::json!({
                "rule": "iam-service-wildcard", "finding": "H5", "severity": "error",
                "message": "`eks:*` allows\nevery  EKS action\u{1b}[2J", "help": "list the actions",
                "path": "infra/\u{7}iam.tf", "line": 4, "column": 38, "end_line": 4, "end_column": 45,
                "address": "aws_iam_policy.ci",
                "labels": [{ "path": "infra/iam.tf", "line": 5, "column": 1, "end_line": 5, "end_column": 2, "message": "here" }],
                "fix": { "applicability": "safe", "message": "add `sensitive = true`" }
            })
        );
        let plain =
            Diagnostic { finding: None, help: None, address: None, labels: Vec::new(), fix: None, ..diagnostic() };
        let json = serde_json::to_value(plain).unwrap_or_default();
        assert!(json["finding"].is_null() && json["help"].is_null());
        assert!(json.get("address").is_none() && json.get("pointer").is_none() && json.get("labels").is_none());
        assert!(json.get("fix").is_none());
        assert_eq!(serde_json::to_value(Finding::Imds).unwrap_or_default(), "IMDS");
    }
}
