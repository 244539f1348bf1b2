//! SARIF 2.1.0 (DESIGN section 5), as GitHub code scanning reads it.
//!
//! One run; `tool.driver.rules` lists every rule of the catalogue with its documentation and its
//! level in the recommended pack. Each result points at the finding's span (`columnKind` is
//! `unicodeCodePoints`, as fleet-iam counts columns), names the Terraform address as a logical
//! location, lists the secondary labels as related locations, and carries a fingerprint that
//! does not depend on line numbers (see [`super::fingerprint`]).
//!
//! Each rule carries what code scanning ranks alerts by (`properties`): `security-severity`
//! ([`RuleMeta::security_severity`], from the rule's finding and its recommended severity, never
//! from the input), `precision`, and `tags`: `security` and the finding for the rules of the
//! four findings, and the CWE ids of the weakness as `external/cwe/cwe-<n>` (the form CodeQL
//! uses and GitHub lists). `help` carries the rule's whole documentation, text and Markdown: it
//! is the catalogue's, never anything from the checked files.
//!
//! A rule's `helpUri` is there only when a documentation URL is configured (`docs-url` in
//! `fleet-iam.toml` or `--docs-url`): SARIF requires an absolute URI, and fleet-iam has no public
//! URL of its own. A relative `docs/rules.md#<id>` fails the schema, and a made-up address would
//! send users nowhere.

use super::{Texts, fingerprint};
use fleet_iam_core::{Config, Diagnostic, Location, Report, RuleMeta, Severity, registry};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

/// Where relative paths are resolved: the directory fleet-iam ran in (the repository root in CI).
const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    invocations: [Invocation; 1],
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
}

/// A `reportingDescriptor`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    default_configuration: Configuration,
    properties: RuleProperties,
}

/// A `multiformatMessageString` or a `message`.
#[derive(Serialize)]
struct Text {
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    markdown: Option<String>,
}

#[derive(Serialize)]
struct Configuration {
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    enabled: bool,
    level: &'static str,
}

/// What GitHub code scanning ranks a rule's alerts by.
#[derive(Serialize)]
struct RuleProperties {
    /// A number from 0.0 to 10.0, as a string (GitHub requires a string).
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    security_severity: Option<String>,
    precision: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: [ResultLocation<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<RelatedLocation>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<ResultProperties<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultLocation<'a> {
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RelatedLocation {
    id: usize,
    physical_location: PhysicalLocation,
    message: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation<'a> {
    fully_qualified_name: &'a str,
    kind: &'static str,
}

/// What SARIF has no field for: the audit finding and the JSON pointer.
#[derive(Serialize)]
struct ResultProperties<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    finding: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pointer: Option<&'a str>,
}

/// Writes the report as one pretty-printed SARIF log with a trailing newline. `docs_url` is the
/// URL of the project's `docs/` folder, for each rule's `helpUri`.
pub fn render(report: &Report, texts: &dyn Texts, out: &mut dyn Write, docs_url: Option<&str>) -> io::Result<()> {
    let prints = fingerprint::fingerprints(&report.diagnostics, texts, &report.secrets);
    let rules = rules(docs_url);
    // Where each rule sits in `tool.driver.rules`, for the results' `ruleIndex`.
    let indexes: HashMap<&str, usize> = rules.iter().enumerate().map(|(i, rule)| (rule.id, i)).collect();
    let results = report
        .diagnostics
        .iter()
        .zip(prints)
        .map(|(d, print)| result(d, print, indexes.get(d.rule).copied()))
        .collect();
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "fleet-iam",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules,
                },
            },
            invocations: [Invocation { execution_successful: true }],
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

/// Every rule of the catalogue, in catalogue order.
fn rules(docs_url: Option<&str>) -> Vec<Rule> {
    let recommended = Config::recommended();
    registry::all()
        .iter()
        .map(|meta| {
            let default = recommended.rule(meta.id).map(|r| r.severity);
            rule(meta, default, docs_url)
        })
        .collect()
}

/// The rule's ranking properties: see the module documentation.
fn properties(meta: &RuleMeta, default: Option<Severity>) -> RuleProperties {
    let mut tags = Vec::new();
    if let Some(finding) = meta.finding {
        tags.push("security".to_string());
        tags.push(finding.as_str().to_string());
    }
    for cwe in meta.cwe() {
        let number = cwe.trim_start_matches("CWE-");
        tags.push(format!("external/cwe/cwe-{number}"));
    }
    RuleProperties {
        security_severity: meta.security_severity(default).map(|score| format!("{score:.1}")),
        precision: meta.precision().as_str(),
        tags,
    }
}

