//! Hover and code actions on a finding.
//!
//! - Hover: the finding's message and help, then its rule's documentation, as Markdown.
//! - "Ignore `<rule>` here": the project's ignore comment (`# fleet-iam-ignore: <rule> --
//!   <reason>`) on the line above, in Terraform native syntax only (JSON has no comments; use an
//!   `[[ignore]]` entry). The comment is offered only where a check of the edited module shows
//!   that it suppresses the finding, so that it is never put inside a heredoc or string.
//! - Fixes: each finding's safe fix as a quickfix ([`fix_action`]).

use super::convert::SOURCE;
use super::module::Checked;
use super::text::{Encoding, Lines};
use fleet_iam_core::{Diagnostic, SourceKind, registry};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Hover, HoverContents, MarkupContent, MarkupKind, Range, TextEdit,
    Uri, WorkspaceEdit,
};
use std::collections::HashMap;

/// The reason an inserted ignore comment holds until the user writes one.
pub const REASON_PLACEHOLDER: &str = "<reason>";

/// How many places above a finding are tried for its ignore comment.
const IGNORE_TRIES: usize = 6;

/// The file code actions are asked for.
pub struct File<'a> {
    /// Its URI, as the client sent it.
    pub uri: &'a Uri,
    /// Its text, as checked.
    pub text: &'a str,
    /// Its line index.
    pub lines: Lines,
    /// The position encoding.
    pub encoding: Encoding,
}

impl File<'_> {
    /// An LSP edit of a byte range of the file.
    fn edit(&self, range: std::ops::Range<usize>, new_text: String) -> TextEdit {
        let start = self.lines.position(self.text, range.start, self.encoding);
        let end = self.lines.position(self.text, range.end, self.encoding);
        TextEdit { range: Range { start, end }, new_text }
    }

    fn action(&self, title: String, lsp: &lsp_types::Diagnostic, edits: Vec<TextEdit>, preferred: bool) -> CodeAction {
        CodeAction {
            title,
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![lsp.clone()]),
            edit: Some(WorkspaceEdit {
                changes: Some(HashMap::from([(self.uri.clone(), edits)])),
                ..Default::default()
            }),
            is_preferred: Some(preferred),
            ..CodeAction::default()
        }
    }
}

/// The hover of the findings at a position: for each, its rule, severity, message and help, then
/// the rule's documentation (once per rule).
pub fn hover(found: &[(&Diagnostic, Range)]) -> Option<Hover> {
    let (_, first) = found.first()?;
    let mut out = String::new();
    let mut documented = Vec::new();
    for (d, _) in found {
        let shown = crate::output::escaped(d);
        let finding = d.finding.map(|f| format!(" ({f})")).unwrap_or_default();
        out.push_str(&format!("**{SOURCE}** `{}`{finding} · {}\n\n{}\n\n", d.rule, d.severity, shown.message));
        if let Some(help) = &shown.help {
            out.push_str(&format!("help: {help}\n\n"));
        }
        if !documented.contains(&d.rule) {
            documented.push(d.rule);
            if let Some(meta) = registry::find(d.rule) {
                out.push_str("---\n\n");
                out.push_str(&meta.documentation());
                out.push('\n');
            }
        }
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: out.trim_end().to_string(),
        }),
        range: Some(*first),
    })
}

/// The code actions of one finding: ignore it here, and its fix.
pub fn for_finding(
    file: &File<'_>,
    checked: &Checked,
    d: &Diagnostic,
    lsp: &lsp_types::Diagnostic,
    recheck: &dyn Fn(&str) -> Option<Checked>,
) -> Vec<CodeActionOrCommand> {
    let mut out = Vec::new();
    if let Some(action) = fix_action(file, checked, d, lsp) {
        out.push(CodeActionOrCommand::CodeAction(action));
    }
    if let Some(action) = ignore_action(file, checked, d, lsp, recheck) {
        out.push(CodeActionOrCommand::CodeAction(action));
    }
    out
}

