//! Hover and code actions on a finding.
//!
//! - Hover: the finding's message and help, then its rule's documentation, as Markdown.
//! - "Ignore `<rule>` here": the project's ignore comment (`# fleet-iam-ignore: <rule> --
//!   <reason>`) on the line above, in Terraform native syntax only (JSON has no comments; use an
//!   `[[ignore]]` entry). The comment is offered only where a check of the edited module shows
//!   that it suppresses the finding, so that it is never put inside a heredoc or string.
//! - Fixes: each finding's safe fix, as `check --fix` applies it, as the preferred quickfix.

use super::convert::SOURCE;
use super::module::Checked;
use super::text::{Encoding, Lines};
use fleet_iam_core::secrets::escape_controls;
use fleet_iam_core::{Applicability, Diagnostic, SourceKind, registry};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Hover, HoverContents, MarkupContent, MarkupKind, Range, TextEdit,
    Uri, WorkspaceEdit,
};
use std::borrow::Cow;
use std::collections::HashMap;

/// The reason an inserted ignore comment holds until the user writes one.
pub const REASON_PLACEHOLDER: &str = "<reason>";

/// How many places above a finding are tried for its ignore comment.
const IGNORE_TRIES: usize = 8;

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

/// The finding's safe fix (`check --fix`'s, [`crate::fix`]) as the preferred quickfix. Each edit
/// sends only the bytes it changes; a fix that would send a secret the check found (a Helm `set`
/// entry moved with its value) is not offered.
fn fix_action(file: &File<'_>, checked: &Checked, d: &Diagnostic, lsp: &lsp_types::Diagnostic) -> Option<CodeAction> {
    let fix = d.fix.as_ref().filter(|f| f.applicability == Applicability::Safe)?;
    let edits = crate::fix::fix_edits(file.text, fix).ok()?;
    let mut out = Vec::with_capacity(edits.len());
    for edit in edits {
        let (range, text) = changed(file.text, edit.range, &edit.text)?;
        if matches!(checked.report.secrets.mask_text(text), Cow::Owned(_)) {
            return None;
        }
        out.push(file.edit(range, text.to_string()));
    }
    let title = escape_controls(&fix.message, false).into_owned();
    Some(file.action(title, lsp, out, true))
}

/// The part of a replacement of `range` by `text` that changes: without the bytes the old and
/// new text share at their start and end (on character boundaries).
fn changed<'t>(
    source: &str,
    range: std::ops::Range<usize>,
    text: &'t str,
) -> Option<(std::ops::Range<usize>, &'t str)> {
    let old = source.get(range.clone())?;
    let prefix = common_len(old.char_indices(), text.char_indices(), old, text, false);
    let (old_rest, new_rest) = (&old[prefix..], &text[prefix..]);
    let suffix = common_len(old_rest.char_indices().rev(), new_rest.char_indices().rev(), old_rest, new_rest, true);
    let start = range.start + prefix;
    let end = range.end - suffix;
    Some((start..end, &new_rest[..new_rest.len() - suffix]))
}

/// How many bytes two texts share at their start (or end, `from_end`), whole characters only.
fn common_len(
    a: impl Iterator<Item = (usize, char)>,
    b: impl Iterator<Item = (usize, char)>,
    a_text: &str,
    b_text: &str,
    from_end: bool,
) -> usize {
    let mut len = 0;
    for ((i, x), (j, y)) in a.zip(b) {
        if x != y {
            break;
        }
        len = if from_end { (a_text.len() - i).min(b_text.len() - j) } else { i + x.len_utf8() };
    }
    len
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
/// the lines above it that look like the start of an HCL attribute, block or object ([`starts`]).
fn candidates(file: &File<'_>, line: usize) -> Vec<usize> {
    let mut out = vec![file.lines.line(file.text, line).start];
    for above in (0..line).rev().take(200) {
        let span = file.lines.line(file.text, above);
        if starts(&file.text[span.range()]) {
            out.push(span.start);
        }
        if out.len() >= IGNORE_TRIES {
            break;
        }
    }
    out
}

/// Whether a line looks like the start of an HCL attribute (`name =`, `"name" =`), a block
/// (`name {`, `name "label" {`) or an object (`{`): not a JSON line of a heredoc (`"key": ...`),
/// not a comment, not a closing bracket.
fn starts(line: &str) -> bool {
    let trimmed = line.trim_start();
    if trimmed.starts_with('{') {
        return true;
    }
    let rest = if let Some(quoted) = trimmed.strip_prefix('"') {
        let Some(end) = quoted.find('"') else { return false };
        &quoted[end + 1..]
    } else {
        let ident = trimmed.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-')).unwrap_or(trimmed.len());
        if ident == 0 || !trimmed.starts_with(|c: char| c.is_alphabetic() || c == '_') {
            return false;
        }
        &trimmed[ident..]
    };
    rest.trim_start().starts_with(['=', '{', '"'])
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

    #[test]
    fn ignore_comments_go_above_hcl_not_json() {
        for line in
            ["  name = 1", "resource \"a\" \"b\" {", "  vpc_config {", "  \"key\" = 1", "    {", "policy = <<EOF"]
        {
            assert!(starts(line), "{line}");
        }
        for line in ["  \"Action\": \"eks:*\",", "  }", "  ]", "# comment", "", "  \"x\"", "EOF", "  1,"] {
            assert!(!starts(line), "{line}");
        }
    }

    #[test]
    fn fix_edits_send_only_what_changes() {
        let source = "a = \"x🚀y\"\n";
        let at = source.find('"').unwrap();
        let range = at..source.len() - 1;
        assert_eq!(changed(source, range.clone(), "\"x🚀z\""), Some((range.end - 2..range.end - 1, "z")));
        assert_eq!(changed(source, range.clone(), "\"x🚀y\""), Some((range.end..range.end, "")));
        let (inserted, text) = changed(source, range.end..range.end, "\nb = 1").unwrap();
        assert_eq!((inserted, text), (range.end..range.end, "\nb = 1"));
        // A shared character at both ends is counted once.
        assert_eq!(changed("aa", 0..2, "aaa"), Some((2..2, "a")));
    }
}
