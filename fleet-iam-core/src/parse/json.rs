//! The one span-aware JSON parser: strict JSON text to a located [`Value`].
//!
//! A hand-written recursive descent over the bytes of the text that builds [`Value`]s directly,
//! in one pass: plans are tens or hundreds of megabytes of JSON on one line, so there is no
//! intermediate syntax tree, string bodies are scanned with `memchr`, and a string without
//! escapes is copied once.

use std::borrow::Cow;

use super::ParseError;
use super::strings::OffsetMap;
use crate::model::{At, Entry, Key, Number, SourceId, Value, ValueKind};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// How deeply arrays and objects may nest: the outermost one is level 1. Deeper text is an
/// error located at the bracket that goes past the limit, instead of a stack overflow here or
/// in the rules, which recurse over values too.
pub const MAX_DEPTH: usize = 256;

/// Parses JSON written as a Terraform template (a heredoc, a `templatefile()` file): the
/// `${...}` interpolations are masked first, and strings holding one become
/// [`ValueKind::Template`], unknown until apply. `None` when `%{...}` directives make it
/// unreadable as JSON.
pub fn parse_template(text: &str, source: SourceId, map: &OffsetMap) -> Option<Result<Value, ParseError>> {
    let (masked, directive) = super::strings::mask_interpolations(text);
    match parse(&masked, source, map) {
        Ok(mut value) => {
            templated(&mut value);
            Some(Ok(value))
        }
        Err(_) if directive => None,
        Err(e) => Some(Err(e)),
    }
}

fn templated(value: &mut Value) {
    match &mut value.kind {
        ValueKind::String(s) if s.contains("${") => value.kind = ValueKind::Template(std::mem::take(s)),
        ValueKind::List(items) => Arc::make_mut(items).iter_mut().for_each(templated),
        ValueKind::Object(entries) => entries.iter_mut().for_each(|e| templated(&mut e.value)),
        _ => {}
    }
}

/// Parses strict JSON (RFC 8259: no comments, no trailing commas, no single quotes, no unquoted
/// keys, nothing but whitespace after the value). `map` places the text in its source: identity
/// for a file, an escape map for a JSON string inside another.
///
/// Strings and keys are decoded; numbers are kept as written. Duplicate keys are kept, in
/// order. Arrays and objects may nest [`MAX_DEPTH`] levels deep.
pub fn parse(text: &str, source: SourceId, map: &OffsetMap) -> Result<Value, ParseError> {
    parse_as(text, source, map, Place::Other)
}

/// [`parse`] for a Terraform plan, without the copies it holds: the resources of
/// `planned_values` and `prior_state` whose address `resource_changes` also has (see
/// [`super::plan::changed_addresses`]) are `null`, so that the others keep their index. Those
/// are copies of a change's `after` and `before`, which no rule reads ([`crate::model::Plan`]
/// takes a resource from `resource_changes` first), and a plan of an update holds each value
/// three times. Terraform writes `planned_values` first, so each resource of these sections is
/// only checked for syntax as it comes, and the few that are not copies are read again at the
/// end.
pub fn parse_plan(text: &str, source: SourceId, map: &OffsetMap) -> Result<Value, ParseError> {
    parse_as(text, source, map, Place::Root)
}

fn parse_as(text: &str, source: SourceId, map: &OffsetMap, place: Place) -> Result<Value, ParseError> {
    if text.starts_with('\u{feff}') {
        let message = "the text starts with a byte order mark (U+FEFF), which JSON does not allow";
        return Err(ParseError { span: map.span(0, '\u{feff}'.len_utf8()), message: message.into() });
    }
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        source,
        map,
        items: Vec::new(),
        entries: Vec::new(),
        keys: HashMap::new(),
        held: Vec::new(),
        checking: false,
    };
    parser.skip_whitespace();
    if parser.pos == text.len() {
        return Err(ParseError { span: map.span(0, text.len()), message: "empty document".into() });
    }
    let root = parser.value(0, place).and_then(|mut root| {
        parser.skip_whitespace();
        if parser.peek().is_some() {
            return Err(parser.unexpected("expected the end of the text after the JSON value"));
        }
        if parser.held.is_empty() {
            return Ok(root);
        }
        let taken = super::plan::changed_addresses(&root);
        let mut held = std::mem::take(&mut parser.held).into_iter();
        parser.restore(&mut root, place, &mut held, &taken)?;
        Ok(root)
    });
    root.map_err(|fail| ParseError { span: map.span(fail.start, fail.end), message: fail.message.into_owned() })
}

/// Where a value sits in a plan, as far as [`parse_plan`] cares: on the way to the resource
/// lists of `planned_values` and `prior_state` (through `child_modules` too), or elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Other,
    Root,
    /// `prior_state`.
    State,
    /// `planned_values`, `prior_state.values`.
    Values,
    Module,
    /// `child_modules`.
    Modules,
    /// A module's `resources`: each one is held back.
    Resources,
}

impl Place {
    /// The place of the member `key` of an object here.
    fn member(self, key: &str) -> Place {
        match (self, key) {
            (Place::Root, "planned_values") | (Place::State, "values") => Place::Values,
            (Place::Root, "prior_state") => Place::State,
            (Place::Values, "root_module") => Place::Module,
            (Place::Module, "resources") => Place::Resources,
            (Place::Module, "child_modules") => Place::Modules,
            _ => Place::Other,
        }
    }

    /// The place of an element of an array here (not of `resources`: those are held back).
    fn item(self) -> Place {
        if self == Place::Modules { Place::Module } else { Place::Other }
    }
}

