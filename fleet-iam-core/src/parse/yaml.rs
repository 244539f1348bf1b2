//! YAML (GitHub Actions workflows) to the located model, with `saphyr-parser`: an event parser
//! in safe Rust that gives every scalar and collection its position, keeps no recursion of its
//! own (flow collections have a nesting limit) and reports aliases without expanding them.
//!
//! Mappings become [`ValueKind::Object`] (keys in written order), sequences
//! [`ValueKind::List`], scalars strings, or, when plain, `null`, booleans and numbers as the
//! YAML 1.2 core schema reads them. Only the first document of a stream is kept.
//!
//! Hostile input is bounded: nesting deeper than [`MAX_DEPTH`] is an error (the model's walks
//! recurse), and aliases are expanded by copying their anchor's value only while the copies
//! stay under [`MAX_ALIAS_NODES`] values in all, so that a "billion laughs" stream is an error,
//! not a billion values.

use super::ParseError;
use crate::model::{At, Entry, Key, Number, SourceId, Value, ValueKind};
use crate::source::Span;
use saphyr_parser::{Event, Marker, Parser, ScalarStyle};
use std::collections::HashMap;
use std::sync::Arc;

/// How deep mappings and sequences may nest.
pub const MAX_DEPTH: usize = 64;

/// How many values the expansion of aliases may copy, in all.
pub const MAX_ALIAS_NODES: usize = 100_000;

/// Parses the first YAML document of `text` into a located value (`null` for an empty stream).
pub fn parse(text: &str, source: SourceId) -> Result<Value, ParseError> {
    let offsets = Offsets::new(text);
    let mut builder =
        Builder { text, source, stack: Vec::new(), anchors: HashMap::new(), copied: 0, root: None, documents: 0 };
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| {
            let mut at = offsets.byte(e.marker());
            // A tab is reported just after it: point at the tab.
            if e.info().contains("tab") && text.get(..at).is_some_and(|before| before.ends_with('\t')) {
                at -= 1;
            }
            ParseError { span: Span::new(at, at), message: e.info().to_string() }
        })?;
        let span = Span::new(offsets.byte(&span.start), offsets.byte(&span.end));
        if builder.event(event, span)? {
            break;
        }
    }
    Ok(builder.root.unwrap_or_else(|| Value::new(At::new(source, Span::new(0, 0)), ValueKind::Null)))
}

/// Byte offsets of the parser's character indexes: the same numbers in ASCII text, else read
/// from a checkpoint every [`Offsets::EVERY`] characters (memory an eighth of the text's at most).
struct Offsets<'t> {
    text: &'t str,
    checkpoints: Option<Vec<usize>>,
}

impl<'t> Offsets<'t> {
    const EVERY: usize = 64;

    fn new(text: &'t str) -> Offsets<'t> {
        let checkpoints = (!text.is_ascii())
            .then(|| text.char_indices().step_by(Self::EVERY).map(|(i, _)| i).collect::<Vec<usize>>());
        Offsets { text, checkpoints }
    }

    fn byte(&self, marker: &Marker) -> usize {
        let index = marker.index();
        let Some(checkpoints) = &self.checkpoints else { return index.min(self.text.len()) };
        let Some(&from) = checkpoints.get(index / Self::EVERY) else { return self.text.len() };
        let rest = self.text.get(from..).unwrap_or_default();
        rest.char_indices().nth(index % Self::EVERY).map_or(self.text.len(), |(i, _)| from + i)
    }
}

/// A collection being read.
enum Frame {
    Sequence { start: Span, anchor: usize, items: Vec<Value> },
    Mapping { start: Span, anchor: usize, entries: Vec<Entry>, key: Option<(Key, At)> },
}

struct Builder<'a> {
    text: &'a str,
    source: SourceId,
    stack: Vec<Frame>,
    /// The anchored values so far, with how many values each holds and how deep it nests.
    anchors: HashMap<usize, (Value, usize, usize)>,
    /// How many values aliases have copied.
    copied: usize,
    root: Option<Value>,
    documents: usize,
}

