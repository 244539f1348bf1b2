//! Fixes as text edits: the structural edits a rule attaches to a diagnostic
//! ([`fleet_iam_core::Fix`]) become byte-range edits of the file's text, found with hcl-edit's
//! spans. Only the edited attribute (or the added lines) changes: every other byte, comments and
//! spacing included, stays as written. Pure functions of the text, for `check --fix` / `--diff`
//! ([`crate::fixing`]) and for the language server's quickfixes.
//!
//! - [`fix_edits`]: the text edits of one fix (a quickfix of one diagnostic).
//! - [`plan`]: the fixes of a file's diagnostics that can be applied together, as sorted,
//!   non-overlapping edits, and which diagnostics they fix.
//! - [`apply`]: the text with the edits applied.

use fleet_iam_core::{Applicability, Diagnostic, Fix, FixEdit, Span};
use hcl_edit::Span as _;
use hcl_edit::expr::{Array, Expression};
use hcl_edit::structure::{Attribute, Block, Body, Structure};
use std::ops::Range;

/// Replace the bytes of `range` with `text` (an insertion when `range` is empty).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TextEdit {
    /// Byte range of the original text.
    pub range: Range<usize>,
    /// The new text.
    pub text: String,
}

/// Why a fix cannot be turned into text edits (the text changed, or its layout is one the fixer
/// does not edit). Never holds source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixError {
    /// Byte offset in the text the problem is at.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for FixError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

fn error<T>(offset: usize, message: impl Into<String>) -> Result<T, FixError> {
    Err(FixError { offset, message: message.into() })
}

/// The fixes of one file's diagnostics that apply together.
#[derive(Debug, Default)]
pub struct Planned {
    /// Sorted by range, non-overlapping: ready for [`apply`].
    pub edits: Vec<TextEdit>,
    /// Indexes (into the diagnostics given) of the diagnostics these edits fix.
    pub fixed: Vec<usize>,
    /// Indexes of diagnostics whose fix overlaps one taken first: fixed by a second pass, once
    /// the text has changed.
    pub deferred: Vec<usize>,
    /// Indexes of diagnostics whose fix cannot be applied to this text, and why.
    pub failed: Vec<(usize, FixError)>,
}

/// Whether a fix of this applicability is wanted.
pub fn wanted(fix: &Fix, allow_unsafe: bool) -> bool {
    fix.applicability == Applicability::Safe || allow_unsafe
}

/// The fixes of `diagnostics` (all of one file, whose text is `source`) that apply together:
/// safe ones, and unsafe ones with `allow_unsafe`, in the order given; a fix whose edits overlap
/// one taken before is deferred. The text is parsed once.
pub fn plan(source: &str, diagnostics: &[&Diagnostic], allow_unsafe: bool) -> Planned {
    let mut planned = Planned::default();
    let wanted: Vec<(usize, &Fix)> = diagnostics
        .iter()
        .enumerate()
        .filter_map(|(i, d)| d.fix.as_ref().filter(|f| wanted(f, allow_unsafe)).map(|f| (i, f)))
        .collect();
    if wanted.is_empty() {
        return planned;
    }
    let body = match parse(source) {
        Ok(body) => body,
        Err(e) => {
            planned.failed = wanted.iter().map(|(i, _)| (*i, e.clone())).collect();
            return planned;
        }
    };
    for (i, fix) in wanted {
        match edits_in(source, &body, fix) {
            Err(e) => planned.failed.push((i, e)),
            // The text already says what the fix would write: the rule and its fix disagree.
            Ok(edits) if edits.is_empty() => {
                planned.failed.push((i, FixError { offset: 0, message: "the fix would change nothing".into() }));
            }
            Ok(edits) if edits.iter().any(|e| planned.edits.iter().any(|taken| overlap(&e.range, &taken.range))) => {
                planned.deferred.push(i);
            }
            Ok(edits) => {
                planned.edits.extend(edits);
                planned.fixed.push(i);
            }
        }
    }
    planned.edits.sort_by_key(|e| (e.range.start, e.range.end));
    planned
}

/// The text edits of one fix, sorted and non-overlapping.
#[allow(dead_code)] // the language server's quickfixes
pub fn fix_edits(source: &str, fix: &Fix) -> Result<Vec<TextEdit>, FixError> {
    edits_in(source, &parse(source)?, fix)
}