/// The finding's safe fix as a quickfix. None yet: the rules carry no fixes on this branch.
fn fix_action(
    _file: &File<'_>,
    _checked: &Checked,
    _d: &Diagnostic,
    _lsp: &lsp_types::Diagnostic,
) -> Option<CodeAction> {
    None
}

/// "Ignore `<rule>` here": the ignore comment above the finding's line, or above the line where
/// the attribute or block around it starts, whichever a check shows to suppress it.
fn ignore_action(
    file: &File<'_>,
    checked: &Checked,
    d: &Diagnostic,
    lsp: &lsp_types::Diagnostic,
    recheck: &dyn Fn(&str) -> Option<Checked>,
) -> Option<CodeAction> {
    if matches!(d.rule, "parse-error" | "suppression") {
        return None;
    }
    // Only Terraform native syntax has comments.
    let kind = SourceKind::detect(&d.location.path, file.text)?;
    if !matches!(kind, SourceKind::Hcl | SourceKind::Tfvars) {
        return None;
    }
    let problems = |c: &Checked| {
        c.report
            .diagnostics
            .iter()
            .filter(|x| x.location.path == d.location.path && matches!(x.rule, "parse-error" | "suppression"))
            .count()
    };
    let before = problems(checked);
    let same = |x: &Diagnostic| x.rule == d.rule && x.location.path == d.location.path && x.message == d.message;
    let line = file.lines.position(file.text, d.location.span.start, Encoding::Utf8).line as usize;
    for at in candidates(file, line).into_iter().take(IGNORE_TRIES) {
        let comment = comment(file.text, at, d.rule);
        let mut edited = String::with_capacity(file.text.len() + comment.len());
        edited.push_str(&file.text[..at]);
        edited.push_str(&comment);
        edited.push_str(&file.text[at..]);
        let after = recheck(&edited)?;
        let suppressed = after.report.suppressed.iter().filter(|x| same(x)).count()
            > checked.report.suppressed.iter().filter(|x| same(x)).count();
        if suppressed && problems(&after) <= before {
            let edit = file.edit(at..at, comment);
            return Some(file.action(format!("Ignore `{}` here", d.rule), lsp, vec![edit], false));
        }
    }
    None
}

/// Byte offsets of the line starts an ignore comment may go before: the finding's line, then
/// the lines above it that start something (not blank, not a comment, not a closing bracket).
fn candidates(file: &File<'_>, line: usize) -> Vec<usize> {
    let mut out = vec![file.lines.line(file.text, line).start];
    for above in (0..line).rev().take(200) {
        let span = file.lines.line(file.text, above);
        let trimmed = file.text[span.range()].trim_start();
        let starts_something = trimmed.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '{' || c == '"');
        if starts_something {
            out.push(span.start);
        }
        if out.len() >= IGNORE_TRIES {
            break;
        }
    }
    out
}

/// The comment line to insert before the line starting at `at`: indented as that line, with its
/// line ending.
fn comment(text: &str, at: usize, rule: &str) -> String {
    let rest = &text[at..];
    let line = rest.split('\n').next().unwrap_or_default();
    let indent: String = line.chars().take_while(|c| *c == ' ' || *c == '\t').collect();
    let newline = if line.ends_with('\r') { "\r\n" } else { "\n" };
    format!("{indent}# fleet-iam-ignore: {rule} -- {REASON_PLACEHOLDER}{newline}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_keep_the_indent_and_line_ending() {
        let text = "a {\n\t  x = 1\r\n}\n";
        let at = text.find('\t').unwrap();
        assert_eq!(comment(text, at, "secret-literal"), "\t  # fleet-iam-ignore: secret-literal -- <reason>\r\n");
        assert_eq!(comment(text, 0, "r"), "# fleet-iam-ignore: r -- <reason>\n");
    }
}
