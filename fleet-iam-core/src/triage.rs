//! What tools that rank alerts need to know about each rule: how often its findings are right
//! (precision), which weaknesses (CWE) it finds, how severe a finding is as a number, and where
//! its documentation lives. One table, keyed by rule id; a test holds it to the registry.
//!
//! # Security severity
//!
//! GitHub code scanning ranks security alerts by `security-severity`, a score from 0.0 to 10.0
//! (`critical` above 9.0, `high` from 7.0, `medium` from 4.0, `low` below). fleet-iam derives it
//! from two facts of the rule, never from the input:
//!
//! | the rule's finding | base |
//! |---|---|
//! | H5 (the audit rated it High) | 8.0 |
//! | M5, M8 (rated Medium) | 5.5 |
//! | IMDS (not rated; treated as Medium) | 5.5 |
//!
//! plus an adjustment by the rule's severity in the recommended pack: `error` +0.5, `warning`
//! 0, `note` -2.0, off (only in the strict pack) -2.0. So `iam-service-wildcard` (H5, error) is
//! 8.5, high; `iam-wildcard-resource` (H5, warning) is 8.0, high; `eks-public-cidr` (M5, error)
//! is 6.0, medium; `secret-ci-variable-undeclared` (M8, note) is 3.5, low. Rules without a
//! finding (`parse-error`, `suppression`) are not security rules and have no score.

use crate::diagnostic::{Finding, Severity};

/// How often a rule's findings are true positives, in SARIF's `precision` terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Precision {
    /// Findings are rarely wrong: the rule matches a literal shape.
    VeryHigh,
    /// Findings are usually right; false positives come from values fleet-iam cannot see.
    High,
    /// The rule works from names or heuristics; review each finding.
    Medium,
    /// Many findings need a human to judge.
    Low,
}

impl Precision {
    /// The name SARIF uses (`very-high`, `high`, `medium`, `low`).
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::VeryHigh => "very-high",
            Precision::High => "high",
            Precision::Medium => "medium",
            Precision::Low => "low",
        }
    }
}

impl std::fmt::Display for Precision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The ranking facts of one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Triage {
    /// How often its findings are right.
    pub(crate) precision: Precision,
    /// The CWE ids of the weakness it finds (`CWE-732`), most specific first.
    pub(crate) cwe: &'static [&'static str],
}

/// Wildcard and over-broad grants: permissions assigned to more than they need to reach.
const OVER_BROAD: &[&str] = &["CWE-732"];
/// A grant that lets a principal raise its own privileges.
const ESCALATION: &[&str] = &["CWE-269"];
/// A resource reachable from a wider sphere than intended (the internet, a container).
const EXPOSED: &[&str] = &["CWE-668"];
/// A secret that terraform plan prints, and CI logs keep.
const LOGGED_SECRET: &[&str] = &["CWE-532"];

