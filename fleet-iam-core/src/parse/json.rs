//! The one span-aware JSON parser: strict JSON text to a located [`Value`].
//!
//! A hand-written recursive descent over the bytes of the text that builds [`Value`]s directly,
//! in one pass: plans are tens or hundreds of megabytes of JSON on one line, so there is no
//! intermediate syntax tree, string bodies are scanned with `memchr`, and a string without
//! escapes is copied once.

use std::borrow::Cow;

use super::strings::OffsetMap;
use crate::model::{At, Entry, Key, Number, SourceId, Value, ValueKind};
use crate::source::Span;
use std::collections::HashMap;

/// How deeply arrays and objects may nest: the outermost one is level 1. Deeper text is an
/// error located at the bracket that goes past the limit, instead of a stack overflow here or
/// in the rules, which recurse over values too.
pub const MAX_DEPTH: usize = 256;

/// Why JSON text could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// Where the parser stopped, in the source.
    pub span: Span,
    /// The parser's message.
    pub message: String,
}

/// Parses JSON written as a Terraform template (a heredoc, a `templatefile()` file): the
/// `${...}` interpolations are masked first, and strings holding one become
/// [`ValueKind::Template`], unknown until apply. `None` when `%{...}` directives make it
/// unreadable as JSON.
pub fn parse_template(text: &str, source: SourceId, map: &OffsetMap) -> Option<Result<Value, JsonError>> {
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
        ValueKind::List(items) => items.iter_mut().for_each(templated),
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
pub fn parse(text: &str, source: SourceId, map: &OffsetMap) -> Result<Value, JsonError> {
    if text.starts_with('\u{feff}') {
        let message = "the text starts with a byte order mark (U+FEFF), which JSON does not allow";
        return Err(JsonError { span: map.span(0, '\u{feff}'.len_utf8()), message: message.into() });
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
    };
    parser.skip_whitespace();
    if parser.pos == text.len() {
        return Err(JsonError { span: map.span(0, text.len()), message: "empty document".into() });
    }
    let root = parser.value(0).and_then(|root| {
        parser.skip_whitespace();
        match parser.peek() {
            None => Ok(root),
            Some(_) => Err(parser.unexpected("expected the end of the text after the JSON value")),
        }
    });
    root.map_err(|fail| JsonError { span: map.span(fail.start, fail.end), message: fail.message.into_owned() })
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

    /// The value starting at the next non-whitespace byte, inside `depth` arrays and objects.
    fn value(&mut self, depth: usize) -> Result<Value, Fail> {
        self.skip_whitespace();
        let start = self.pos;
        let kind = match self.peek() {
            Some(b'"') => ValueKind::String(self.string()?.into_owned()),
            Some(b'{') => return self.object(depth + 1),
            Some(b'[') => return self.array(depth + 1),
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
    fn array(&mut self, depth: usize) -> Result<Value, Fail> {
        self.ensure_depth(depth)?;
        let open = self.pos;
        self.pos += 1;
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::new(self.at(open, self.pos), ValueKind::List(Vec::new())));
        }
        let base = self.items.len();
        loop {
            let item = self.value(depth)?;
            self.items.push(item);
            if self.comma_or_close(b']', "expected `,` or `]` after an array element")? {
                let items = self.items.drain(base..).collect();
                return Ok(Value::new(self.at(open, self.pos), ValueKind::List(items)));
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
    fn object(&mut self, depth: usize) -> Result<Value, Fail> {
        self.ensure_depth(depth)?;
        let open = self.pos;
        self.pos += 1;
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::new(self.at(open, self.pos), ValueKind::Object(Vec::new())));
        }
        let base = self.entries.len();
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
            let value = self.value(depth)?;
            self.entries.push(Entry { key, key_at, value });
            if self.comma_or_close(b'}', "expected `,` or `}` after an object member")? {
                let entries = self.entries.drain(base..).collect();
                return Ok(Value::new(self.at(open, self.pos), ValueKind::Object(entries)));
            }
        }
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

    fn parse0(text: &str) -> Result<Value, JsonError> {
        parse(text, SourceId(0), &OffsetMap::identity(0))
    }

    fn error(text: &str) -> JsonError {
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