/// A resource of `planned_values` or `prior_state` whose syntax was checked, replaced by `null`
/// until `resource_changes` tells whether it is a copy.
struct Held {
    /// Where its text starts.
    start: usize,
    /// The nesting level of the array it is in.
    depth: usize,
    address: Option<String>,
}

/// How many elements of one array or object the shared stack holds at most: see [`Run`].
const CHUNK: usize = 4096;

/// The elements of one array or object being read. They go on the parser's shared stack (from
/// `base`), and are moved out into a `Vec` of exactly their number when it closes, so that no
/// `Vec` grows by reallocation. A long one leaves the stack at [`CHUNK`] elements for a `Vec` of
/// its own, sized ahead where the parser can count the rest: else it would be held twice at the
/// end, on the stack (which keeps its capacity until the parse ends) and in its copy, and a
/// `Vec` grown by doubling leaves its old buffers resident for a while after they are freed.
struct Run<T> {
    base: usize,
    own: Option<Vec<T>>,
}

impl<T> Run<T> {
    fn new(stack: &[T]) -> Run<T> {
        Run { base: stack.len(), own: None }
    }

    /// Adds an element; `true` when the run is [`CHUNK`] long on the stack: time to
    /// [`Run::spill`] it.
    fn push(&mut self, stack: &mut Vec<T>, item: T) -> bool {
        match &mut self.own {
            Some(own) => {
                own.push(item);
                false
            }
            None => {
                stack.push(item);
                stack.len() - self.base == CHUNK
            }
        }
    }

    /// Moves the run off the stack into a `Vec` with room for `more` elements after it.
    fn spill(&mut self, stack: &mut Vec<T>, more: usize) {
        let mut own = Vec::with_capacity(CHUNK + more);
        own.extend(stack.drain(self.base..));
        self.own = Some(own);
    }

    fn finish(self, stack: &mut Vec<T>) -> Vec<T> {
        match self.own {
            Some(own) => own,
            None => stack.drain(self.base..).collect(),
        }
    }
}

/// A syntax error at byte offsets of the text, both on char boundaries.
struct Fail {
    start: usize,
    end: usize,
    message: Cow<'static, str>,
}

struct Parser<'t, 'm> {
    text: &'t str,
    bytes: &'t [u8],
    /// The next byte to read.
    pos: usize,
    source: SourceId,
    map: &'m OffsetMap,
    /// The elements of the arrays being read, innermost last: each array's are moved out into
    /// a `Vec` of exactly their number when it closes, so that no `Vec` grows by reallocation.
    items: Vec<Value>,
    /// The same for the members of objects.
    entries: Vec<Entry>,
    /// Every key read so far: equal keys share one allocation.
    keys: HashMap<&'t str, Key>,
    /// The resources held back in a plan, in the order of the text.
    held: Vec<Held>,
    /// Reading a held-back resource: its syntax is checked, but arrays and objects inside it
    /// are left empty, so that a copy costs no memory. Its address, a scalar, is kept.
    checking: bool,
}

fn is_collection(value: &Value) -> bool {
    matches!(value.kind, ValueKind::List(_) | ValueKind::Object(_))
}

/// Bytes of a bare word: what a misspelt literal or an unquoted string is made of.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$')
}