/// The table. Every rule of the registry has a row (a test holds this).
const TABLE: &[(&str, Triage)] = &[
    ("parse-error", Triage { precision: Precision::VeryHigh, cwe: &[] }),
    ("iam-wildcard-action", Triage { precision: Precision::VeryHigh, cwe: OVER_BROAD }),
    ("iam-service-wildcard", Triage { precision: Precision::VeryHigh, cwe: OVER_BROAD }),
    ("iam-sensitive-wildcard", Triage { precision: Precision::High, cwe: OVER_BROAD }),
    ("iam-not-action", Triage { precision: Precision::High, cwe: OVER_BROAD }),
    ("iam-wildcard-resource", Triage { precision: Precision::High, cwe: OVER_BROAD }),
    ("iam-privilege-escalation", Triage { precision: Precision::High, cwe: ESCALATION }),
    ("iam-wildcard-principal", Triage { precision: Precision::High, cwe: OVER_BROAD }),
    // A typo grants nothing: a correctness finding, no weakness.
    ("iam-unknown-action", Triage { precision: Precision::High, cwe: &[] }),
    ("iam-malformed-policy", Triage { precision: Precision::VeryHigh, cwe: &[] }),
    ("eks-public-endpoint", Triage { precision: Precision::High, cwe: EXPOSED }),
    ("eks-public-cidr", Triage { precision: Precision::High, cwe: EXPOSED }),
    // IMDSv1 hands out the instance's credentials to any request, with no session token: a
    // critical function without authentication (what SSRF exploits).
    ("imdsv2-required", Triage { precision: Precision::High, cwe: &["CWE-306"] }),
    ("imds-hop-limit", Triage { precision: Precision::Medium, cwe: EXPOSED }),
    ("secret-variable-not-sensitive", Triage { precision: Precision::Medium, cwe: LOGGED_SECRET }),
    ("secret-ci-variable-undeclared", Triage { precision: Precision::Medium, cwe: &[] }),
    ("secret-output-not-sensitive", Triage { precision: Precision::High, cwe: LOGGED_SECRET }),
    ("helm-set-secret", Triage { precision: Precision::Medium, cwe: LOGGED_SECRET }),
    ("secret-literal", Triage { precision: Precision::Medium, cwe: &["CWE-798"] }),
    ("plan-secret-exposed", Triage { precision: Precision::High, cwe: LOGGED_SECRET }),
    ("suppression", Triage { precision: Precision::VeryHigh, cwe: &[] }),
];

/// The ranking facts of the rule `id`; a rule missing from the table is `medium` with no CWE.
pub(crate) fn of(id: &str) -> Triage {
    TABLE.iter().find(|(rule, _)| *rule == id).map_or(Triage { precision: Precision::Medium, cwe: &[] }, |(_, t)| *t)
}

/// Whether the table has a row for `id`.
#[cfg(test)]
fn has(id: &str) -> bool {
    TABLE.iter().any(|(rule, _)| *rule == id)
}

/// The security severity of a rule of `finding` whose recommended severity is `default` (`None`:
/// off there), as the module documentation tabulates it; `None` for a rule without a finding.
pub(crate) fn security_severity(finding: Option<Finding>, default: Option<Severity>) -> Option<f32> {
    let base = match finding? {
        Finding::H5 => 8.0,
        Finding::M5 | Finding::M8 | Finding::Imds => 5.5,
    };
    let adjust = match default {
        Some(Severity::Error) => 0.5,
        Some(Severity::Warning) => 0.0,
        Some(Severity::Note) | None => -2.0,
    };
    Some(base + adjust)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry;

    #[test]
    fn every_rule_has_a_row_and_every_row_a_rule() {
        for meta in registry::all() {
            assert!(has(meta.id), "{} has no triage row", meta.id);
        }
        for (id, _) in TABLE {
            assert!(registry::find(id).is_some(), "{id} is not a rule");
        }
        assert_eq!(TABLE.len(), registry::all().len());
    }

    #[test]
    fn severities_follow_the_documented_table() {
        assert_eq!(security_severity(Some(Finding::H5), Some(Severity::Error)), Some(8.5));
        assert_eq!(security_severity(Some(Finding::H5), Some(Severity::Warning)), Some(8.0));
        assert_eq!(security_severity(Some(Finding::M5), Some(Severity::Error)), Some(6.0));
        assert_eq!(security_severity(Some(Finding::M8), Some(Severity::Note)), Some(3.5));
        assert_eq!(security_severity(Some(Finding::Imds), None), Some(3.5));
        assert_eq!(security_severity(None, Some(Severity::Error)), None);
    }

    #[test]
    fn cwe_ids_are_well_formed() {
        for (id, triage) in TABLE {
            for cwe in triage.cwe {
                let number = cwe.strip_prefix("CWE-").unwrap_or_default();
                assert!(!number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()), "{id}: {cwe}");
            }
        }
    }
}