/// `source` with `edits` (sorted, non-overlapping) applied.
pub fn apply(source: &str, edits: &[TextEdit]) -> String {
    let mut out = String::with_capacity(source.len() + edits.iter().map(|e| e.text.len()).sum::<usize>());
    let mut at = 0;
    for edit in edits {
        let start = edit.range.start.clamp(at, source.len());
        out.push_str(source.get(at..start).unwrap_or_default());
        out.push_str(&edit.text);
        at = edit.range.end.clamp(start, source.len());
    }
    out.push_str(source.get(at..).unwrap_or_default());
    out
}

/// Whether two edits touch: overlapping ranges, or an insertion inside or at an end of the other.
fn overlap(a: &Range<usize>, b: &Range<usize>) -> bool {
    if a.is_empty() || b.is_empty() {
        return b.start <= a.end && a.start <= b.end;
    }
    a.start < b.end && b.start < a.end
}

fn parse(source: &str) -> Result<Body, FixError> {
    hcl_edit::parser::parse_body(source).map_err(|e| FixError {
        offset: e.location().offset(),
        message: format!("the file does not parse any more: {}", e.message()),
    })
}

/// Attributes to set in one block, down a path of nested blocks.
type Settings<'a> = (Span, &'a [String], Vec<(&'a str, &'a str)>);

fn edits_in(source: &str, body: &Body, fix: &Fix) -> Result<Vec<TextEdit>, FixError> {
    let mut out = Vec::new();
    // Attributes set in the same (maybe missing) block go together, so that a missing block is
    // added once.
    let mut settings: Vec<Settings<'_>> = Vec::new();
    for edit in &fix.edits {
        match edit {
            FixEdit::Replace { span, text } => {
                // Only an attribute's value or a block's type is replaced, and only where it is.
                if !is_replaceable(body, span.range()) {
                    return error(span.start, "the fix does not fit this text (was it changed since the check?)");
                }
                out.push(TextEdit { range: span.range(), text: text.clone() });
            }
            FixEdit::SetAttribute { block, path, name, value } => {
                match settings.iter_mut().find(|(b, p, _)| b == block && *p == path.as_slice()) {
                    Some((_, _, attributes)) => attributes.push((name, value)),
                    None => settings.push((*block, path, vec![(name, value)])),
                }
            }
            FixEdit::RemoveElement { element } => {
                let found = find_element(body, element.range())
                    .ok_or_else(|| FixError { offset: element.start, message: "the list element is gone".into() })?;
                out.push(remove_element(source, found.array, found.index)?);
            }
            FixEdit::MoveElement { element, to } => out.extend(move_element(source, body, element.range(), to)?),
            // `FixEdit` is non-exhaustive for embedders; the CLI handles every edit the core has.
            _ => return error(0, "an edit this version cannot apply"),
        }
    }
    for (block, path, attributes) in settings {
        let Some(found) = find_block(body, block.range()) else {
            return error(block.start, "the block is gone");
        };
        out.extend(set_attributes(source, found, path, &attributes)?);
    }
    out.sort_by_key(|e| (e.range.start, e.range.end));
    // Spans of another text (a buffer edited since it was checked) must not cut a character.
    if let Some(bad) = out.iter().find(|e| {
        e.range.start > e.range.end || !source.is_char_boundary(e.range.start) || !source.is_char_boundary(e.range.end)
    }) {
        return error(
            bad.range.start.min(source.len()),
            "the fix does not fit this text (was it changed since the check?)",
        );
    }
    if out.windows(2).any(|w| overlap(&w[0].range, &w[1].range)) {
        return error(out.first().map_or(0, |e| e.range.start), "the edits of this fix overlap");
    }
    Ok(out)
}

/// Whether `span` is the value of an attribute or the type of a block, at any depth.
fn is_replaceable(body: &Body, span: Range<usize>) -> bool {
    body.iter().any(|structure| match structure {
        Structure::Attribute(attribute) => attribute.value.span() == Some(span.clone()),
        Structure::Block(block) => {
            block.ident.span() == Some(span.clone())
                || (block.span().is_some_and(|at| at.start <= span.start && span.end <= at.end)
                    && is_replaceable(&block.body, span.clone()))
        }
    })
}

/// The block (at any depth) whose span is `span`.
fn find_block(body: &Body, span: Range<usize>) -> Option<&Block> {
    for block in body.blocks() {
        let Some(at) = block.span() else { continue };
        if at == span {
            return Some(block);
        }
        if at.start <= span.start && span.end <= at.end {
            return find_block(&block.body, span);
        }
    }
    None
}

