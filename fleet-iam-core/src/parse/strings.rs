//! Decoding quoted strings while keeping track of where each decoded byte came from, so that a
//! policy inside an escaped string is located at its real position in the file.

use crate::source::Span;

/// Maps byte offsets in a decoded string back to byte offsets in its source.
///
/// A run of bytes copied verbatim is one segment; every escape sequence starts a segment of its
/// own, so an element that starts at a decoded `"` maps to the backslash of the escaped `\"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetMap {
    /// `(decoded offset, source offset)` pairs, sorted by both.
    segments: Vec<(usize, usize)>,
}

impl OffsetMap {
    /// The map of text that is its own source, starting at `base` in it.
    pub fn identity(base: usize) -> OffsetMap {
        OffsetMap { segments: vec![(0, base)] }
    }

    /// The source offset of a decoded offset.
    pub fn map(&self, offset: usize) -> usize {
        let i = self.segments.partition_point(|&(d, _)| d <= offset).saturating_sub(1);
        let (d, s) = self.segments.get(i).copied().unwrap_or((0, 0));
        s + offset.saturating_sub(d)
    }

    /// The source span of a decoded span.
    pub fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.map(start), self.map(end))
    }
}

/// Which quoting rules a string follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// JSON: `\" \\ \/ \b \f \n \r \t \uXXXX`.
    Json,
    /// HCL quoted strings: `\" \\ \n \r \t \uXXXX \UXXXXXXXX`, and `$${` / `%%{` for literal
    /// `${` / `%{`.
    Hcl,
}

/// Decodes the content of a quoted string (`raw` is the text between the quotes, found at
/// `base` in the source). Returns `None` when an escape is invalid.
pub fn decode(raw: &str, base: usize, dialect: Dialect) -> Option<(String, OffsetMap)> {
    let bytes = raw.as_bytes();
    let mut out = String::with_capacity(raw.len());
    let mut segments = vec![(0, base)];
    let (mut i, mut run_start) = (0, 0);
    while i < bytes.len() {
        let template_escape = dialect == Dialect::Hcl
            && matches!(bytes[i], b'$' | b'%')
            && bytes.get(i + 1) == Some(&bytes[i])
            && bytes.get(i + 2) == Some(&b'{');
        // An interpolation's body is an expression, not string content: its quotes and
        // backslashes are copied through as written.
        if dialect == Dialect::Hcl && matches!(bytes[i], b'$' | b'%') && bytes.get(i + 1) == Some(&b'{') {
            i = interpolation_end(bytes, i + 2);
            continue;
        }
        if bytes[i] != b'\\' && !template_escape {
            i += 1;
            continue;
        }
        out.push_str(&raw[run_start..i]);
        segments.push((out.len(), base + i));
        let consumed = if template_escape {
            out.push(bytes[i] as char);
            out.push('{');
            3
        } else {
            decode_escape(&raw[i..], dialect, &mut out)?
        };
        i += consumed;
        run_start = i;
        segments.push((out.len(), base + i));
    }
    out.push_str(&raw[run_start..]);
    Some((out, OffsetMap { segments }))
}

/// Decodes one escape sequence at the start of `rest` into `out`; returns its length in `rest`.
fn decode_escape(rest: &str, dialect: Dialect, out: &mut String) -> Option<usize> {
    let next = *rest.as_bytes().get(1)?;
    let simple = match next {
        b'"' => Some('"'),
        b'\\' => Some('\\'),
        b'n' => Some('\n'),
        b'r' => Some('\r'),
        b't' => Some('\t'),
        b'/' if dialect == Dialect::Json => Some('/'),
        b'b' if dialect == Dialect::Json => Some('\u{8}'),
        b'f' if dialect == Dialect::Json => Some('\u{c}'),
        _ => None,
    };
    if let Some(c) = simple {
        out.push(c);
        return Some(2);
    }
    let (digits, len) = match next {
        b'u' => (4, 6),
        b'U' if dialect == Dialect::Hcl => (8, 10),
        _ => return None,
    };
    let code = u32::from_str_radix(rest.get(2..2 + digits)?, 16).ok()?;
    if let Some(c) = char::from_u32(code) {
        out.push(c);
        return Some(len);
    }
    // A UTF-16 surrogate pair, as JSON writes characters outside the basic plane.
    let low = rest.get(len..len + 6)?.strip_prefix("\\u")?;
    let low = u32::from_str_radix(low, 16).ok()?;
    let c = char::decode_utf16([code as u16, low as u16]).next()?.ok()?;
    out.push(c);
    Some(len + 6)
}