fn rule(meta: &RuleMeta, default: Option<Severity>, docs_url: Option<&str>) -> Rule {
    let documentation = meta.documentation();
    let what = meta.section("What it does").unwrap_or_else(|| meta.summary.to_string());
    Rule {
        id: meta.id,
        name: meta.id,
        short_description: Text { text: meta.summary.to_string(), markdown: None },
        full_description: Text { text: what.clone(), markdown: Some(what) },
        help: Text { text: documentation.clone(), markdown: Some(documentation) },
        help_uri: docs_url.and_then(|url| meta.help_uri(url)),
        default_configuration: match default {
            Some(severity) => Configuration { enabled: true, level: level(severity) },
            // Off in the recommended pack: `enabled: false`, and `none` as its level.
            None => Configuration { enabled: false, level: "none" },
        },
        properties: properties(meta, default),
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        // `Severity` is non-exhaustive: a level added later is a note.
        _ => "note",
    }
}

/// A diagnostic as a SARIF result; `rule_index` is its rule's place in `tool.driver.rules`, if
/// the rule is there.
fn result(d: &Diagnostic, print: String, rule_index: Option<usize>) -> SarifResult<'_> {
    // GitHub shows `message.text` (it does not render `message.markdown`), so the help goes there.
    let text = match &d.help {
        Some(help) => format!("{}\nhelp: {help}", d.message),
        None => d.message.clone(),
    };
    let logical = d
        .address
        .as_deref()
        .map(|address| LogicalLocation { fully_qualified_name: address, kind: "resource" })
        .into_iter()
        .collect();
    let related = d
        .labels
        .iter()
        .enumerate()
        .map(|(i, label)| RelatedLocation {
            id: i + 1,
            physical_location: physical(&label.location),
            message: Text { text: label.message.clone(), markdown: None },
        })
        .collect();
    let properties = (d.finding.is_some() || d.pointer.is_some())
        .then(|| ResultProperties { finding: d.finding.map(|f| f.as_str()), pointer: d.pointer.as_deref() });
    SarifResult {
        rule_id: d.rule,
        rule_index,
        level: level(d.severity),
        message: Text { text, markdown: None },
        locations: [ResultLocation { physical_location: physical(&d.location), logical_locations: logical }],
        related_locations: related,
        partial_fingerprints: BTreeMap::from([(fingerprint::KEY, print)]),
        properties,
    }
}

fn physical(location: &Location) -> PhysicalLocation {
    PhysicalLocation {
        artifact_location: artifact(&location.path),
        region: Region {
            start_line: location.start.line,
            start_column: location.start.column,
            end_line: location.end.line,
            end_column: location.end.column,
        },
    }
}

/// A relative path becomes a relative URI against `%SRCROOT%`; an absolute one a `file://` URI.
fn artifact(path: &str) -> ArtifactLocation {
    let path = path.replace('\\', "/");
    let bytes = path.as_bytes();
    let drive = bytes.len() > 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/';
    if drive {
        // `C:/x` keeps its colon: it is not the first segment of a relative reference here.
        let (letter, rest) = path.split_at(2);
        return ArtifactLocation { uri: format!("file:///{letter}{}", encode(rest)), uri_base_id: None };
    }
    if path.starts_with('/') {
        return ArtifactLocation { uri: format!("file://{}", encode(&path)), uri_base_id: None };
    }
    let relative = path.strip_prefix("./").unwrap_or(&path);
    ArtifactLocation { uri: encode(relative), uri_base_id: Some(SRCROOT) }
}

