//! The one scanner of Terraform templates (`"...${expr}..."`, heredocs): where interpolations
//! and directives end, and which references an interpolation holds. It reads the text as
//! written, so that offsets point into the source.

use std::ops::Range;

/// Nesting of strings inside interpolations followed before giving up.
const MAX_DEPTH: usize = 24;

/// Byte offsets and texts of the dotted references (`var.x`, `aws_db_instance.main.address`)
/// inside the `${...}` interpolations of a template (as written between its quotes, or a whole
/// heredoc), strings inside interpolations included. `%{...}` directives are conditions and
/// loops, not values, and are skipped, as are `$${` escapes and the arguments of the functions
/// named in `opaque`.
pub fn references(text: &str, opaque: &[&str]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    Scan { opaque, out: &mut out }.template(text, 0, 0);
    out
}

/// The index just past the `}` that closes an interpolation or directive whose body starts at
/// `start`, skipping nested braces and quoted strings; the end of the text when it is
/// unterminated.
pub fn interpolation_end(bytes: &[u8], start: usize) -> usize {
    (closing(bytes, start, b'{', b'}') + 1).min(bytes.len())
}

/// The `${...}` and `%{...}` of a template, in order (`$${` escapes included: harmless).
pub fn interpolations(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if matches!(bytes[i], b'$' | b'%') && bytes[i + 1] == b'{' {
            let end = interpolation_end(bytes, i + 2).max(i + 2);
            out.push(i..end);
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

struct Scan<'a> {
    opaque: &'a [&'a str],
    out: &'a mut Vec<(usize, String)>,
}

impl Scan<'_> {
    /// Adds the references of the template `text` (found at `base` of the outermost one),
    /// `depth` strings deep inside interpolations.
    fn template(&mut self, text: &str, base: usize, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let bytes = text.as_bytes();
        let mut i = 0;
        while i + 1 < bytes.len() {
            match (bytes[i], bytes[i + 1]) {
                (b'$', b'$') | (b'%', b'%') => i += 2,
                (b'$', b'{') => {
                    let end = closing(bytes, i + 2, b'{', b'}');
                    self.expression(text, i + 2, end, base, depth);
                    i = end + 1;
                }
                (b'%', b'{') => i = closing(bytes, i + 2, b'{', b'}') + 1,
                _ => i += 1,
            }
        }
    }

    /// References in the expression `text[start..end]`, skipping the arguments of opaque
    /// functions.
    fn expression(&mut self, text: &str, start: usize, end: usize, base: usize, depth: usize) {
        let bytes = text.as_bytes();
        let end = end.min(bytes.len());
        let mut i = start;
        while i < end {
            let b = bytes[i];
            if b == b'"' {
                let close = string_end(bytes, i + 1).min(end);
                // A string inside an interpolation is a template of its own.
                if let Some(inner) = text.get(i + 1..close) {
                    self.template(inner, base + i + 1, depth + 1);
                }
                i = close + 1;
                continue;
            }
            let starts_word = i == start || !(is_ident(bytes[i - 1]) || bytes[i - 1] == b'.');
            if !(is_ident_start(b) && starts_word) {
                i += 1;
                continue;
            }
            let mut j = i;
            while j < end && is_ident(bytes[j]) {
                j += 1;
            }
            loop {
                if j + 1 < end && bytes[j] == b'.' && (is_ident_start(bytes[j + 1]) || bytes[j + 1] == b'*') {
                    j += 1;
                    while j < end && (is_ident(bytes[j]) || bytes[j] == b'*') {
                        j += 1;
                    }
                } else if j < end && bytes[j] == b'[' {
                    j = closing(bytes, j + 1, b'[', b']').min(end) + 1;
                } else {
                    break;
                }
            }
            let j = j.min(end);
            let mut after = j;
            while after < end && bytes[after].is_ascii_whitespace() {
                after += 1;
            }
            if after < end && bytes[after] == b'(' {
                let name = text.get(i..j).unwrap_or_default();
                if self.opaque.contains(&name) {
                    i = closing(bytes, after + 1, b'(', b')').min(end) + 1;
                    continue;
                }
                i = after + 1;
                continue;
            }
            if let Some(reference) = text.get(i..j)
                && reference.contains('.')
            {
                self.out.push((base + i, reference.to_string()));
            }
            i = j.max(i + 1);
        }
    }
}

/// The index of the bracket that closes the one opened just before `from` (or the end), skipping
/// quoted strings.
fn closing(bytes: &[u8], from: usize, open: u8, close: u8) -> usize {
    let mut depth = 0usize;
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => i = string_end(bytes, i + 1),
            b if b == open => depth += 1,
            b if b == close && depth == 0 => return i,
            b if b == close => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// The index of the quote that ends a string whose content starts at `from`.
fn string_end(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolations_end_after_nested_braces_and_strings() {
        let text = b"${ {a = \"}\"}.a } rest";
        assert_eq!(&text[..interpolation_end(text, 2)], b"${ {a = \"}\"}.a }");
        assert_eq!(interpolation_end(b"${unterminated \"}", 2), 17);
        assert_eq!(interpolation_end(b"${", 2), 2);
    }

    #[test]
    fn unterminated_templates_do_not_panic() {
        for text in ["${", "${var.", "${\"", "${f(", "${a[", "%{", "${var.x[\"", "${é.ü}"] {
            let _ = references(text, &[]);
        }
        let deep = "${\"".repeat(100_000) + "${var.x}";
        let _ = references(&deep, &[]);
    }
}
