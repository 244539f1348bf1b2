//! Fingerprints that identify a finding across runs, whatever lines move around it.
//!
//! `fleet-iam/v1` is the 128-bit FNV-1a hash, as 32 lowercase hex digits, of these fields, each
//! followed by a NUL byte: the rule id, the path (`\` read as `/`), the Terraform address, the JSON
//! pointer (empty when absent), and the text of the finding's span with each run of whitespace
//! collapsed to one space and the ends trimmed. Line and column numbers are not part of it. The
//! span text is left out for the M8 (secrets) rules, and elsewhere it is the sanitised text
//! (each secret in it shown as `****`), as are the address and pointer: no hash of a secret is
//! ever written, and a fingerprint does not change when only a secret value does.
//! When several findings of one report have the same fields, the second gets `:2` appended to its
//! fingerprint, the third `:3`, and so on, in report order.
//!
//! The hash is implemented here (FNV-1a is a few lines) so that it cannot change with a
//! dependency; a change to what goes into it must bump the `v1`.

use super::Texts;
use fleet_iam_core::secrets::Masked;
use fleet_iam_core::{Diagnostic, Finding, Secrets};
use std::collections::HashMap;

/// The key of the fingerprint in SARIF `partialFingerprints`.
pub const KEY: &str = "fleet-iam/v1";

const FNV_OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
const FNV_PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;

/// The 128-bit FNV-1a hash of `bytes`.
fn fnv1a_128(bytes: &[u8]) -> u128 {
    bytes.iter().fold(FNV_OFFSET, |hash, &byte| (hash ^ u128::from(byte)).wrapping_mul(FNV_PRIME))
}

/// The fingerprint of every diagnostic of a report, in order.
///
/// The report's diagnostics come sorted by path: the text of one file is held at a time, asked
/// for once per run of diagnostics in it, and not at all for a run of secrets (M8) findings only.
pub fn fingerprints(diagnostics: &[Diagnostic], texts: &dyn Texts, secrets: &Secrets) -> Vec<String> {
    let mut seen: HashMap<u128, usize> = HashMap::new();
    let mut prints = Vec::with_capacity(diagnostics.len());
    for run in diagnostics.chunk_by(|a, b| a.location.path == b.location.path) {
        let text = match run.iter().find(|d| d.finding != Some(Finding::M8)) {
            Some(d) => texts.text(&d.location.path).map(|t| secrets.mask_source(&d.location.path, &t, false)),
            None => None,
        };
        for d in run {
            let hash = fnv1a_128(&fields(d, text.as_ref()));
            let count = seen.entry(hash).or_default();
            *count += 1;
            prints.push(if *count == 1 { format!("{hash:032x}") } else { format!("{hash:032x}:{count}") });
        }
    }
    prints
}

/// What is hashed: the fields, each followed by a NUL byte.
fn fields(d: &Diagnostic, text: Option<&Masked>) -> Vec<u8> {
    let snippet = match (d.finding, text) {
        (Some(Finding::M8), _) | (_, None) => String::new(),
        (_, Some(masked)) => normalised(masked.text.get(masked.range(d.location.span.range())).unwrap_or_default()),
    };
    let path = d.location.path.replace('\\', "/");
    let mut out = Vec::new();
    for field in [d.rule, &path, d.address.as_deref().unwrap_or(""), d.pointer.as_deref().unwrap_or(""), &snippet] {
        out.extend_from_slice(field.as_bytes());
        out.push(0);
    }
    out
}