/// Replaces every `${...}` interpolation and `%{...}` directive of a template with a
/// placeholder of the same length, so that JSON written in a template parses and keeps its
/// offsets. Inside a JSON string the interpolation stays as written (unless it holds a quote or
/// backslash); outside one it becomes the string `"${___"`, which policy readers treat as
/// unknown. Returns whether a directive was found (then the text is not reliably JSON).
pub fn mask_interpolations(text: &str) -> (String, bool) {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let (mut in_string, mut directive) = (false, false);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let opens = matches!(b, b'$' | b'%') && bytes.get(i + 1) == Some(&b'{');
        if !opens {
            if in_string && b == b'\\' {
                out.push(b);
                if let Some(&n) = bytes.get(i + 1) {
                    out.push(n);
                }
                i += 2;
                continue;
            }
            if b == b'"' {
                in_string = !in_string;
            }
            out.push(b);
            i += 1;
            continue;
        }
        directive |= b == b'%';
        let end = interpolation_end(bytes, i + 2);
        let inner = &bytes[i..end];
        if in_string && !inner.iter().any(|&c| c == b'"' || c == b'\\') {
            out.extend_from_slice(inner);
        } else if in_string {
            out.extend(std::iter::once(b'$').chain(std::iter::repeat_n(b'_', inner.len() - 1)));
        } else {
            out.extend(placeholder(inner.len()));
        }
        i = end;
    }
    // Only ASCII bytes replaced ASCII-only ranges, so the result is still UTF-8.
    (String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()), directive)
}

/// A JSON string of exactly `len` bytes that reads as an unknown value: `"${___"`.
fn placeholder(len: usize) -> impl Iterator<Item = u8> {
    let body: Vec<u8> = match len {
        0..=1 => vec![b' '; len],
        2 => b"\"\"".to_vec(),
        3 => b"\"$\"".to_vec(),
        _ => [b"\"${".as_slice(), &vec![b'_'; len - 4], b"\""].concat(),
    };
    body.into_iter()
}

/// The index just past the `}` that closes an interpolation whose body starts at `start`,
/// skipping nested braces and quoted strings; the end of the text when it is unterminated.
fn interpolation_end(bytes: &[u8], start: usize) -> usize {
    let (mut depth, mut in_string, mut i) = (0usize, false, start);
    while i < bytes.len() {
        match (bytes[i], in_string) {
            (b'\\', true) => i += 1,
            (b'"', _) => in_string = !in_string,
            (b'{', false) => depth += 1,
            (b'}', false) if depth == 0 => return i + 1,
            (b'}', false) => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_quote_maps_to_its_backslash() {
        let raw = r#"{\"Action\": \"eks:*\"}"#;
        let (text, map) = decode(raw, 10, Dialect::Json).unwrap();
        assert_eq!(text, r#"{"Action": "eks:*"}"#);
        let start = text.find("\"eks").unwrap();
        let end = start + "\"eks:*\"".len();
        let span = map.span(start, end);
        assert_eq!(&raw[span.start - 10..span.end - 10], r#"\"eks:*\""#);
    }

    #[test]
    fn unicode_escapes_and_hcl_template_escapes() {
        let (text, map) = decode(r"a\u00e9$${x}\U0001F600b", 0, Dialect::Hcl).unwrap();
        assert_eq!(text, "aé${x}😀b");
        assert_eq!(map.map(text.len() - 1), r"a\u00e9$${x}\U0001F600".len());
        let (text, _) = decode(r"\ud83d\ude00", 0, Dialect::Json).unwrap();
        assert_eq!(text, "😀");
        assert!(decode(r"\q", 0, Dialect::Json).is_none());
        assert!(decode(r"\u12", 0, Dialect::Json).is_none());
        // Inside `${...}` the HCL expression's own quotes are not string escapes.
        let (text, _) = decode(r#"\"${replace(var.x, "\"", "")}\""#, 0, Dialect::Hcl).unwrap();
        assert_eq!(text, r#""${replace(var.x, "\"", "")}""#);
    }

    #[test]
    fn masks_interpolations_keeping_length() {
        let text =
            r#"{"Resource": "arn:aws:s3:::${var.b}/*", "Action": ${jsonencode(var.a)}, "X": "${lookup(m, "k")}"}"#;
        let (masked, directive) = mask_interpolations(text);
        assert!(!directive);
        assert_eq!(masked.len(), text.len());
        assert!(masked.contains(r#""arn:aws:s3:::${var.b}/*""#));
        let action = format!(r#""Action": "${{{}""#, "_".repeat("${jsonencode(var.a)}".len() - 4));
        assert!(masked.contains(&action), "{masked}");
        let x = format!(r#""X": "${}""#, "_".repeat(r#"${lookup(m, "k")}"#.len() - 1));
        assert!(masked.contains(&x), "{masked}");
        assert!(mask_interpolations("%{ if x }a%{ endif }").1);
    }
}