/// A list element and where it is.
struct FoundElement<'a> {
    body: &'a Body,
    attribute: &'a Attribute,
    array: &'a Array,
    index: usize,
}

/// The element whose span is `span` of a list that is an attribute's value, at any depth.
fn find_element(body: &Body, span: Range<usize>) -> Option<FoundElement<'_>> {
    for structure in body.iter() {
        match structure {
            Structure::Attribute(attribute) => {
                let Expression::Array(array) = &attribute.value else { continue };
                if let Some(index) = array.iter().position(|e| e.span() == Some(span.clone())) {
                    return Some(FoundElement { body, attribute, array, index });
                }
            }
            Structure::Block(block) => {
                if block.span().is_some_and(|at| at.start <= span.start && span.end <= at.end)
                    && let Some(found) = find_element(&block.body, span.clone())
                {
                    return Some(found);
                }
            }
        }
    }
    None
}

fn line_start(text: &str, at: usize) -> usize {
    text.get(..at).and_then(|t| t.rfind('\n')).map_or(0, |i| i + 1)
}

/// The end of the line `at` is on, before its `\n` (and a `\r` before that).
fn line_end(text: &str, at: usize) -> usize {
    let end = text.get(at..).and_then(|t| t.find('\n')).map_or(text.len(), |i| at + i);
    if end > at && text.as_bytes().get(end - 1) == Some(&b'\r') { end - 1 } else { end }
}

/// The whitespace that starts the line `at` is on.
fn indent_at(text: &str, at: usize) -> &str {
    let start = line_start(text, at);
    let line = text.get(start..).unwrap_or_default();
    let width = line.len() - line.trim_start_matches([' ', '\t']).len();
    &line[..width]
}

/// Whether only spaces and tabs stand between the start of `at`'s line and `at`.
fn starts_line(text: &str, at: usize) -> bool {
    text.get(line_start(text, at)..at).is_some_and(|t| t.bytes().all(|b| b == b' ' || b == b'\t'))
}

/// The line break the file uses.
fn newline(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}

/// Sets attributes in `block`, down the nested blocks of `path` (adding the missing ones).
fn set_attributes(
    text: &str,
    block: &Block,
    path: &[String],
    attributes: &[(&str, &str)],
) -> Result<Vec<TextEdit>, FixError> {
    if let Some((first, rest)) = path.split_first() {
        if let Some(nested) = block.body.get_blocks(first).find(|b| b.labels.is_empty()) {
            return set_attributes(text, nested, rest, attributes);
        }
        // The missing blocks, with the attributes in the innermost.
        let mut lines = Vec::new();
        for (depth, name) in path.iter().enumerate() {
            lines.push(format!("{}{name} {{", "  ".repeat(depth)));
        }
        let width = attributes.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
        for (name, value) in attributes {
            lines.push(format!("{}{name:width$} = {value}", "  ".repeat(path.len())));
        }
        for depth in (0..path.len()).rev() {
            lines.push(format!("{}}}", "  ".repeat(depth)));
        }
        return insert_lines(text, block, &lines, true, None).map(|e| vec![e]);
    }
    let mut edits = Vec::new();
    let mut missing = Vec::new();
    for &(name, value) in attributes {
        match block.body.get_attribute(name) {
            Some(attribute) => {
                let Some(span) = attribute.value.span() else { return error(0, "an attribute without a span") };
                if text.get(span.clone()) != Some(value) {
                    edits.push(TextEdit { range: span, text: value.to_string() });
                }
            }
            None => missing.push((name, value)),
        }
    }
    if !missing.is_empty() {
        let width = missing.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
        let lines: Vec<String> = missing.iter().map(|(name, value)| format!("{name:width$} = {value}")).collect();
        edits.push(insert_lines(text, block, &lines, false, Some(width))?);
    }
    Ok(edits)
}

/// Where a block's body is: after its `{`, before its `}`.
fn braces(text: &str, block: &Block) -> Result<(usize, usize), FixError> {
    let Some(span) = block.span() else { return error(0, "a block without a span") };
    let header_end =
        block.labels.last().and_then(|l| l.span()).or_else(|| block.ident.span()).map_or(span.start, |r| r.end);
    let after = text.get(header_end..span.end).unwrap_or_default();
    let gap = after.len() - after.trim_start().len();
    let open = header_end + gap;
    let close = span.end.saturating_sub(1);
    if text.as_bytes().get(open) != Some(&b'{') || text.as_bytes().get(close) != Some(&b'}') || close <= open {
        return error(span.start, "a block whose braces the fixer does not find (a comment before `{`?)");
    }
    Ok((open, close))
}