/// `text` with each run of whitespace collapsed to one space, trimmed.
fn normalised(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use fleet_iam_core::source::LineIndex;
    use fleet_iam_core::{Location, Severity, Source, SourceKind, Span};

    fn at(source: &Source, needle: &str, rule: &'static str, finding: Option<Finding>) -> Diagnostic {
        let start = source.text.find(needle).unwrap_or(0);
        let span = Span::new(start, start + needle.len());
        let index = LineIndex::new(&source.text);
        let location = Location {
            path: source.name.clone(),
            span,
            start: index.line_col(&source.text, span.start),
            end: index.line_col(&source.text, span.end),
        };
        Diagnostic {
            rule,
            finding,
            severity: Severity::Error,
            message: "m".into(),
            help: None,
            location,
            address: Some("aws_iam_policy.ci".into()),
            pointer: Some("/Statement/0/Action".into()),
            labels: Vec::new(),
            fix: None,
        }
    }

    const POLICY: &str = "resource \"aws_iam_policy\" \"ci\" {\n  policy = jsonencode({ Action = \"eks:*\" })\n}\n";

    #[test]
    fn known_value_of_the_hash() {
        // Test vectors of 128-bit FNV-1a.
        assert_eq!(fnv1a_128(b""), 0x6c62272e07bb014262b821756295c58d);
        assert_eq!(fnv1a_128(b"a"), 0xd228cb696f1a8caf78912b704e4a8964);
    }

    #[test]
    fn stable_when_lines_move_and_whitespace_changes() {
        let before = Source::new("infra/iam.tf", POLICY, SourceKind::Hcl);
        let moved = Source::new("infra/iam.tf", format!("\n\n# a comment\n{POLICY}"), SourceKind::Hcl);
        let print = |s: &Source| {
            fingerprints(&[at(s, "\"eks:*\"", "iam-service-wildcard", None)], &vec![s.clone()], &Secrets::default())
        };
        assert_eq!(print(&before), print(&moved));
        assert_eq!(print(&before)[0].len(), 32);

        let windows = Source::new("infra\\iam.tf", POLICY, SourceKind::Hcl);
        assert_eq!(print(&before), print(&windows));
    }

    #[test]
    fn changes_with_the_rule_the_text_or_the_place() {
        let source = Source::new("infra/iam.tf", POLICY, SourceKind::Hcl);
        let base = at(&source, "\"eks:*\"", "iam-service-wildcard", None);
        let mut other_text = base.clone();
        other_text.location.span = Span::new(0, 8);
        let mut other_address = base.clone();
        other_address.address = Some("aws_iam_policy.other".into());
        let mut other_rule = base.clone();
        other_rule.rule = "iam-wildcard-action";
        let all = fingerprints(&[base, other_text, other_address, other_rule], &vec![source], &Secrets::default());
        let unique: std::collections::HashSet<_> = all.iter().collect();
        assert_eq!(unique.len(), 4, "{all:?}");
    }

    #[test]
    fn duplicates_are_numbered_and_secrets_are_not_hashed() {
        let source = Source::new("a.tf", POLICY, SourceKind::Hcl);
        let twice =
            [at(&source, "eks", "secret-literal", Some(Finding::M8)), at(&source, "ci", "secret-literal", None)];
        let printed = fingerprints(&twice, &vec![source.clone()], &Secrets::default());
        assert_ne!(printed[0], printed[1]);
        // For M8 the span's text is not an input: another text gives the same value.
        let secret = [
            at(&source, "eks", "secret-literal", Some(Finding::M8)),
            at(&source, "ci", "secret-literal", Some(Finding::M8)),
        ];
        let printed = fingerprints(&secret, &vec![source], &Secrets::default());
        assert_eq!(printed[1], format!("{}:2", printed[0]));
    }

    #[test]
    fn each_file_is_asked_for_once_per_run_and_not_for_secrets_only() {
        let a = Source::new("a.tf", POLICY, SourceKind::Hcl);
        let b = Source::new("b.tf", POLICY, SourceKind::Hcl);
        let diagnostics = [
            at(&a, "eks", "secret-literal", Some(Finding::M8)),
            at(&a, "ci", "iam-service-wildcard", None),
            at(&a, "eks", "iam-service-wildcard", None),
            at(&b, "eks", "secret-literal", Some(Finding::M8)),
        ];
        let texts = super::super::tests::Recording { sources: vec![a, b], asked: Default::default() };
        let printed = fingerprints(&diagnostics, &texts, &Secrets::default());
        assert_eq!(printed, fingerprints(&diagnostics, &texts.sources, &Secrets::default()));
        assert_eq!(texts.asked.into_inner(), ["a.tf"]);
    }
}