impl<'t> Parser<'t, '_> {
    fn at(&self, start: usize, end: usize) -> At {
        At::new(self.source, self.map.span(start, end))
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    /// An error over `start..end`, widened to char boundaries.
    fn fail(&self, start: usize, end: usize, message: impl Into<Cow<'static, str>>) -> Fail {
        let len = self.text.len();
        let mut start = start.min(len);
        while !self.text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = end.clamp(start, len);
        while !self.text.is_char_boundary(end) {
            end += 1;
        }
        Fail { start, end, message: message.into() }
    }

    /// An error at the current byte, which is not what `expected` says. Points at the whole
    /// word when it is one (`NaN`, an unquoted key), says so when it opens a comment, and names
    /// an invisible character.
    fn unexpected(&self, expected: &'static str) -> Fail {
        let start = self.pos;
        match self.peek() {
            None => self.fail(start, start, format!("{expected}, found the end of the text")),
            Some(b'/') if matches!(self.bytes.get(start + 1), Some(b'/' | b'*')) => {
                self.fail(start, start + 2, "comments are not allowed in JSON")
            }
            // A character the reader cannot see: Unicode spaces, control characters, a BOM.
            Some(b) if !(0x20..0x7f).contains(&b) => {
                match self.text.get(start..).and_then(|rest| rest.chars().next()) {
                    Some(c) if c.is_whitespace() || c.is_control() || c == '\u{feff}' => self.fail(
                        start,
                        start + c.len_utf8(),
                        format!("{expected}, found the invisible character U+{:04X}", u32::from(c)),
                    ),
                    _ => self.fail(start, start + 1, expected),
                }
            }
            Some(b) if is_word_byte(b) => {
                let len = self.bytes.get(start..).unwrap_or_default().iter().take_while(|&&b| is_word_byte(b)).count();
                self.fail(start, start + len, expected)
            }
            Some(_) => self.fail(start, start + 1, expected),
        }
    }

    /// The value starting at the next non-whitespace byte, inside `depth` arrays and objects,
    /// at `place` in a plan.
    fn value(&mut self, depth: usize, place: Place) -> Result<Value, Fail> {
        self.skip_whitespace();
        let start = self.pos;
        let kind = match self.peek() {
            Some(b'"') => ValueKind::String(self.string()?.into_owned()),
            Some(b'{') => return self.object(depth + 1, place),
            Some(b'[') => return self.array(depth + 1, place),
            Some(b'-' | b'0'..=b'9') => ValueKind::Number(self.number()?),
            Some(b't') if self.literal(b"true") => ValueKind::Bool(true),
            Some(b'f') if self.literal(b"false") => ValueKind::Bool(false),
            Some(b'n') if self.literal(b"null") => ValueKind::Null,
            Some(b'\'') => return Err(self.fail(start, start + 1, "strings must be in double quotes")),
            Some(b'+') => return Err(self.fail(start, start + 1, "a number cannot start with `+`")),
            Some(b'.') => return Err(self.fail(start, start + 1, "a number needs a digit before the decimal point")),
            Some(_) | None => {
                return Err(
                    self.unexpected("expected a value (a string, number, object, array, `true`, `false` or `null`)")
                );
            }
        };
        Ok(Value::new(self.at(start, self.pos), kind))
    }

    /// Consumes `word` if the text continues with it as a whole word.
    fn literal(&mut self, word: &[u8]) -> bool {
        let end = self.pos + word.len();
        let whole =
            self.bytes.get(self.pos..end) == Some(word) && !self.bytes.get(end).is_some_and(|&b| is_word_byte(b));
        if whole {
            self.pos = end;
        }
        whole
    }

    fn ensure_depth(&self, depth: usize) -> Result<(), Fail> {
        if depth > MAX_DEPTH {
            return Err(self.fail(
                self.pos,
                self.pos + 1,
                format!("maximum nesting depth of {MAX_DEPTH} levels exceeded"),
            ));
        }
        Ok(())
    }

    /// The array whose `[` is the current byte, at nesting level `depth`.
    fn array(&mut self, depth: usize, place: Place) -> Result<Value, Fail> {
        self.ensure_depth(depth)?;
        let open = self.pos;
        self.pos += 1;
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::new(self.at(open, self.pos), ValueKind::List(Arc::default())));
        }
        let mut run = Run::new(&self.items);
        loop {
            let item = match place {
                Place::Resources => self.held_back(depth)?,
                _ => self.value(depth, place.item())?,
            };
            if !self.checking && run.push(&mut self.items, item) {
                // Counting costs a pass over the rest: worth it for long lists of scalars, where
                // the list itself is most of the memory, not for lists of objects.
                let scalars = self.items.iter().rev().take(CHUNK).all(|v| !is_collection(v));
                let more = if scalars { self.count_rest() } else { CHUNK };
                run.spill(&mut self.items, more);
            }
            if self.comma_or_close(b']', "expected `,` or `]` after an array element")? {
                let items = run.finish(&mut self.items);
                return Ok(Value::new(self.at(open, self.pos), ValueKind::List(Arc::new(items))));
            }
        }
    }

    /// After an element: a `,` that another element must follow (`Ok(false)`), or the closing
    /// bracket, consumed (`Ok(true)`).
    fn comma_or_close(&mut self, close: u8, expected: &'static str) -> Result<bool, Fail> {
        self.skip_whitespace();
        match self.peek() {
            Some(b',') => {
                let comma = self.pos;
                self.pos += 1;
                self.skip_whitespace();
                if self.peek() == Some(close) {
                    return Err(self.fail(comma, comma + 1, "trailing commas are not allowed"));
                }
                Ok(false)
            }
            Some(byte) if byte == close => {
                self.pos += 1;
                Ok(true)
            }
            _ => Err(self.unexpected(expected)),
        }
    }

    /// The object whose `{` is the current byte, at nesting level `depth`.
    fn object(&mut self, depth: usize, place: Place) -> Result<Value, Fail> {
        self.ensure_depth(depth)?;
        let open = self.pos;
        self.pos += 1;
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::new(self.at(open, self.pos), ValueKind::Object(Vec::new())));
        }
        let mut run = Run::new(&self.entries);
        loop {
            let key_start = self.pos;
            let key = match self.peek() {
                Some(b'"') => match self.string()? {
                    // Keys without escapes, nearly all of them, are interned by their text.
                    Cow::Borrowed(text) => self.keys.entry(text).or_insert_with(|| Key::from(text)).clone(),
                    Cow::Owned(text) => Key::from(text),
                },
                Some(b'\'') => return Err(self.fail(key_start, key_start + 1, "keys must be in double quotes")),
                _ => return Err(self.unexpected("expected a key in double quotes")),
            };
            let key_at = self.at(key_start, self.pos);
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Err(self.unexpected("expected `:` after an object key"));
            }
            self.pos += 1;
            let value = self.value(depth, place.member(&key))?;
            let dropped = self.checking && is_collection(&value);
            if !dropped && run.push(&mut self.entries, Entry { key, key_at, value }) {
                run.spill(&mut self.entries, CHUNK);
            }
            if self.comma_or_close(b'}', "expected `,` or `}` after an object member")? {
                let entries = run.finish(&mut self.entries);
                return Ok(Value::new(self.at(open, self.pos), ValueKind::Object(entries)));
            }
        }
    }

    /// How many more elements the array being read has after the current element: a quick pass
    /// that follows only strings and brackets. On text that is not JSON it is a guess, which is
    /// all [`Run::spill`] needs.
    fn count_rest(&self) -> usize {
        let (mut depth, mut count, mut i) = (0_usize, 0, self.pos);
        while let Some(&b) = self.bytes.get(i) {
            match b {
                b'"' => {
                    i += 1;
                    // To the closing quote, over escapes.
                    loop {
                        let rest = self.bytes.get(i..).unwrap_or_default();
                        let Some(stop) = memchr::memchr2(b'"', b'\\', rest) else { return count };
                        let quote = rest.get(stop) == Some(&b'"');
                        i += stop + if quote { 1 } else { 2 };
                        if quote {
                            break;
                        }
                    }
                    continue;
                }
                b'[' | b'{' => depth += 1,
                b']' | b'}' if depth == 0 => return count,
                b']' | b'}' => depth -= 1,
                b',' if depth == 0 => count += 1,
                _ => {}
            }
            i += 1;
        }
        count
    }

    /// A resource of `planned_values` or `prior_state`, its syntax checked, held back as `null`
    /// at its place.
    fn held_back(&mut self, depth: usize) -> Result<Value, Fail> {
        self.skip_whitespace();
        let start = self.pos;
        self.checking = true;
        let resource = self.value(depth, Place::Other);
        self.checking = false;
        let resource = resource?;
        let address = resource.get("address").and_then(|e| e.value.as_str()).map(str::to_string);
        self.held.push(Held { start, depth, address });
        Ok(Value::new(resource.at, ValueKind::Null))
    }

    /// Reads again, in place, the held-back resources under `value` (at `place`) that are not
    /// copies of a resource in `taken`, the addresses of `resource_changes`. The walk follows
    /// [`Place`] as the parse did, so it meets them in the order they were held.
    fn restore(
        &mut self,
        value: &mut Value,
        place: Place,
        held: &mut impl Iterator<Item = Held>,
        taken: &BTreeSet<String>,
    ) -> Result<(), Fail> {
        match &mut value.kind {
            ValueKind::Object(entries) => {
                for entry in entries {
                    let inner = place.member(&entry.key);
                    if inner != Place::Other {
                        self.restore(&mut entry.value, inner, held, taken)?;
                    }
                }
            }
            ValueKind::List(items) if place == Place::Resources => {
                for item in Arc::make_mut(items) {
                    let Some(resource) = held.next() else { break };
                    if resource.address.is_none_or(|a| !taken.contains(&a)) {
                        self.pos = resource.start;
                        *item = self.value(resource.depth, Place::Other)?;
                    }
                }
            }
            ValueKind::List(items) if place.item() != Place::Other => {
                for item in Arc::make_mut(items) {
                    self.restore(item, place.item(), held, taken)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The end of the run of ASCII digits from `from`.
    fn digits(&self, from: usize) -> usize {
        from + self.bytes.get(from..).unwrap_or_default().iter().take_while(|b| b.is_ascii_digit()).count()
    }

    /// The number starting at the current byte (`-` or a digit), as written:
    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    fn number(&mut self) -> Result<Number, Fail> {
        let start = self.pos;
        let mut i = start;
        if self.bytes.get(i) == Some(&b'-') {
            i += 1;
        }
        match self.bytes.get(i) {
            Some(b'0') if self.bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                return Err(self.fail(start, self.digits(i), "a number cannot have leading zeros"));
            }
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => i = self.digits(i + 1),
            _ => return Err(self.fail(start, i, "expected a digit after `-`")),
        }
        if self.bytes.get(i) == Some(&b'.') {
            let digits = self.digits(i + 1);
            if digits == i + 1 {
                return Err(self.fail(start, i + 1, "expected a digit after the decimal point"));
            }
            i = digits;
        }
        if let Some(b'e' | b'E') = self.bytes.get(i) {
            i += 1;
            if let Some(b'+' | b'-') = self.bytes.get(i) {
                i += 1;
            }
            let digits = self.digits(i);
            if digits == i {
                return Err(self.fail(start, i, "expected a digit in the exponent"));
            }
            i = digits;
        }
        // `0x1F`, `1.2.3`, `12px`: one bad number, not a number followed by junk.
        if self.bytes.get(i).is_some_and(|&b| is_word_byte(b) || b == b'.') {
            let rest = self.bytes.get(i..).unwrap_or_default();
            let end = i + rest.iter().take_while(|&&b| is_word_byte(b) || matches!(b, b'.' | b'+' | b'-')).count();
            return Err(self.fail(start, end, "invalid number"));
        }
        self.pos = i;
        Ok(self.text.get(start..i).unwrap_or_default().into())
    }

    /// The string whose opening quote is the current byte, decoded; moves past its closing quote.
    fn string(&mut self) -> Result<Cow<'t, str>, Fail> {
        let open = self.pos;
        // The decoded text so far, once an escape has been seen; before that, the text between
        // the quotes is copied in one go at the end.
        let mut decoded: Option<String> = None;
        // Start of the raw run not yet copied into `decoded`.
        let mut run = open + 1;
        loop {
            let rest = self.bytes.get(run..).unwrap_or_default();
            let Some(stop) = memchr::memchr2(b'"', b'\\', rest) else {
                return Err(self.fail(open, open + 1, "unterminated string"));
            };
            let end = run + stop;
            if let Some(control) = rest.get(..stop).unwrap_or_default().iter().position(|&b| b < 0x20) {
                let at = run + control;
                return Err(self.fail(
                    at,
                    at + 1,
                    "control characters must be escaped in a string (`\\n`, `\\t`, `\\u0000`)",
                ));
            }
            // `run` and `end` are next to ASCII quotes or backslashes: char boundaries.
            let raw = self.text.get(run..end).unwrap_or_default();
            if self.bytes.get(end) == Some(&b'"') {
                self.pos = end + 1;
                return Ok(match decoded {
                    None => Cow::Borrowed(raw),
                    Some(mut decoded) => {
                        decoded.push_str(raw);
                        Cow::Owned(decoded)
                    }
                });
            }
            let out = decoded.get_or_insert_with(|| String::with_capacity(raw.len() + 16));
            out.push_str(raw);
            run = self.escape(open, end, out)?;
        }
    }

    /// Decodes the escape whose backslash is at `at` into `out`; returns the offset after it.
    fn escape(&self, open: usize, at: usize, out: &mut String) -> Result<usize, Fail> {
        let simple = match self.bytes.get(at + 1) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => return self.unicode_escape(at, out),
            Some(_) => return Err(self.fail(at, at + 2, "invalid escape sequence")),
            None => return Err(self.fail(open, open + 1, "unterminated string")),
        };
        out.push(simple);
        Ok(at + 2)
    }

    /// Decodes `\uXXXX` at `at`, or a UTF-16 surrogate pair `\uXXXX\uXXXX`.
    fn unicode_escape(&self, at: usize, out: &mut String) -> Result<usize, Fail> {
        let Some(code) = self.hex4(at + 2) else {
            return Err(self.fail(at, at + 6, "expected four hex digits after `\\u`"));
        };
        let (c, end) = match code {
            0xD800..=0xDBFF => {
                let low = match self.bytes.get(at + 6..at + 8) {
                    Some(b"\\u") => self.hex4(at + 8),
                    _ => None,
                };
                match low {
                    Some(low @ 0xDC00..=0xDFFF) => {
                        (char::from_u32(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)), at + 12)
                    }
                    _ => return Err(self.fail(at, at + 6, "unpaired UTF-16 surrogate in a `\\u` escape")),
                }
            }
            0xDC00..=0xDFFF => return Err(self.fail(at, at + 6, "unpaired UTF-16 surrogate in a `\\u` escape")),
            _ => (char::from_u32(code), at + 6),
        };
        match c {
            Some(c) => {
                out.push(c);
                Ok(end)
            }
            None => Err(self.fail(at, end, "invalid `\\u` escape")),
        }
    }

    /// The value of the four hex digits at `from`.
    fn hex4(&self, from: usize) -> Option<u32> {
        let digits = self.bytes.get(from..from + 4)?;
        digits.iter().try_fold(0, |code, &b| Some(code * 16 + char::from(b).to_digit(16)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn parse0(text: &str) -> Result<Value, ParseError> {
        parse(text, SourceId(0), &OffsetMap::identity(0))
    }

    fn error(text: &str) -> ParseError {
        match parse0(text) {
            Ok(value) => panic!("{text:?} parsed: {value:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn spans_cover_literals_with_quotes() {
        let text = r#"{"Action": ["s3:*", 1, true, null]}"#;
        let value = parse(text, SourceId(0), &OffsetMap::identity(0)).unwrap();
        let action = &value.get("Action").unwrap().value;
        let first = &action.as_list().unwrap()[0];
        assert_eq!(&text[first.at.span.range()], r#""s3:*""#);
        assert_eq!(first.as_str(), Some("s3:*"));
    }

    #[test]
    fn rejects_lenient_json() {
        for bad in [r#"{"a": 1,}"#, "{a: 1}", "{'a': 1}", "// c\n{}", "", "{} {}"] {
            assert!(parse(bad, SourceId(0), &OffsetMap::identity(0)).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_node_kind_has_its_span() {
        let text = " {\"s\" : \"x\\\"é\", \"n\":-1.5e+3,\"t\":true,\"f\":false,\"z\":null,\n\"a\":[ 0 , {} ],\"o\":{\"k\":[]}} \n";
        let value = parse0(text).unwrap();
        let slice = |v: &Value| &text[v.at.span.range()];
        assert_eq!(slice(&value), text.trim());
        let entries = value.as_object().unwrap();
        let keys: Vec<_> = entries.iter().map(|e| (e.key.as_str(), &text[e.key_at.span.range()])).collect();
        assert_eq!(
            keys,
            [
                ("s", "\"s\""),
                ("n", "\"n\""),
                ("t", "\"t\""),
                ("f", "\"f\""),
                ("z", "\"z\""),
                ("a", "\"a\""),
                ("o", "\"o\"")
            ]
        );
        let get = |key: &str| &value.get(key).unwrap().value;
        assert_eq!(slice(get("s")), "\"x\\\"é\"");
        assert_eq!(get("s").kind, ValueKind::String("x\"é".into()));
        assert_eq!(slice(get("n")), "-1.5e+3");
        assert_eq!(get("n").kind, ValueKind::Number("-1.5e+3".into()));
        assert_eq!((slice(get("t")), &get("t").kind), ("true", &ValueKind::Bool(true)));
        assert_eq!((slice(get("f")), &get("f").kind), ("false", &ValueKind::Bool(false)));
        assert_eq!((slice(get("z")), &get("z").kind), ("null", &ValueKind::Null));
        assert_eq!(slice(get("a")), "[ 0 , {} ]");
        let items = get("a").as_list().unwrap();
        assert_eq!((slice(&items[0]), slice(&items[1])), ("0", "{}"));
        assert_eq!(items[1].kind, ValueKind::Object(vec![]));
        assert_eq!(slice(get("o")), "{\"k\":[]}");
        let k = get("o").get("k").unwrap();
        assert_eq!((&text[k.key_at.span.range()], slice(&k.value)), ("\"k\"", "[]"));
        // Every span goes through the map.
        let shifted = parse(text, SourceId(3), &OffsetMap::identity(100)).unwrap();
        assert_eq!(shifted.at, At::new(SourceId(3), Span::new(101, 100 + text.len() - 2)));
        let (before, after) = (get("n").at.span, shifted.get("n").unwrap().value.at.span);
        assert_eq!(after, Span::new(before.start + 100, before.end + 100));
    }

    #[test]
    fn a_scalar_root_and_duplicate_keys() {
        let value = parse0(" \"only\"\t").unwrap();
        assert_eq!((value.as_str(), value.at.span), (Some("only"), Span::new(1, 7)));
        let value = parse0(r#"{"a":1,"a":2}"#).unwrap();
        let keys: Vec<_> = value.as_object().unwrap().iter().map(|e| (e.key.as_str(), &e.value.kind)).collect();
        assert_eq!(keys, [("a", &ValueKind::Number("1".into())), ("a", &ValueKind::Number("2".into()))]);
    }

    #[test]
    fn escapes_and_surrogate_pairs_are_decoded() {
        let text =
            r#"["\" \\ \/ \b \f \n \r \t", "\u0041\u00e9\u20AC\uFFFF\u0000", "\uD83D\uDE00 \ud834\udd1e", "é😀"]"#;
        let value = parse0(text).unwrap();
        let strings: Vec<_> = value.as_list().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        assert_eq!(strings, ["\" \\ / \u{8} \u{c} \n \r \t", "Aé€\u{ffff}\0", "😀 𝄞", "é😀"]);
        let value = parse0(r#"{"k\u00e9\n": 1}"#).unwrap();
        assert_eq!(value.as_object().unwrap()[0].key, "ké\n");
        for lone in [
            r#""\uD800""#,
            r#""\uDC00""#,
            r#""\uD800\u0041""#,
            r#""\uD800x""#,
            r#""\uDBFF\uDBFF""#,
            r#""\uDE00\uD83D""#,
        ] {
            let e = error(lone);
            assert!(e.message.contains("surrogate"), "{lone}: {e:?}");
            assert_eq!(&lone[e.span.range()][..2], "\\u", "{lone}: {e:?}");
        }
    }

    #[test]
    fn errors_are_located_and_say_why() {
        let cases: &[(&str, &str, &str)] = &[
            ("[1,]", ",", "trailing comma"),
            ("{\"a\":1 ,\n}", ",", "trailing comma"),
            ("{a: 1}", "a", "key in double quotes"),
            ("{\"a\" 1}", "1", "`:`"),
            ("{'a': 1}", "'", "double quotes"),
            ("['a']", "'", "double quotes"),
            ("[1 2]", "2", "`,` or `]`"),
            ("{\"a\":1 \"b\":2}", "\"", "`,` or `}`"),
            ("[NaN]", "NaN", "expected a value"),
            ("[Infinity]", "Infinity", "expected a value"),
            ("[-Infinity]", "-", "digit after `-`"),
            ("[truex]", "truex", "expected a value"),
            ("[01]", "01", "leading zeros"),
            ("[-007]", "-007", "leading zeros"),
            ("[1.]", "1.", "decimal point"),
            ("[1e+]", "1e+", "exponent"),
            ("[0x1F]", "0x1F", "invalid number"),
            ("[1.2.3]", "1.2.3", "invalid number"),
            ("[+1]", "+", "`+`"),
            ("[.5]", ".", "decimal point"),
            ("{} {}", "{", "end of the text"),
            ("[1] // c", "//", "comments"),
            ("[\"a\tb\"]", "\t", "control characters"),
            ("[\"a\\x\"]", "\\x", "invalid escape"),
            ("[\"\\u12G4\"]", "\\u12G4", "hex digits"),
            ("[\"abc]", "\"", "unterminated string"),
            ("[\"abc\\", "\"", "unterminated string"),
            ("\u{a0}[]", "\u{a0}", "invisible character U+00A0"),
            ("[1,\u{b}2]", "\u{b}", "invisible character U+000B"),
            ("[1]\u{2028}", "\u{2028}", "invisible character U+2028"),
            ("\u{feff}{}", "\u{feff}", "byte order mark"),
        ];
        for &(text, at, says) in cases {
            let e = error(text);
            assert_eq!(&text[e.span.range()], at, "{text:?}: {e:?}");
            assert!(e.message.contains(says), "{text:?}: {e:?}");
            assert!(!e.message.starts_with(char::is_uppercase), "{text:?}: {e:?}");
        }
        for (text, says) in
            [("", "empty document"), (" \n\t", "empty document"), ("[1,", "end of the text"), ("{\"a\"", "end")]
        {
            let e = error(text);
            assert!(e.message.contains(says), "{text:?}: {e:?}");
            assert!(e.span.end == text.len(), "{text:?}: {e:?}");
        }
    }

    /// `serde_json::Value` of a parsed value; numbers through serde_json's reading of the text
    /// kept, so that a number serde_json would not read as written shows as a difference.
    fn to_serde(value: &Value) -> serde_json::Value {
        match &value.kind {
            ValueKind::Null => serde_json::Value::Null,
            ValueKind::Bool(b) => serde_json::Value::Bool(*b),
            ValueKind::Number(n) => serde_json::from_str(n).unwrap_or_else(|e| panic!("{n}: {e}")),
            ValueKind::String(s) => serde_json::Value::String(s.clone()),
            ValueKind::List(items) => items.iter().map(to_serde).collect(),
            ValueKind::Object(entries) => entries.iter().map(|e| (e.key.to_string(), to_serde(&e.value))).collect(),
            other => panic!("not from JSON: {other:?}"),
        }
    }

    /// Both parsers agree on whether `text` is JSON and on its decoded value; an error is
    /// located on char boundaries.
    fn agrees_with_serde_json(text: &str) -> bool {
        let ours = parse0(text);
        let theirs = serde_json::from_str::<serde_json::Value>(text);
        match (&ours, &theirs) {
            (Ok(ours), Ok(theirs)) => assert_eq!(&to_serde(ours), theirs, "{text:?}"),
            (Err(e), Err(_)) => {
                assert!(e.span.start <= e.span.end && e.span.end <= text.len(), "{text:?}: {e:?}");
                assert!(text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end), "{text:?}: {e:?}");
            }
            _ => panic!("{text:?}: fleet-iam {ours:?}, serde_json {theirs:?}"),
        }
        ours.is_ok()
    }

    const VALID: &[&str] = &[
        "0",
        "-0",
        "-0.0e-0",
        "1E+2",
        "123.456e-78",
        "[1,-1,0.5,1e-3,10,99999999999999999999]",
        "true",
        "null",
        " \t\r\n[ ] \n",
        "\"\"",
        r#""\u0000\u001f\u007f""#,
        "\"\u{7f}\u{80}\u{ffff}\"",
        r#""\uD83D\uDE00""#,
        r#""\/\\\"""#,
        "\"é😀 ${x}\"",
        r#"{"":""}"#,
        r#"{"a":1,"a":2}"#,
        r#"[[[[]]],{},[{}]]"#,
        r#"{"a":[{"b":null,"c":[true,false]}],"d":{"e":"f"}}"#,
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}",
        "{\n  \"policy\": \"{\\\"Statement\\\":[{\\\"Action\\\":\\\"*\\\"}]}\"\n}\n",
    ];

    const INVALID: &[&str] = &[
        "",
        " ",
        "{",
        "[",
        "]",
        "}",
        ":",
        ",",
        "[1,]",
        r#"{"a":1,}"#,
        "{a:1}",
        "{'a':1}",
        "['a']",
        "// c\n{}",
        "/* c */{}",
        "{} {}",
        "[]]",
        "{\"a\":1}}",
        "[] x",
        "[]\0",
        "[01]",
        "[-01]",
        "[00]",
        "[+1]",
        "[.5]",
        "[1.]",
        "[1.e3]",
        "[1e]",
        "[1e+]",
        "[-]",
        "[--1]",
        "[1-2]",
        "[1e5.3]",
        "[0x10]",
        "[NaN]",
        "[Infinity]",
        "[-Infinity]",
        "[tru]",
        "[truex]",
        "[True]",
        "[nul]",
        "[nulll]",
        "[undefined]",
        "[é]",
        "[\"\u{1}\"]",
        "[\"a\tb\"]",
        "[\"a\nb\"]",
        r#"["\u12"]"#,
        r#"["\uZZZZ"]"#,
        r#"["\u+041"]"#,
        r#"["\x"]"#,
        r#"["\'"]"#,
        r#"["\é"]"#,
        r#"["\uD800"]"#,
        r#"["\uDC00"]"#,
        r#"["\uD800\u0041"]"#,
        r#"["\uD800\n"]"#,
        r#"{"\uDD1E":1}"#,
        "[\"abc",
        "[\"abc\\\"]",
        "\"abc\\",
        "[1 2]",
        "{\"a\" 1}",
        "{\"a\":}",
        "{,}",
        "[,]",
        "[1,,2]",
        "{\"a\":1 \"b\":2}",
        "{\"a\":1,,\"b\":2}",
        "\u{feff}{}",
        "\u{a0}[]",
        "\u{b}[]",
        "\u{c}[]",
        "[1]\u{2028}",
    ];

    #[test]
    fn agrees_with_serde_json_on_tricky_documents() {
        for text in VALID {
            assert!(agrees_with_serde_json(text), "{text:?}");
        }
        for text in INVALID {
            assert!(!agrees_with_serde_json(text), "{text:?}");
        }
    }

    /// Every prefix and every one-character deletion or replacement of documents with
    /// multi-byte characters near every token: both parsers agree, errors on char boundaries.
    #[test]
    fn agrees_with_serde_json_on_damaged_documents() {
        let docs = [
            "{\"é\":[\"😀\\u00e9\",-1.5e3,true,null,{\"\\uD83D\\uDE00\":\"ü\"}],\"k\":\"€\\\"\"}",
            " [ \"é\" , 0 , {\"a\" : \"😀\"} , [ ] , false ] ",
        ];
        let replacements = ["", "é", "😀", "\"", "\\", ",", "]", "}", "0", "\t", "\u{1}", "x"];
        for doc in docs {
            assert!(agrees_with_serde_json(doc));
            let boundaries: Vec<usize> = (0..=doc.len()).filter(|&i| doc.is_char_boundary(i)).collect();
            for &i in &boundaries {
                agrees_with_serde_json(&doc[..i]);
            }
            for pair in boundaries.windows(2) {
                for r in replacements {
                    agrees_with_serde_json(&format!("{}{r}{}", &doc[..pair[0]], &doc[pair[1]..]));
                }
            }
        }
    }

    #[test]
    fn error_spans_fall_on_char_boundaries() {
        let cases = [
            "[é]",
            "[\"\\é\"]",
            "[\"\\u00é9\"]",
            "[\"\\uD83Dé\"]",
            "{\"a\":1 é}",
            "{é:1}",
            "[1é]",
            "[-é]",
            "[1.é]",
            "[1eé]",
            "[tru😀]",
            "[1]😀",
            "\"😀",
            "😀",
            "[\"😀\u{1}\"]",
        ];
        for text in cases {
            let e = error(text);
            assert!(e.span.start <= e.span.end && e.span.end <= text.len(), "{text:?}: {e:?}");
            assert!(text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end), "{text:?}: {e:?}");
            assert!(e.span.start < e.span.end, "{text:?}: an error points at something: {e:?}");
        }
    }

    /// Arrays and objects longer than a chunk, of scalars (counted ahead, with strings that
    /// hold brackets, commas and escaped quotes) and of collections.
    #[test]
    fn long_arrays_and_objects_read_whole() {
        let n = 3 * CHUNK + 7;
        let scalars: Vec<String> =
            (0..n).map(|i| if i % 3 == 0 { format!("{i}") } else { format!("\"a,]}}\\\"{i}\"") }).collect();
        let mixed: Vec<String> = (0..n).map(|i| format!("[{i},{{\"k\":\"]\"}}]")).collect();
        let object: Vec<String> = (0..n).map(|i| format!("\"k{i}\":[{i}]")).collect();
        for text in
            [format!("[{}]", scalars.join(",")), format!("[{}]", mixed.join(", ")), format!("{{{}}}", object.join(","))]
        {
            assert!(agrees_with_serde_json(&text));
            assert!(agrees_with_serde_json(&format!("{{\"a\":[{text},{text}],\"b\":{text}}}")));
        }
        // Broken after the first chunk: the same error as serde_json finds.
        assert!(!agrees_with_serde_json(&format!("[{},]", scalars.join(","))));
        assert!(!agrees_with_serde_json(&format!("[{},\"x]", scalars.join(","))));
    }

    /// A resource of `planned_values` or `prior_state` is `null` exactly when `resource_changes`
    /// has its address; everything else is as [`parse`] reads it, and a syntax error inside a
    /// held-back resource is the same error.
    #[test]
    fn a_plan_without_its_copies() {
        let resource = |address: &str| {
            format!(r#"{{"address":"{address}","type":"t","values":{{"v":[1,2,{{"x":"{address}"}}]}}}}"#)
        };
        let text = format!(
            r#"{{"planned_values":{{"root_module":{{"resources":[{a},{d}],"child_modules":[{{"resources":[{m}]}}]}}}},"resource_changes":[{{"address":"t.a","change":{{"actions":["update"],"after":{{}}}}}},{{"address":"module.m.t.m","change":{{"actions":["create"]}}}},{{"address":"t.x","change":{{}}}}],"prior_state":{{"values":{{"root_module":{{"resources":[{x},{a},{d}]}}}}}}}}"#,
            a = resource("t.a"),
            d = resource("data.t.d"),
            m = resource("module.m.t.m"),
            x = resource("t.x"),
        );
        let full = parse0(&text).unwrap();
        let plan = parse_plan(&text, SourceId(0), &OffsetMap::identity(0)).unwrap();
        let resources = |root: &Value, path: &[&str]| {
            let mut value = root;
            for key in path {
                value = match key.parse::<usize>() {
                    Ok(i) => &value.as_list().unwrap()[i],
                    Err(_) => &value.get(key).unwrap().value,
                };
            }
            value.as_list().unwrap().to_vec()
        };
        let planned = ["planned_values", "root_module", "resources"];
        let child = ["planned_values", "root_module", "child_modules", "0", "resources"];
        let prior = ["prior_state", "values", "root_module", "resources"];
        for (path, copies) in [(&planned[..], &[true, false][..]), (&child, &[true]), (&prior, &[false, true, false])] {
            let (ours, all) = (resources(&plan, path), resources(&full, path));
            for ((ours, all), &copy) in ours.iter().zip(&all).zip(copies) {
                assert_eq!(ours.at, all.at);
                if copy {
                    assert_eq!(ours.kind, ValueKind::Null, "{path:?}");
                } else {
                    assert_eq!(ours, all, "{path:?}");
                }
            }
        }
        assert_eq!(plan.get("resource_changes"), full.get("resource_changes"));
        let broken = text.replacen(r#""x":"t.a""#, r#""x":t.a"#, 1);
        assert_eq!(parse_plan(&broken, SourceId(0), &OffsetMap::identity(0)).unwrap_err(), error(&broken));
    }

    fn nested(open: &str, leaf: &str, close: &str, depth: usize) -> String {
        format!("{}{leaf}{}", open.repeat(depth), close.repeat(depth))
    }

    #[test]
    fn nesting_is_limited_and_the_error_is_where_the_limit_is_passed() {
        for (open, close) in [("[", "]"), ("{\"a\":", "}"), (" [ {\"Statement\" : ", "} ] ")] {
            let ok = nested(open, "1", close, MAX_DEPTH / open.matches(['[', '{']).count());
            assert!(parse0(&ok).is_ok(), "{open}");
            for depth in [MAX_DEPTH + 1, 200_000] {
                let text = nested(open, "1", close, depth);
                let e = error(&text);
                assert_eq!(e.message, format!("maximum nesting depth of {MAX_DEPTH} levels exceeded"));
                // The first bracket past the limit.
                let past = text.match_indices(['[', '{']).nth(MAX_DEPTH).unwrap().0;
                assert_eq!(e.span, Span::new(past, past + 1), "{open}");
            }
        }
    }
}