impl Builder<'_> {
    fn at(&self, span: Span) -> At {
        At::new(self.source, span)
    }

    fn error(span: Span, message: String) -> ParseError {
        ParseError { span: Span::new(span.start, span.start), message }
    }

    /// Takes one event; returns whether the first document is complete.
    fn event(&mut self, event: Event<'_>, span: Span) -> Result<bool, ParseError> {
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                Ok(false)
            }
            Event::DocumentEnd | Event::StreamEnd => Ok(self.documents > 0),
            Event::Scalar(text, style, anchor, tag) => {
                let plain = style == ScalarStyle::Plain && tag.is_none_or(|t| !t.is_yaml_core_schema());
                let span = self.scalar_span(span, style);
                let value = Value::new(self.at(span), scalar(&text, plain));
                self.finish(value, anchor)
            }
            Event::Alias(anchor) => {
                let Some((value, size, height)) = self.anchors.get(&anchor) else {
                    return Err(Self::error(span, "an alias to an anchor that is not defined before it".into()));
                };
                if self.stack.len() + height > MAX_DEPTH {
                    return Err(Self::error(span, deeper()));
                }
                self.copied += size;
                if self.copied > MAX_ALIAS_NODES {
                    let message = format!(
                        "aliases here expand to more than {MAX_ALIAS_NODES} values, more than fleet-iam reads (a limit on the memory a parse takes)"
                    );
                    return Err(Self::error(span, message));
                }
                let value = value.clone();
                self.finish(value, 0)
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if self.stack.len() >= MAX_DEPTH {
                    return Err(Self::error(span, deeper()));
                }
                let frame = if matches!(event, Event::SequenceStart(..)) {
                    Frame::Sequence { start: span, anchor, items: Vec::new() }
                } else {
                    Frame::Mapping { start: span, anchor, entries: Vec::new(), key: None }
                };
                self.stack.push(frame);
                Ok(false)
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = self.stack.pop() else { return Ok(false) };
                let (start, anchor, kind, last) = match frame {
                    Frame::Sequence { start, anchor, items } => {
                        let last = items.last().map(|v| v.at.span.end);
                        (start, anchor, ValueKind::List(Arc::new(items)), last)
                    }
                    Frame::Mapping { start, anchor, entries, .. } => {
                        let last = entries.last().map(|e| e.value.at.span.end);
                        (start, anchor, ValueKind::Object(entries), last)
                    }
                };
                // A flow collection ends at its bracket; a block one at its last value.
                let flow = matches!(self.text.as_bytes().get(start.start), Some(b'[' | b'{'));
                let end = if flow { span.end } else { last.unwrap_or(start.end) };
                let value = Value::new(self.at(Span::new(start.start, end.max(start.start))), kind);
                self.finish(value, anchor)
            }
            Event::Nothing | Event::StreamStart => Ok(false),
        }
    }

    /// Where a scalar is written: a quoted one to its closing quote (the parser's end can run on
    /// over blanks), a block one without its trailing blank lines.
    fn scalar_span(&self, span: Span, style: ScalarStyle) -> Span {
        let bytes = self.text.as_bytes();
        match style {
            ScalarStyle::DoubleQuoted | ScalarStyle::SingleQuoted => {
                let quote = if style == ScalarStyle::DoubleQuoted { b'"' } else { b'\'' };
                let Some(open) = (span.start..span.end.min(bytes.len())).find(|&i| bytes[i] == quote) else {
                    return span;
                };
                let mut i = open + 1;
                while i < span.end.min(bytes.len()) {
                    match bytes[i] {
                        b'\\' if quote == b'"' => i += 2,
                        b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
                        b if b == quote => return Span::new(span.start, i + 1),
                        _ => i += 1,
                    }
                }
                span
            }
            ScalarStyle::Literal | ScalarStyle::Folded => {
                let written = self.text.get(span.range()).unwrap_or_default();
                Span::new(span.start, span.start + written.trim_end().len())
            }
            ScalarStyle::Plain => span,
        }
    }

    /// Places a complete value: as the document, an item, a key or a key's value.
    fn finish(&mut self, value: Value, anchor: usize) -> Result<bool, ParseError> {
        if anchor != 0 {
            self.anchors.insert(anchor, (value.clone(), size(&value), height(&value)));
        }
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(value);
                }
            }
            Some(Frame::Sequence { items, .. }) => items.push(value),
            Some(Frame::Mapping { entries, key, .. }) => match key.take() {
                None => {
                    // A key that is a mapping or sequence (`? [a, b]`) is read as an empty name.
                    let name = match &value.kind {
                        ValueKind::String(s) => s.as_str(),
                        ValueKind::Number(n) => n.as_str(),
                        ValueKind::Bool(true) => "true",
                        ValueKind::Bool(false) => "false",
                        ValueKind::Null => "null",
                        _ => "",
                    };
                    *key = Some((Key::from(name), value.at));
                }
                Some((key, key_at)) => entries.push(Entry { key, key_at, value }),
            },
        }
        Ok(false)
    }
}