/// Percent-encodes what may not stand in a URI path: everything but unreserved characters, `/`
/// and the sub-delimiters that carry no meaning in a path. `:` is encoded so that a relative
/// path can never be read as a scheme.
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b'/'
            | b'!'
            | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b'+'
            | b','
            | b';'
            | b'='
            | b'@' => out.push(char::from(byte)),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use fleet_iam_core::source::LineIndex;
    use fleet_iam_core::{Finding, Label, LineCol, Source, SourceKind, Span};

    const IAM: &str = "resource \"aws_iam_policy\" \"ci\" {\n  policy = jsonencode({\n    Statement = [{ Effect = \"Allow\", Action = \"eks:*\", Resource = \"*\" }]\n  })\n}\n";

    fn at(source: &Source, needle: &str) -> Location {
        let start = source.text.find(needle).unwrap_or(0);
        let span = Span::new(start, start + needle.len());
        let index = LineIndex::new(&source.text);
        let (from, to) = (index.line_col(&source.text, span.start), index.line_col(&source.text, span.end));
        Location { path: source.name.clone(), span, start: from, end: to }
    }

    /// A report with what the sample project lacks: a note, a path to encode, a rule that is not
    /// in the catalogue (no `ruleIndex`), a file whose text is not at hand.
    fn report() -> (Report, Vec<Source>) {
        let iam = Source::new("infra/iam.tf", IAM, SourceKind::Hcl);
        let nowhere = LineCol { line: 2, column: 5 };
        let diagnostics = vec![
            Diagnostic {
                rule: "iam-service-wildcard",
                finding: Some(Finding::H5),
                severity: Severity::Error,
                message: "`eks:*` allows every EKS action".into(),
                help: Some("list the actions".into()),
                location: at(&iam, "\"eks:*\""),
                address: Some("aws_iam_policy.ci".into()),
                pointer: Some("/Statement/0/Action".into()),
                labels: vec![Label { location: at(&iam, "\"*\" }"), message: "on every resource".into() }],
                fix: None,
            },
            Diagnostic {
                rule: "iam-unknown-action",
                finding: Some(Finding::H5),
                severity: Severity::Note,
                message: "`eks:Describ*` matches no action:\nis it a typo?".into(),
                help: None,
                location: Location {
                    path: "legacy policies/a,b.json".into(),
                    span: Span::default(),
                    start: nowhere,
                    end: nowhere,
                },
                address: None,
                pointer: None,
                labels: Vec::new(),
                fix: None,
            },
            Diagnostic {
                rule: "x-not-in-the-catalogue",
                finding: None,
                severity: Severity::Warning,
                message: "a rule from elsewhere".into(),
                help: None,
                location: at(&iam, "resource"),
                address: None,
                pointer: None,
                labels: Vec::new(),
                fix: None,
            },
        ];
        (Report { files: 2, diagnostics, ..Report::default() }, vec![iam])
    }

    #[test]
    fn renders_a_hand_built_report() {
        let (report, sources) = report();
        let mut out = Vec::new();
        render(&report, &sources, &mut out, None).unwrap_or_default();
        let mut log: serde_json::Value = serde_json::from_slice(&out).unwrap_or_default();
        // The rules are the catalogue's, checked against it by `tests/sarif.rs`; left out here so
        // that a new rule or a documentation change does not touch this snapshot.
        let rules = &mut log["runs"][0]["tool"]["driver"]["rules"];
        assert_eq!(rules.as_array().map(Vec::len), Some(registry::all().len()));
        *rules = "(every rule of the catalogue)".into();
        insta::assert_snapshot!(serde_json::to_string_pretty(&log).unwrap_or_default());
    }

    #[test]
    fn each_result_points_at_its_rule() {
        // One finding of every rule, in reverse catalogue order, and one of a rule outside it.
        let iam = Source::new("infra/iam.tf", IAM, SourceKind::Hcl);
        let finding = |rule: &'static str| Diagnostic {
            rule,
            finding: None,
            severity: Severity::Warning,
            message: rule.into(),
            help: None,
            location: at(&iam, "resource"),
            address: None,
            pointer: None,
            labels: Vec::new(),
            fix: None,
        };
        let mut ids: Vec<&'static str> = registry::all().iter().rev().map(|m| m.id).collect();
        ids.push("x-not-in-the-catalogue");
        let report = Report { files: 1, diagnostics: ids.iter().map(|id| finding(id)).collect(), ..Report::default() };
        let mut out = Vec::new();
        render(&report, &vec![iam], &mut out, None).unwrap_or_default();
        let log: serde_json::Value = serde_json::from_slice(&out).unwrap_or_default();
        let rules = &log["runs"][0]["tool"]["driver"]["rules"];
        let results = log["runs"][0]["results"].as_array().cloned().unwrap_or_default();
        assert_eq!(results.len(), ids.len());
        for (result, id) in results.iter().zip(&ids) {
            assert_eq!(result["ruleId"], *id);
            match result.get("ruleIndex").and_then(serde_json::Value::as_u64) {
                Some(index) => assert_eq!(rules[index as usize]["id"], *id),
                None => assert!(registry::find(id).is_none(), "{id} has no ruleIndex"),
            }
        }
        assert!(results.last().is_some_and(|r| r.get("ruleIndex").is_none()));
    }

    #[test]
    fn paths_become_uris() {
        let uri = |path: &str| {
            let a = artifact(path);
            (a.uri, a.uri_base_id)
        };
        assert_eq!(uri("infra/iam.tf"), ("infra/iam.tf".into(), Some(SRCROOT)));
        assert_eq!(uri("./infra/iam.tf"), ("infra/iam.tf".into(), Some(SRCROOT)));
        assert_eq!(uri("infra\\a b%#?.tf"), ("infra/a%20b%25%23%3F.tf".into(), Some(SRCROOT)));
        assert_eq!(uri("a:b.tf"), ("a%3Ab.tf".into(), Some(SRCROOT)));
        assert_eq!(uri("é.tf"), ("%C3%A9.tf".into(), Some(SRCROOT)));
        assert_eq!(uri("/srv/infra/iam.tf"), ("file:///srv/infra/iam.tf".into(), None));
        assert_eq!(uri("C:\\infra\\iam.tf"), ("file:///C:/infra/iam.tf".into(), None));
    }
}