/// Adds `lines` (indented relative to the block's body) at the end of the block's body. A new
/// nested block (`blank_before`) is set off by an empty line; new attributes (`align`: the width
/// of their names) are aligned with an attribute on the line above when they fit its `=`.
fn insert_lines(
    text: &str,
    block: &Block,
    lines: &[String],
    blank_before: bool,
    align: Option<usize>,
) -> Result<TextEdit, FixError> {
    let nl = newline(text);
    let (open, close) = braces(text, block)?;
    let Some(span) = block.span() else { return error(0, "a block without a span") };
    let outer = indent_at(text, span.start).to_string();
    let inner = block
        .body
        .iter()
        .find_map(|s| s.span())
        .filter(|s| starts_line(text, s.start))
        .map_or_else(|| format!("{outer}  "), |s| indent_at(text, s.start).to_string());
    let multiline = text.get(open..close).is_some_and(|t| t.contains('\n'));
    if multiline && starts_line(text, close) {
        let at = line_start(text, close);
        let above = text.get(..at.saturating_sub(1)).map_or("", |t| &t[line_start(t, t.len())..]);
        let above = above.trim_end_matches('\r');
        let lines = match align.and_then(|width| aligned(above, &inner, width)) {
            Some(width) => realign(lines, width),
            None => lines.to_vec(),
        };
        let opening_line = line_start(text, open) == line_start(text, at.saturating_sub(1));
        // A new block, or attributes after a nested block, are set off by an empty line.
        let after_block = above.trim() == "}";
        let mut out = String::new();
        if (blank_before || after_block) && !above.trim().is_empty() && !opening_line {
            out.push_str(nl);
        }
        for line in &lines {
            push_line(&mut out, &inner, line, nl);
        }
        return Ok(TextEdit { range: at..at, text: out });
    }
    // `{}`, `{ type = string }`, or a `}` after content: the body becomes lines.
    let content = text.get(open + 1..close).unwrap_or_default();
    let (from, mut out) = if multiline {
        (open + 1 + content.trim_end().len(), nl.to_string())
    } else {
        let mut out = nl.to_string();
        let existing = content.trim();
        // `{ type = string }`: the attribute and the new ones are aligned as `terraform fmt` does.
        let width = match (align, existing.split_once(" = ")) {
            (Some(width), Some((name, _))) if is_name(name.trim_end()) => Some(width.max(name.trim_end().len())),
            _ => None,
        };
        if !existing.is_empty() {
            let line = [existing.to_string()];
            let line = width.map_or_else(|| line.to_vec(), |w| realign(&line, w));
            push_line(&mut out, &inner, &line[0], nl);
        }
        (open + 1, out)
    };
    let width = if multiline { None } else { align.and_then(|_| width_of_line(text.get(open + 1..close))) };
    let lines = match width {
        Some(w) => realign(lines, w),
        None => lines.to_vec(),
    };
    for line in &lines {
        push_line(&mut out, &inner, line, nl);
    }
    out.push_str(&outer);
    Ok(TextEdit { range: from..close, text: out })
}

fn is_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// The name width of a one-line body `name = value`, for aligning attributes added after it.
fn width_of_line(content: Option<&str>) -> Option<usize> {
    let (name, _) = content?.trim().split_once(" = ")?;
    let name = name.trim_end();
    is_name(name).then_some(name.len())
}

fn push_line(out: &mut String, indent: &str, line: &str, nl: &str) {
    if !line.is_empty() {
        out.push_str(indent);
        out.push_str(line);
    }
    out.push_str(nl);
}

/// The name width that aligns new attributes with the attribute line `above` (indented by
/// `indent`), when names of `width` fit before its `=`.
fn aligned(above: &str, indent: &str, width: usize) -> Option<usize> {
    let rest = above.strip_prefix(indent)?;
    let name_len = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))?;
    if name_len == 0 {
        return None;
    }
    let after = &rest[name_len..];
    let spaces = after.len() - after.trim_start_matches(' ').len();
    if !after[spaces..].starts_with('=') || after[spaces..].starts_with("==") || spaces == 0 {
        return None;
    }
    let column = name_len + spaces - 1;
    (column >= width).then_some(column)
}

