//! `--format markdown`: a summary for a pull-request comment (GitHub-flavoured Markdown).
//!
//! First the counts, by finding (H5, M5, M8, IMDS) and severity; then one line per finding with
//! its file and line; then, for each plan checked, the changes that matter for review (see
//! [`super::plan_changes`]).
//!
//! Whatever comes from the checked files (paths, messages, addresses, principals, actions) is
//! shown as an inline code span, with a fence longer than any run of backticks inside and control
//! characters and line breaks escaped: in a code span Markdown, HTML, links, images and
//! `@mentions` are not interpreted, so a crafted file name or message cannot inject any. Only the
//! tool's own words (rule ids, findings, severities) are plain text. Messages are masked by the
//! check; values from plans go through the report's masking too.

use super::plan_changes::{self, Kind};
use super::{Texts, text::summary};
use fleet_iam_core::secrets::escape_controls;
use fleet_iam_core::{Diagnostic, Finding, Report, Severity};
use std::io::{self, Write};

/// At most this many finding lines; a comment on GitHub holds at most 65,536 characters.
const MAX_LINES: usize = 200;

/// Writes the summary.
pub fn render(report: &Report, texts: &dyn Texts, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "## fleet-iam\n")?;
    writeln!(out, "{}\n", summary(report))?;
    counts(report, out)?;
    findings(report, out)?;
    for plan in texts.plans() {
        let Some(text) = texts.text(&plan) else { continue };
        plan_section(report, &plan, &plan_changes::changes(&text), out)?;
    }
    Ok(())
}

/// The table of counts by finding and severity (rules outside the four findings, such as
/// `parse-error`, on a row of their own).
fn counts(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    if report.diagnostics.is_empty() {
        return Ok(());
    }
    writeln!(out, "| finding | errors | warnings | notes | total |\n|---|---:|---:|---:|---:|")?;
    let rows = [Some(Finding::H5), Some(Finding::M5), Some(Finding::M8), Some(Finding::Imds), None];
    for finding in rows {
        let of: Vec<&Diagnostic> = report.diagnostics.iter().filter(|d| d.finding == finding).collect();
        if of.is_empty() {
            continue;
        }
        let count = |severity| of.iter().filter(|d| d.severity == severity).count();
        let name = finding.map_or("other", Finding::as_str);
        writeln!(
            out,
            "| {name} | {} | {} | {} | {} |",
            count(Severity::Error),
            count(Severity::Warning),
            count(Severity::Note),
            of.len()
        )?;
    }
    writeln!(out)
}

/// One line per finding, in report order.
fn findings(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    if report.diagnostics.is_empty() {
        return Ok(());
    }
    writeln!(out, "### Findings\n")?;
    for d in report.diagnostics.iter().take(MAX_LINES) {
        let finding = d.finding.map_or_else(String::new, |f| format!(" {f}"));
        let at = format!("{}:{}:{}", d.location.path, d.location.start.line, d.location.start.column);
        writeln!(out, "- **{}**{finding} `{}` at {}: {}", d.severity, d.rule, code(&at), code(&d.message))?;
    }
    if report.diagnostics.len() > MAX_LINES {
        writeln!(out, "- ... and {} more", report.diagnostics.len() - MAX_LINES)?;
    }
    writeln!(out)
}

/// The changes of one plan that matter.
fn plan_section(report: &Report, plan: &str, changes: &[plan_changes::Change], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "### Plan {}\n", code(plan))?;
    if changes.is_empty() {
        return writeln!(out, "No new principals, widened actions or new public endpoints.\n");
    }
    let groups = [
        (Kind::Principal, "New principals"),
        (Kind::Action, "Widened actions"),
        (Kind::PublicEndpoint, "New public endpoints"),
        (Kind::Unknown, "Policies known only after apply"),
    ];
    for (kind, title) in groups {
        let of: Vec<&plan_changes::Change> = changes.iter().filter(|c| c.kind == kind).collect();
        if of.is_empty() {
            continue;
        }
        writeln!(out, "**{title}**\n")?;
        for change in of.iter().take(MAX_LINES) {
            let at = format!("{}.{}", change.address, change.attribute);
            if change.value.is_empty() {
                writeln!(out, "- {}", code(&mask(report, &at)))?;
            } else {
                writeln!(out, "- {} in {}", code(&mask(report, &change.value)), code(&mask(report, &at)))?;
            }
        }
        if of.len() > MAX_LINES {
            writeln!(out, "- ... and {} more", of.len() - MAX_LINES)?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// `text` with the secrets the check found masked.
fn mask(report: &Report, text: &str) -> String {
    report.secrets.mask_text(text).into_owned()
}

/// `text` as an inline code span: line breaks and tabs made spaces (a line break would end the
/// list item and let the rest start a block), other control characters escaped, fenced by one backtick more than its
/// longest run, padded with a space when it starts or ends with a backtick or a space.
pub fn code(text: &str) -> String {
    let flat: String = text.chars().map(|c| if matches!(c, '\n' | '\r' | '\t') { ' ' } else { c }).collect();
    let text = escape_controls(&flat, false);
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if text.is_empty() {
        return "` `".into();
    }
    let pad = text.starts_with(['`', ' ']) || text.ends_with(['`', ' ']);
    let pad = if pad { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_cannot_be_broken_out_of() {
        assert_eq!(code("a.tf"), "`a.tf`");
        assert_eq!(code("`eks:*` allows"), "`` `eks:*` allows ``");
        assert_eq!(code("a``b"), "```a``b```");
        assert_eq!(code("x\n# heading\u{1b}"), "`x # heading\\u{1b}`");
        assert_eq!(code(""), "` `");
        // HTML and links stay inside the span.
        assert_eq!(code("<img src=x>[a](b)"), "`<img src=x>[a](b)`");
    }
}
