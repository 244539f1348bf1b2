//! Cuts Terraform text into pieces that hcl-edit parses one at a time, and refuses a top-level
//! block or attribute too large to parse.
//!
//! hcl-edit's syntax tree costs 100 to 200 bytes a token (an `Expression` is 128 bytes, a
//! traversal operator with its decor 200), so a 19 MiB attribute `a = b.c.c.c...` took 3.6 GB.
//! A file is therefore parsed in pieces of whole top-level structures of at most [`MAX_TOKENS`]
//! tokens together, each tree converted and dropped before the next, and a single structure
//! above that is a located error instead of a parse. Every realistic file is one piece, parsed
//! exactly as a whole.
//!
//! The count is a lexical estimate (names, numbers, operators, string and heredoc openings,
//! interpolations; comments and template text are free), made in one pass over the bytes. It
//! only decides where pieces end and what is refused: syntax errors stay hcl-edit's to find.

use std::ops::Range;

/// Tokens one top-level block or attribute may hold: at most about 65 MB of hcl-edit's tree.
pub const MAX_TOKENS: usize = 500_000;

/// Where a structure went past [`MAX_TOKENS`]: the byte offset of the token that did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge(pub usize);

/// What the scanner is inside of, innermost last.
enum Frame<'t> {
    /// An expression; `depth` counts the brackets open in it.
    Expr { depth: usize },
    /// A quoted string.
    Quoted,
    /// A heredoc ended by a line holding only `end`; `line_start` when at the start of a line.
    Heredoc { end: &'t [u8], line_start: bool },
}

/// The pieces of `text`, in order and covering it: runs of whole top-level structures of at
/// most [`MAX_TOKENS`] tokens together (one piece for any file under that).
pub fn pieces(text: &str) -> Result<Vec<Range<usize>>, TooLarge> {
    let bytes = text.as_bytes();
    let mut pieces = Vec::new();
    let mut stack = vec![Frame::Expr { depth: 0 }];
    // The piece being gathered starts at `start`; the structure being read at `structure`.
    let (mut start, mut structure) = (0, 0);
    let (mut piece_tokens, mut tokens) = (0, 0);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let nested = stack.len() > 1;
        let (next, counted) = match stack.last_mut() {
            Some(Frame::Expr { depth }) => match b {
                b'\n' => {
                    if !nested && *depth == 0 && tokens > 0 {
                        // A structure ends: it joins the piece, or starts the next one.
                        if piece_tokens + tokens > MAX_TOKENS {
                            pieces.push(start..structure);
                            start = structure;
                            piece_tokens = 0;
                        }
                        piece_tokens += tokens;
                        tokens = 0;
                        structure = i + 1;
                    }
                    (i + 1, 0)
                }
                b' ' | b'\t' | b'\r' => (i + 1, 0),
                b'#' => (line_end(bytes, i), 0),
                b'/' if bytes.get(i + 1) == Some(&b'/') => (line_end(bytes, i), 0),
                b'/' if bytes.get(i + 1) == Some(&b'*') => {
                    let end = memchr::memmem::find(&bytes[i + 2..], b"*/").map_or(bytes.len(), |n| i + 2 + n + 2);
                    (end, 0)
                }
                b'"' => {
                    stack.push(Frame::Quoted);
                    (i + 1, 1)
                }
                b'<' if bytes.get(i + 1) == Some(&b'<') => match heredoc(bytes, i) {
                    Some((end, body)) => {
                        stack.push(Frame::Heredoc { end, line_start: true });
                        (body, 1)
                    }
                    None => (i + 2, 1),
                },
                b'{' | b'[' | b'(' => {
                    *depth += 1;
                    (i + 1, 1)
                }
                b'}' if *depth == 0 && nested => {
                    // The end of an interpolation: back to its template.
                    stack.pop();
                    (i + 1, 1)
                }
                b'}' | b']' | b')' => {
                    *depth = depth.saturating_sub(1);
                    (i + 1, 1)
                }
                _ if is_word(b) => (bytes[i..].iter().position(|&c| !is_word(c)).map_or(bytes.len(), |n| i + n), 1),
                _ => (i + 1, 1),
            },
            Some(Frame::Quoted) => match b {
                b'"' | b'\n' => {
                    stack.pop();
                    (i + 1, 0)
                }
                b'\\' => (i + 2, 0),
                b'$' | b'%' => template_sign(bytes, i, &mut stack),
                _ => (i + 1, 0),
            },
            Some(Frame::Heredoc { end, line_start }) => {
                if std::mem::take(line_start) && is_heredoc_end(bytes, i, end) {
                    stack.pop();
                    (line_end(bytes, i), 0)
                } else {
                    match b {
                        b'\n' => {
                            if let Some(Frame::Heredoc { line_start, .. }) = stack.last_mut() {
                                *line_start = true;
                            }
                            (i + 1, 0)
                        }
                        b'$' | b'%' => template_sign(bytes, i, &mut stack),
                        _ => (i + 1, 0),
                    }
                }
            }
            None => (bytes.len(), 0),
        };
        tokens += counted;
        if tokens > MAX_TOKENS {
            return Err(TooLarge(i));
        }
        i = next.max(i + 1);
    }
    if tokens > 0 && piece_tokens + tokens > MAX_TOKENS {
        pieces.push(start..structure);
        start = structure;
    }
    pieces.push(start..text.len());
    Ok(pieces)
}