fn deeper() -> String {
    format!("mappings and sequences nest more than {MAX_DEPTH} levels deep here")
}

/// How many levels of mappings and sequences `value` is.
fn height(value: &Value) -> usize {
    match &value.kind {
        ValueKind::List(items) => 1 + items.iter().map(height).max().unwrap_or(0),
        ValueKind::Object(entries) => 1 + entries.iter().map(|e| height(&e.value)).max().unwrap_or(0),
        _ => 0,
    }
}

/// How many values `value` holds, itself included.
fn size(value: &Value) -> usize {
    match &value.kind {
        ValueKind::List(items) => 1 + items.iter().map(size).sum::<usize>(),
        ValueKind::Object(entries) => 1 + entries.iter().map(|e| 1 + size(&e.value)).sum::<usize>(),
        _ => 1,
    }
}

/// A scalar's value: a plain one as the YAML 1.2 core schema resolves it, any other a string.
fn scalar(text: &str, plain: bool) -> ValueKind {
    if !plain {
        return ValueKind::String(text.to_string());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => ValueKind::Null,
        "true" | "True" | "TRUE" => ValueKind::Bool(true),
        "false" | "False" | "FALSE" => ValueKind::Bool(false),
        _ if is_number(text) => ValueKind::Number(Number::from(text)),
        _ => ValueKind::String(text.to_string()),
    }
}

