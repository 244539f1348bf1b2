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
            i = crate::model::template::interpolation_end(bytes, i + 2);
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
    let code = hex(rest.get(2..2 + digits)?)?;
    if let Some(c) = char::from_u32(code) {
        out.push(c);
        return Some(len);
    }
    // A UTF-16 surrogate pair, as JSON writes characters outside the basic plane.
    let high = u16::try_from(code).ok().filter(|c| (0xD800..0xDC00).contains(c))?;
    let low = u16::try_from(hex(rest.get(len..len + 6)?.strip_prefix("\\u")?)?).ok()?;
    let c = char::decode_utf16([high, low]).next()?.ok()?;
    out.push(c);
    Some(len + 6)
}

/// Hex digits only: `from_str_radix` alone would also take a sign (`\u+041`).
fn hex(digits: &str) -> Option<u32> {
    digits.bytes().all(|b| b.is_ascii_hexdigit()).then(|| u32::from_str_radix(digits, 16).ok())?
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
        let end = crate::model::template::interpolation_end(bytes, i + 2);
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
        // Only hex digits, and only a high surrogate pairs with the next escape.
        assert!(decode(r"\u+041", 0, Dialect::Json).is_none());
        assert!(decode(r"\U+0000041", 0, Dialect::Hcl).is_none());
        assert!(decode(r"\UFFFFFFFF\u0041", 0, Dialect::Hcl).is_none());
        assert!(decode(r"\ude00\ud83d", 0, Dialect::Json).is_none());
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

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// One piece of a quoted string: how it is written, and what it means.
    fn piece(dialect: Dialect) -> impl Strategy<Value = (String, String)> {
        // Mapped, not filtered: long runs would otherwise hit proptest's limit of rejects.
        let raw = any::<char>()
            .prop_map(move |c| match dialect {
                Dialect::Json if matches!(c, '"' | '\\') || c.is_control() => 'x',
                Dialect::Hcl if matches!(c, '"' | '\\' | '$' | '%' | '{') => 'x',
                _ => c,
            })
            .prop_map(|c| (c.to_string(), c.to_string()));
        let simple = prop_oneof![
            Just(("\\\"", "\"")),
            Just(("\\\\", "\\")),
            Just(("\\n", "\n")),
            Just(("\\r", "\r")),
            Just(("\\t", "\t")),
        ]
        .prop_map(|(w, m)| (w.to_string(), m.to_string()));
        let unicode = any::<char>().prop_map(move |c| {
            let written = match (c as u32, dialect) {
                (code @ 0..=0xFFFF, _) => format!("\\u{code:04x}"),
                (code, Dialect::Hcl) => format!("\\U{code:08X}"),
                (_, Dialect::Json) => c.encode_utf16(&mut [0; 2]).iter().map(|u| format!("\\u{u:04X}")).collect(),
            };
            (written, c.to_string())
        });
        let dialect_only = match dialect {
            Dialect::Json => prop_oneof![Just(("\\/", "/")), Just(("\\b", "\u{8}")), Just(("\\f", "\u{c}"))].boxed(),
            Dialect::Hcl => prop_oneof![Just(("$${", "${")), Just(("%%{", "%{"))].boxed(),
        }
        .prop_map(|(w, m)| (w.to_string(), m.to_string()));
        prop_oneof![4 => raw, 1 => simple, 1 => unicode, 1 => dialect_only]
    }

    /// A quoted string's content as written, what it decodes to, and where each decoded char
    /// was written (`(decoded offset, written offset, written length)`).
    fn quoted(dialect: Dialect) -> impl Strategy<Value = (String, String, Vec<(usize, usize, usize)>)> {
        proptest::collection::vec(piece(dialect), 0..40).prop_map(|pieces| {
            let (mut written, mut meant, mut places) = (String::new(), String::new(), Vec::new());
            for (w, m) in pieces {
                // A two-char meaning (`${`) is one escape: each of its chars points into it.
                places.extend(m.char_indices().map(|(i, _)| (meant.len() + i, written.len(), w.len())));
                written.push_str(&w);
                meant.push_str(&m);
            }
            (written, meant, places)
        })
    }

    fn decodes_and_maps_back(dialect: Dialect, written: &str, meant: &str, places: &[(usize, usize, usize)]) {
        let base = 7;
        let (decoded, map) = decode(written, base, dialect).unwrap_or_else(|| panic!("{written:?} does not decode"));
        assert_eq!(decoded, meant, "{written:?}");
        for &(at, from, len) in places {
            let mapped = map.map(at) - base;
            assert!(
                (from..from + len).contains(&mapped),
                "{written:?}: decoded {at} maps to {mapped}, not into {from}..{}",
                from + len
            );
            // It points at the char itself, or at the escape that wrote it.
            let c = meant[at..].chars().next().unwrap_or_default();
            let source = &written[mapped..];
            assert!(
                source.starts_with(c) || source.starts_with('\\') || source.starts_with(['$', '%']),
                "{written:?}: {c:?} maps to {source:?}"
            );
        }
        assert_eq!(map.map(decoded.len()), base + written.len(), "the end maps to the end");
    }

    /// JSON strings as they might be written between quotes.
    const JSON_WRITTEN: &str = r#"([^"\\\p{Cc}]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4}|[$%{}\\])*"#;
    /// HCL strings as they might be written between quotes, template marks included.
    const HCL_WRITTEN: &str =
        r#"([^"\\\p{Cc}]|\\["\\nrt]|\\u[0-9a-fA-F]{4}|\\U000[0-9a-fA-F]{5}|\$\$\{|%%\{|[$%{}\\])*"#;

    proptest! {
        // No regression files in the source tree: a failure found is pinned as a unit test.
        #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn json_strings_decode_and_map_back((written, meant, places) in quoted(Dialect::Json)) {
            decodes_and_maps_back(Dialect::Json, &written, &meant, &places);
        }

        #[test]
        fn hcl_strings_decode_and_map_back((written, meant, places) in quoted(Dialect::Hcl)) {
            decodes_and_maps_back(Dialect::Hcl, &written, &meant, &places);
        }

        #[test]
        fn json_escaping_round_trips(text in any::<String>()) {
            let quoted = serde_json::to_string(&text).unwrap_or_default();
            let (decoded, map) = decode(&quoted[1..quoted.len() - 1], 1, Dialect::Json).unwrap();
            prop_assert_eq!(&decoded, &text);
            prop_assert_eq!(map.map(decoded.len()), quoted.len() - 1);
        }

        #[test]
        fn json_decoding_agrees_with_serde_json(written in JSON_WRITTEN) {
            if let Ok(meant) = serde_json::from_str::<String>(&format!("\"{written}\"")) {
                prop_assert_eq!(decode(&written, 0, Dialect::Json).map(|d| d.0), Some(meant));
            }
        }

        #[test]
        fn hcl_decoding_agrees_with_hcl_edit(written in HCL_WRITTEN) {
            let parsed = hcl_edit::parser::parse_body(&format!("x = \"{written}\"\n"));
            // Only where the string is all of it: `\\"#` is a string, then a comment.
            let whole = Some(4..written.len() + 6);
            let value = parsed.ok().and_then(|body| {
                body.get_attribute("x").filter(|a| hcl_edit::Span::span(&a.value) == whole).map(|a| a.value.clone())
            });
            if let Some(hcl_edit::expr::Expression::String(meant)) = value {
                prop_assert_eq!(decode(&written, 0, Dialect::Hcl).map(|d| d.0), Some(meant.value().to_string()));
            }
        }

        #[test]
        fn decoding_anything_does_not_panic_and_maps_in_order(raw in "(\\PC|[\\\\\"$%{}u0-9a-fA-F])*", hcl in any::<bool>()) {
            let dialect = if hcl { Dialect::Hcl } else { Dialect::Json };
            if let Some((decoded, map)) = decode(&raw, 3, dialect) {
                let mut last = 0;
                for (i, _) in decoded.char_indices().chain([(decoded.len(), ' ')]) {
                    let mapped = map.map(i);
                    prop_assert!(mapped >= last && mapped <= 3 + raw.len(), "{raw:?}: {i} -> {mapped}");
                    last = mapped;
                }
            }
        }

        #[test]
        fn masking_keeps_length_and_text(text in "(\\PC|[$%{}\"\\\\]|\\$\\{|%\\{)*") {
            let (masked, directive) = mask_interpolations(&text);
            prop_assert_eq!(masked.len(), text.len());
            for (i, (a, b)) in text.bytes().zip(masked.bytes()).enumerate() {
                prop_assert!(a == b || b.is_ascii(), "{text:?}: byte {i} became {b}");
                prop_assert!(!text.is_char_boundary(i) || masked.is_char_boundary(i), "{:?}: {}", text, i);
            }
            if !text.contains("${") && !text.contains("%{") {
                prop_assert_eq!(&masked, &text);
            }
            let opens_directive = text.contains("%{");
            prop_assert!(!directive || opens_directive, "{:?}", text);
        }
    }
}
