//! Baselines: `--write-baseline FILE` records today's findings by fingerprint; `--baseline FILE`
//! then hides the findings it records (they count as suppressed) and lists its entries that no
//! longer occur. Fingerprints do not depend on line numbers (see `output::fingerprint`), so a
//! baseline survives unrelated edits.

use crate::output::Texts;
use crate::output::fingerprint::fingerprints;
use anyhow::{Context, bail};
use fleet_iam_core::Report;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::Path;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    findings: Vec<Entry>,
}

#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, PartialOrd, Ord)]
#[serde(deny_unknown_fields)]
struct Entry {
    fingerprint: String,
    rule: String,
    path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    address: Option<String>,
}

fn entries(report: &Report, texts: &dyn Texts) -> Vec<Entry> {
    report
        .diagnostics
        .iter()
        .zip(fingerprints(&report.diagnostics, texts, &report.secrets))
        .map(|(d, fingerprint)| Entry {
            fingerprint,
            rule: d.rule.to_string(),
            path: d.location.path.clone(),
            address: d.address.clone(),
        })
        .collect()
}

/// Writes the report's findings as a baseline.
pub fn write(path: &Path, report: &Report, texts: &dyn Texts) -> anyhow::Result<()> {
    let mut findings = entries(report, texts);
    findings.sort();
    let text = serde_json::to_string_pretty(&File { version: 1, findings })? + "\n";
    std::fs::write(path, text).with_context(|| format!("{}: cannot write the baseline", path.display()))
}

/// Moves the findings the baseline records into `report.suppressed`; returns the baseline's
/// entries that no longer occur, as `rule path (address)` lines.
pub fn apply(path: &Path, report: &mut Report, texts: &dyn Texts) -> anyhow::Result<Vec<String>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("{}: cannot read the baseline", path.display()))?;
    let file: File =
        serde_json::from_str(&text).with_context(|| format!("{}: not a fleet-iam baseline", path.display()))?;
    if file.version != 1 {
        bail!("{}: baseline version {} is not supported (expected 1)", path.display(), file.version);
    }
    let recorded: BTreeSet<&str> = file.findings.iter().map(|e| e.fingerprint.as_str()).collect();
    let current = entries(report, texts);
    let seen: BTreeSet<&str> = current.iter().map(|e| e.fingerprint.as_str()).collect();
    let diagnostics = std::mem::take(&mut report.diagnostics);
    for (d, entry) in diagnostics.into_iter().zip(&current) {
        if recorded.contains(entry.fingerprint.as_str()) {
            report.suppressed.push(d);
        } else {
            report.diagnostics.push(d);
        }
    }
    report.suppressed.sort_by(|a, b| {
        (&a.location.path, a.location.start, a.rule).cmp(&(&b.location.path, b.location.start, b.rule))
    });
    Ok(file
        .findings
        .iter()
        .filter(|e| !seen.contains(e.fingerprint.as_str()))
        .map(|e| {
            format!("{} {}{}", e.rule, e.path, e.address.as_deref().map(|a| format!(" ({a})")).unwrap_or_default())
        })
        .collect())
}