/// `name = value` lines with names padded to `width`.
fn realign(lines: &[String], width: usize) -> Vec<String> {
    lines
        .iter()
        .map(|line| match line.split_once(" = ") {
            Some((name, value)) => format!("{:width$} = {value}", name.trim_end()),
            None => line.clone(),
        })
        .collect()
}

/// The edit that removes element `index` of `array`, with its comma, and its line when it stands
/// alone on it.
fn remove_element(text: &str, array: &Array, index: usize) -> Result<TextEdit, FixError> {
    let spans: Vec<Range<usize>> = array.iter().filter_map(|e| e.span()).collect();
    if spans.len() != array.len() || index >= spans.len() {
        return error(0, "a list element without a span");
    }
    let element = spans[index].clone();
    if spans.len() == 1 {
        return error(element.start, "the list would be empty");
    }
    // Alone on its line(s): `  "0.0.0.0/0", # comment`.
    if starts_line(text, element.start) {
        let rest = text.get(element.end..).unwrap_or_default();
        let after = rest.trim_start_matches([' ', '\t']);
        let after = after.strip_prefix(',').unwrap_or(after).trim_start_matches([' ', '\t']);
        let alone = after.starts_with('\n')
            || after.starts_with("\r\n")
            || after.starts_with('#')
            || after.starts_with("//")
            || after.is_empty();
        if alone {
            let end = line_end(text, element.end);
            let end = (end + text[end..].find('\n').map_or(0, |i| i + 1)).min(text.len());
            return Ok(TextEdit { range: line_start(text, element.start)..end, text: String::new() });
        }
    }
    let range = match spans.get(index + 1) {
        Some(next) => element.start..next.start,
        None => spans[index - 1].end..element.end,
    };
    Ok(TextEdit { range, text: String::new() })
}

/// Moves a list element into the list attribute `to` of the same body.
fn move_element(text: &str, body: &Body, element: Range<usize>, to: &str) -> Result<Vec<TextEdit>, FixError> {
    let Some(found) = find_element(body, element.clone()) else {
        return error(element.start, "the list element is gone");
    };
    let entry = text.get(element.clone()).unwrap_or_default();
    let Some(attribute_span) = found.attribute.span() else { return error(element.start, "no span") };
    let nl = newline(text);
    match found.body.get_attribute(to) {
        Some(target) => {
            let Expression::Array(list) = &target.value else {
                return error(element.start, format!("`{to}` is not a list written here"));
            };
            let removal = if found.array.len() == 1 {
                remove_attribute(text, attribute_span)?
            } else {
                remove_element(text, found.array, found.index)?
            };
            Ok(vec![removal, append_element(text, list, target, entry)?])
        }
        None if found.array.len() == 1 => {
            let Some(key) = found.attribute.key.span() else { return error(element.start, "no span") };
            // Keep `=` where it was when the spaces after the name allow.
            let after = text.get(key.end..).unwrap_or_default();
            let spaces = after.len() - after.trim_start_matches(' ').len();
            let pad = (key.len() + spaces).saturating_sub(to.len()).max(1);
            Ok(vec![TextEdit { range: key.start..key.end + spaces, text: format!("{to}{}", " ".repeat(pad)) }])
        }
        None => {
            let removal = remove_element(text, found.array, found.index)?;
            let indent = indent_at(text, attribute_span.start);
            let at = line_end(text, attribute_span.end);
            let inner = format!("{indent}  ");
            let added = format!("{nl}{indent}{to} = [{nl}{inner}{entry},{nl}{indent}]");
            Ok(vec![removal, TextEdit { range: at..at, text: added }])
        }
    }
}

/// Removes an attribute standing alone on its lines.
fn remove_attribute(text: &str, span: Range<usize>) -> Result<TextEdit, FixError> {
    let end = line_end(text, span.end);
    let rest = text.get(span.end..end).unwrap_or_default().trim();
    if !starts_line(text, span.start) || !(rest.is_empty() || rest.starts_with('#') || rest.starts_with("//")) {
        return error(span.start, "an attribute that shares its line");
    }
    let end = (end + text[end..].find('\n').map_or(0, |i| i + 1)).min(text.len());
    Ok(TextEdit { range: line_start(text, span.start)..end, text: String::new() })
}