/// Whether a plain scalar is an integer or a float of the YAML 1.2 core schema.
fn is_number(text: &str) -> bool {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if let Some(octal) = text.strip_prefix("0o") {
        return !octal.is_empty() && octal.bytes().all(|b| (b'0'..=b'7').contains(&b));
    }
    if let Some(hex) = text.strip_prefix("0x") {
        return !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit());
    }
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") || matches!(text, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, fraction)) => {
            (digits(whole) || whole.is_empty())
                && (digits(fraction) || fraction.is_empty())
                && !(whole.is_empty() && fraction.is_empty())
        }
        None => digits(mantissa),
    };
    mantissa_ok && exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Value, ParseError> {
        super::parse(text, SourceId(0))
    }

    fn shown<'t>(text: &'t str, value: &Value) -> &'t str {
        &text[value.at.span.range()]
    }

    #[test]
    fn values_know_where_they_are_written() {
        let text = "on: push\nenv:\n  TF_VAR_a: \"${{ secrets.A }}\"   # note\n  B: 'it''s'\n  C: |\n    one\n    two\n\njobs: {x: [1, 2.5, true, null]}\n";
        let root = parse(text).unwrap();
        let env = &root.get("env").unwrap().value;
        let a = env.get("TF_VAR_a").unwrap();
        assert_eq!(&text[a.key_at.span.range()], "TF_VAR_a");
        assert_eq!(shown(text, &a.value), "\"${{ secrets.A }}\"");
        assert_eq!(a.value.as_str(), Some("${{ secrets.A }}"));
        let b = &env.get("B").unwrap().value;
        assert_eq!((shown(text, b), b.as_str()), ("'it''s'", Some("it's")));
        let c = &env.get("C").unwrap().value;
        assert_eq!((shown(text, c), c.as_str()), ("one\n    two", Some("one\ntwo\n")));
        assert!(shown(text, env).starts_with("TF_VAR_a") && shown(text, env).ends_with("two"));
        let jobs = &root.get("jobs").unwrap().value;
        assert_eq!(shown(text, jobs), "{x: [1, 2.5, true, null]}");
        let items = jobs.get("x").unwrap().value.as_list().unwrap().to_vec();
        let kinds: Vec<&ValueKind> = items.iter().map(|v| &v.kind).collect();
        assert_eq!(
            kinds,
            [
                &ValueKind::Number(Number::from("1")),
                &ValueKind::Number(Number::from("2.5")),
                &ValueKind::Bool(true),
                &ValueKind::Null
            ]
        );
        // `on` is a key like any other (YAML 1.2), not a boolean.
        assert_eq!(root.get("on").unwrap().value.as_str(), Some("push"));
    }

    #[test]
    fn positions_are_bytes_in_text_that_is_not_ascii() {
        let text = "name: déploiement ✓\nenv:\n  TF_VAR_ü: \"${{ secrets.X }}\"\n";
        let root = parse(text).unwrap();
        let entry = &root.get("env").unwrap().value.as_object().unwrap()[0];
        assert_eq!(&text[entry.key_at.span.range()], "TF_VAR_ü");
        assert_eq!(shown(text, &entry.value), "\"${{ secrets.X }}\"");
        let long = format!("a: {}\nb: \"x\"\n", "é".repeat(300));
        let root = parse(&long).unwrap();
        assert_eq!(shown(&long, &root.get("b").unwrap().value), "\"x\"");
    }

    #[test]
    fn plain_scalars_follow_the_core_schema() {
        for number in ["0", "-12", "+3", "1.5", ".5", "1e3", "2.5E-4", "0x1F", "0o17", ".inf", "-.Inf", ".nan"] {
            assert!(is_number(number), "{number}");
        }
        for text in ["1.2.3", "v1", "0x", "1e", ".", "-", "1_000", "0o9", "e3", ""] {
            assert!(!is_number(text), "{text}");
        }
        let root = parse("a: '1'\nb: !!str 2\nc: yes\nd: ~\n").unwrap();
        assert_eq!(root.get("a").unwrap().value.as_str(), Some("1"));
        assert_eq!(root.get("b").unwrap().value.as_str(), Some("2"));
        assert_eq!(root.get("c").unwrap().value.as_str(), Some("yes"));
        assert_eq!(root.get("d").unwrap().value.kind, ValueKind::Null);
    }

    #[test]
    fn aliases_copy_their_anchor_within_a_budget() {
        let text = "common: &env\n  TF_VAR_a: x\njob:\n  env: *env\n";
        let root = parse(text).unwrap();
        let copied = &root.get("job").unwrap().value.get("env").unwrap().value;
        // The copy points where the value was written.
        assert_eq!(&text[copied.get("TF_VAR_a").unwrap().key_at.span.range()], "TF_VAR_a");
        let mut laughs = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (n, previous) in
            ["b", "c", "d", "e", "f", "g", "h", "i"].iter().zip(["a", "b", "c", "d", "e", "f", "g", "h"])
        {
            laughs.push_str(&format!("{n}: &{n} [{}]\n", vec![format!("*{previous}"); 10].join(", ")));
        }
        let error = parse(&laughs).unwrap_err();
        assert!(error.message.contains("aliases here expand to more than"), "{}", error.message);
        assert_eq!(&laughs[error.span.start..error.span.start + 2], "*d");
        // An alias to no anchor: the parser's own error.
        assert_eq!(parse("a: *nowhere\n").unwrap_err().span.start, 3);
    }

    #[test]
    fn deep_nesting_and_syntax_errors_are_errors_with_a_place() {
        let deep: String = (0..100).map(|i| format!("{}a:\n", " ".repeat(i))).collect();
        let error = parse(&deep).unwrap_err();
        assert!(error.message.contains("64 levels"), "{}", error.message);
        // The 65th mapping, which starts on line 65.
        assert_eq!(deep[..error.span.start].lines().count(), 65);
        let flow = "[".repeat(100_000);
        assert!(parse(&flow).is_err());
        // Aliases do not nest deeper than the text does.
        let mut chain = format!("a0: &a0 {}x{}\n", "[".repeat(40), "]".repeat(40));
        for i in 1..4 {
            chain.push_str(&format!("a{i}: &a{i} {}*a{}{}\n", "[".repeat(40), i - 1, "]".repeat(40)));
        }
        assert!(parse(&chain).unwrap_err().message.contains("levels deep"));
        let error = parse("env:\n  a: [b\n  c: d\n").unwrap_err();
        assert!(error.span.start > 0 && !error.message.is_empty());
        // A tab as indentation: at the tab.
        let error = parse("a:\n\tb: c\n").unwrap_err();
        assert_eq!((error.span.start, error.message.contains("tab")), (3, true));
    }

    #[test]
    fn only_the_first_document_is_kept() {
        assert_eq!(parse("").unwrap().kind, ValueKind::Null);
        let root = parse("---\na: 1\n---\nb: 2\n").unwrap();
        assert!(root.get("a").is_some() && root.get("b").is_none());
        // A complex key is read as an empty name, and the mapping goes on.
        let root = parse("? [a]\n: b\nc: d\n").unwrap();
        assert_eq!(root.get("c").unwrap().value.as_str(), Some("d"));
    }
}
