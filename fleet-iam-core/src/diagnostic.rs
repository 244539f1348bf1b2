//! What a check reports: diagnostics with their locations, severities and findings.

use crate::fix::Fix;
use crate::secrets::Secrets;
use crate::source::{LineCol, Span};
use std::fmt;

/// How serious a diagnostic is. Ordered from least to most serious.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
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