/// Adds `entry` at the end of the list `list` (the value of `attribute`).
fn append_element(text: &str, list: &Array, attribute: &Attribute, entry: &str) -> Result<TextEdit, FixError> {
    let Some(span) = attribute.value.span() else { return error(0, "no span") };
    let nl = newline(text);
    let Some(last) = list.iter().filter_map(|e| e.span()).last() else {
        // `[]`: the entry becomes its only line.
        let indent = indent_at(text, span.start);
        return Ok(TextEdit {
            range: span.start + 1..span.end - 1,
            text: format!("{nl}{indent}  {entry},{nl}{indent}"),
        });
    };
    let rest = text.get(last.end..).unwrap_or_default();
    let comma = rest.trim_start().starts_with(',');
    if starts_line(text, last.start) {
        let indent = indent_at(text, last.start);
        let at = line_end(text, last.end);
        let separator = if comma { "" } else { "," };
        // A comment after the last element stays on its line: the comma goes before it.
        if !comma && text.get(last.end..at).is_some_and(|t| !t.trim().is_empty()) {
            return error(last.end, "a comment after the last element of the list");
        }
        return Ok(TextEdit { range: at..at, text: format!("{separator}{nl}{indent}{entry},") });
    }
    Ok(TextEdit { range: last.end..last.end, text: format!(", {entry}") })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(text: &str, fix: FixEdit) -> String {
        let fix = Fix::safe("test", vec![fix]);
        apply(text, &fix_edits(text, &fix).unwrap_or_else(|e| panic!("{e}")))
    }

    fn block_span(text: &str, needle: &str) -> Span {
        let start = text.find(needle).unwrap_or_default();
        let body = hcl_edit::parser::parse_body(text).unwrap_or_default();
        let mut span = None;
        fn walk(body: &Body, start: usize, span: &mut Option<Range<usize>>) {
            for b in body.blocks() {
                if b.span().is_some_and(|s| s.start == start) {
                    *span = b.span();
                }
                walk(&b.body, start, span);
            }
        }
        walk(&body, start, &mut span);
        span.map(Span::from).unwrap_or_default()
    }

    fn set(text: &str, needle: &str, path: &[&str], name: &str, value: &str) -> String {
        edit(text, FixEdit::set_attribute(block_span(text, needle), path, name, value))
    }

    #[test]
    fn an_attribute_is_added_aligned_at_the_end_of_the_body() {
        let text = "variable \"db_password\" {\n  type        = string # kept\n  description = \"x\"\n}\n";
        assert_eq!(
            set(text, "variable", &[], "sensitive", "true"),
            "variable \"db_password\" {\n  type        = string # kept\n  description = \"x\"\n  sensitive   = true\n}\n"
        );
        let short = "variable \"pw\" {\n  type = string\n}\n";
        assert_eq!(
            set(short, "variable", &[], "sensitive", "true"),
            "variable \"pw\" {\n  type = string\n  sensitive = true\n}\n"
        );
    }

    #[test]
    fn one_line_and_empty_blocks_become_lines() {
        assert_eq!(
            set("variable \"pw\" {}\n", "variable", &[], "sensitive", "true"),
            "variable \"pw\" {\n  sensitive = true\n}\n"
        );
        assert_eq!(
            set("  variable \"pw\" { type = string }\n", "variable", &[], "sensitive", "true"),
            "  variable \"pw\" {\n    type      = string\n    sensitive = true\n  }\n"
        );
    }

    #[test]
    fn a_missing_nested_block_is_added_once_with_every_attribute() {
        let text = "resource \"aws_eks_cluster\" \"x\" {\n  name = \"x\"\n}\n";
        let fix = Fix::unsafe_(
            "t",
            vec![
                FixEdit::set_attribute(
                    block_span(text, "resource"),
                    &["vpc_config"],
                    "endpoint_public_access",
                    "false",
                ),
                FixEdit::set_attribute(
                    block_span(text, "resource"),
                    &["vpc_config"],
                    "endpoint_private_access",
                    "true",
                ),
            ],
        );
        let fixed = apply(text, &fix_edits(text, &fix).unwrap_or_default());
        assert_eq!(
            fixed,
            "resource \"aws_eks_cluster\" \"x\" {\n  name = \"x\"\n\n  vpc_config {\n    endpoint_public_access  = false\n    endpoint_private_access = true\n  }\n}\n"
        );
    }

    #[test]
    fn crlf_files_keep_crlf() {
        let text = "variable \"pw\" {\r\n  type = string\r\n}\r\n";
        assert_eq!(
            set(text, "variable", &[], "sensitive", "true"),
            "variable \"pw\" {\r\n  type = string\r\n  sensitive = true\r\n}\r\n"
        );
    }

    fn element(text: &str, needle: &str) -> Span {
        let start = text.find(needle).unwrap_or_default();
        Span::new(start, start + needle.len())
    }

    #[test]
    fn list_elements_go_with_their_comma_or_their_line() {
        let remove = |text: &str, needle: &str| edit(text, FixEdit::RemoveElement { element: element(text, needle) });
        assert_eq!(remove("x = [\"0.0.0.0/0\", \"10.0.0.0/8\"]\n", "\"0.0.0.0/0\""), "x = [\"10.0.0.0/8\"]\n");
        assert_eq!(remove("x = [\"10.0.0.0/8\", \"0.0.0.0/0\"]\n", "\"0.0.0.0/0\""), "x = [\"10.0.0.0/8\"]\n");
        assert_eq!(
            remove("x = [\n  \"10.0.0.0/8\", # office\n  \"0.0.0.0/0\", # all\n]\n", "\"0.0.0.0/0\""),
            "x = [\n  \"10.0.0.0/8\", # office\n]\n"
        );
        let only = "x = [\"0.0.0.0/0\"]\n";
        let fix = Fix::safe("t", vec![FixEdit::RemoveElement { element: element(only, "\"0.0.0.0/0\"") }]);
        assert!(fix_edits(only, &fix).is_err());
    }

    #[test]
    fn a_fix_of_another_text_is_refused_not_applied() {
        let text = "variable \"pw\" {\n  description = \"mot de passe é\"\n  sensitive = false\n}\n";
        let inside = text.find('é').unwrap_or_default() + 1;
        let fix = Fix::safe("t", vec![FixEdit::replace(Span::new(inside, inside + 1), "true")]);
        assert!(fix_edits(text, &fix).is_err());
        let beyond = Fix::safe("t", vec![FixEdit::replace(Span::new(text.len(), text.len() + 4), "true")]);
        assert!(fix_edits(text, &beyond).is_err());
        let value = text.find("false").unwrap_or_default();
        let stale = Fix::safe("t", vec![FixEdit::replace(Span::new(value - 2, value + 5), "true")]);
        assert!(fix_edits(text, &stale).is_err(), "not the span of a value");
        let right = Fix::safe("t", vec![FixEdit::replace(Span::new(value, value + 5), "true")]);
        assert_eq!(apply(text, &fix_edits(text, &right).unwrap_or_default()), text.replace("false", "true"));
        let gone = Fix::safe("t", vec![FixEdit::set_attribute(Span::new(1, 5), &[], "sensitive", "true")]);
        assert!(fix_edits(text, &gone).is_err());
        assert!(fix_edits("variable {", &gone).is_err(), "a text that does not parse");
    }

    #[test]
    fn plan_defers_overlapping_fixes_and_apply_keeps_other_bytes() {
        assert!(overlap(&(3..3), &(3..5)));
        assert!(overlap(&(3..3), &(3..3)));
        assert!(!overlap(&(1..3), &(3..5)));
        assert_eq!(
            apply("abcdef", &[TextEdit { range: 1..2, text: "X".into() }, TextEdit { range: 4..4, text: "Y".into() }]),
            "aXcdYef"
        );
    }

    mod properties {
        use super::super::*;
        use fleet_iam_core::{Config, Source, SourceKind, check};
        use proptest::prelude::*;

        /// Fixable blocks in the layouts people write: one line or many, indented by spaces or a
        /// tab, with comments, with the setting absent or wrong.
        fn block(kind: usize, indent: &str, comment: bool, n: usize) -> String {
            let c = if comment { " # note" } else { "" };
            match kind {
                0 => format!("variable \"db_password_{n}\" {{\n{indent}type = string{c}\n}}\n"),
                1 => format!("variable \"api_token_{n}\" {{}}\n"),
                2 => format!("variable \"client_secret_{n}\" {{ type = string }}\n"),
                3 => format!("variable \"private_key_{n}\" {{\n{indent}sensitive = false{c}\n}}\n"),
                4 => format!("resource \"aws_instance\" \"i{n}\" {{\n{indent}ami = \"ami-1\"{c}\n}}\n"),
                5 => format!(
                    "resource \"aws_launch_template\" \"t{n}\" {{\n{indent}metadata_options {{\n{indent}{indent}http_tokens = \"optional\"{c}\n{indent}}}\n}}\n"
                ),
                6 => format!(
                    "resource \"helm_release\" \"h{n}\" {{\n{indent}name  = \"h\"\n{indent}chart = \"h\"\n{indent}set {{\n{indent}{indent}name  = \"adminPassword\"{c}\n{indent}{indent}value = var.x\n{indent}}}\n}}\n"
                ),
                7 => format!(
                    "resource \"helm_release\" \"l{n}\" {{\n{indent}name  = \"l\"\n{indent}chart = \"l\"\n{indent}set = [\n{indent}{indent}{{ name = \"a\", value = \"1\" }},{c}\n{indent}{indent}{{ name = \"redis.password\", value = var.x }},\n{indent}]\n}}\n"
                ),
                8 => format!(
                    "resource \"aws_eks_cluster\" \"e{n}\" {{\n{indent}name = \"e\"\n{indent}vpc_config {{\n{indent}{indent}public_access_cidrs = [\"0.0.0.0/0\", \"10.0.0.0/8\"]{c}\n{indent}}}\n}}\n"
                ),
                _ => format!("output \"password_{n}\" {{\n{indent}value = var.db_password_0{c}\n}}\n"),
            }
        }

        fn fixable(text: &str) -> Vec<fleet_iam_core::Diagnostic> {
            let sources = [Source::new("main.tf", text, SourceKind::Hcl)];
            check(&sources, &Config::strict()).diagnostics.into_iter().filter(|d| d.fix.is_some()).collect()
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 48, max_shrink_iters: 16, failure_persistence: None, ..ProptestConfig::default() })]

            #[test]
            fn fixes_converge_and_keep_the_file_parsing(
                kinds in proptest::collection::vec((0usize..10, any::<bool>()), 1..6),
                tab in any::<bool>(),
                crlf in any::<bool>(),
            ) {
                let indent = if tab { "\t" } else { "  " };
                let mut text = String::from("variable \"x\" {\n  type = string\n  sensitive = true\n}\n");
                for (n, (kind, comment)) in kinds.iter().enumerate() {
                    text.push_str(&block(*kind, indent, *comment, n));
                }
                if crlf {
                    text = text.replace('\n', "\r\n");
                }
                let mut passes = 0;
                loop {
                    let diagnostics = fixable(&text);
                    if diagnostics.is_empty() {
                        break;
                    }
                    passes += 1;
                    prop_assert!(passes <= 4, "no convergence:\n{text}");
                    let refs: Vec<&fleet_iam_core::Diagnostic> = diagnostics.iter().collect();
                    let planned = plan(&text, &refs, true);
                    prop_assert!(planned.failed.is_empty(), "{:?}\n{text}", planned.failed);
                    prop_assert!(!planned.edits.is_empty());
                    prop_assert!(planned.edits.windows(2).all(|w| !overlap(&w[0].range, &w[1].range)));
                    let fixed = apply(&text, &planned.edits);
                    prop_assert!(hcl_edit::parser::parse_body(&fixed).is_ok(), "does not parse:\n{fixed}");
                    prop_assert_eq!(fixed.contains("\r\n"), crlf);
                    prop_assert_eq!(fixed.matches('\n').count() - fixed.matches("\r\n").count(), if crlf { 0 } else { fixed.matches('\n').count() });
                    text = fixed;
                }
                prop_assert!(passes >= 1, "every block has something to fix:\n{text}");
            }

            #[test]
            fn any_edit_on_any_text_is_refused_or_fits(
                text in "[a-z\"={}\\[\\], \n#é]{0,60}",
                start in 0usize..70,
                len in 0usize..10,
                kind in 0usize..4,
            ) {
                let span = Span::new(start, start + len);
                let edit = match kind {
                    0 => FixEdit::replace(span, "true"),
                    1 => FixEdit::set_attribute(span, &["b"], "a", "true"),
                    2 => FixEdit::RemoveElement { element: span },
                    _ => FixEdit::MoveElement { element: span, to: "set_sensitive".into() },
                };
                if let Ok(edits) = fix_edits(&text, &Fix::safe("t", vec![edit])) {
                    for e in &edits {
                        prop_assert!(e.range.end <= text.len() && text.is_char_boundary(e.range.start) && text.is_char_boundary(e.range.end));
                    }
                    let _ = apply(&text, &edits);
                }
            }
        }
    }
}