/// Bytes of names and numbers (and of any non-ASCII character, which only names may hold).
fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-') || !b.is_ascii()
}

/// The offset of the newline that ends the line at `i` (or the end of the text).
fn line_end(bytes: &[u8], i: usize) -> usize {
    memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |n| i + n)
}

/// A `$` or `%` in a template: `${` and `%{` open an interpolation or directive, `$${` and
/// `%%{` are escapes.
fn template_sign(bytes: &[u8], i: usize, stack: &mut Vec<Frame<'_>>) -> (usize, usize) {
    let b = bytes[i];
    if bytes.get(i + 1) == Some(&b) && bytes.get(i + 2) == Some(&b'{') {
        return (i + 3, 0);
    }
    if bytes.get(i + 1) != Some(&b'{') {
        return (i + 1, 0);
    }
    stack.push(Frame::Expr { depth: 0 });
    (i + 2, 1)
}

/// `<<EOF` or `<<-EOF` at `i`: the word that ends it and where its body starts.
fn heredoc(bytes: &[u8], i: usize) -> Option<(&[u8], usize)> {
    let name = i + 2 + usize::from(bytes.get(i + 2) == Some(&b'-'));
    let len = bytes[name..].iter().position(|&c| !(c.is_ascii_alphanumeric() || c == b'_'))?;
    let rest = line_end(bytes, name + len);
    let only_space = bytes[name + len..rest].iter().all(|c| matches!(c, b' ' | b'\t' | b'\r'));
    (len > 0 && only_space).then(|| (&bytes[name..name + len], (rest + 1).min(bytes.len())))
}

/// Whether the line at `i` holds only `end`, between spaces.
fn is_heredoc_end(bytes: &[u8], i: usize, end: &[u8]) -> bool {
    let line = &bytes[i..line_end(bytes, i)];
    line.trim_ascii() == end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_under_the_limit_is_one_piece() {
        let text = "a = \"${b.c}\" # x.y.z\nresource \"r\" \"n\" {\n  p = <<-EOF\n  ${x[0]}\n  }\n  EOF\n}\n";
        assert_eq!(pieces(text).unwrap().as_slice(), &[std::ops::Range { start: 0, end: text.len() }]);
    }

    #[test]
    fn pieces_end_after_whole_structures() {
        let one = format!("a = [{}]\n", "1, ".repeat(MAX_TOKENS / 3));
        let text = format!("{one}b {{\n  c = \"}}\\\"\"\n}}\n{one}");
        let cuts = pieces(&text).unwrap();
        assert_eq!(cuts.len(), 2, "{cuts:?}");
        assert_eq!(cuts[0].start, 0);
        assert_eq!(cuts[1].end, text.len());
        assert_eq!(&text[cuts[1].clone()], &text[cuts[0].end..]);
        assert!(text[cuts[1].clone()].starts_with(&one));
    }

    #[test]
    fn a_structure_above_the_limit_is_refused_where_it_goes_past() {
        let text = format!("ok = 1\na = b{}\n", ".c".repeat(MAX_TOKENS));
        let Err(TooLarge(at)) = pieces(&text) else { panic!("accepted") };
        assert!(at > 7 && at < text.len(), "{at}");
        // Comments and the text of strings and heredocs cost nothing.
        let long = "x".repeat(4 * MAX_TOKENS);
        let text = format!("# {long}\na = \"{long}\"\nb = <<EOF\n{long}\nEOF\n");
        assert_eq!(pieces(&text).unwrap().as_slice(), &[std::ops::Range { start: 0, end: text.len() }]);
    }
}
