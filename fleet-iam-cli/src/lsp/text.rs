//! Positions and names as LSP speaks them: byte offsets to line and character in the
//! negotiated encoding (UTF-16 code units by default, UTF-8 bytes when the client offers it),
//! and `file:` URIs to paths and back.

use fleet_iam_core::{LineCol, Location, Span};
use lsp_types::{Position, Range, Uri};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The unit of `Position.character`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-16 code units: LSP's default, what every client supports.
    Utf16,
    /// Bytes of UTF-8, when the client offers it.
    Utf8,
}

impl Encoding {
    fn width(self, text: &str) -> usize {
        match self {
            Encoding::Utf16 => text.encode_utf16().count(),
            Encoding::Utf8 => text.len(),
        }
    }
}

/// The line starts of one text, for converting between byte offsets and LSP positions.
#[derive(Debug, Clone)]
pub struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    /// Indexes `text`. A line ends at `\n`; a `\r` before it belongs to the line's end.
    pub fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(memchr_lines(text));
        Lines { starts }
    }

    /// The position of a byte offset (clamped to the text and to a character boundary).
    pub fn position(&self, text: &str, offset: usize, encoding: Encoding) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let character = encoding.width(text.get(start..offset).unwrap_or_default());
        Position { line: to_u32(line), character: to_u32(character) }
    }

    /// The position of a 1-based line and a column in characters, as the core's [`LineCol`]
    /// counts them.
    pub fn position_of(&self, text: &str, at: LineCol, encoding: Encoding) -> Position {
        let span = self.line(text, at.line.saturating_sub(1));
        let line_text = text.get(span.range()).unwrap_or_default();
        let end = line_text.char_indices().nth(at.column.saturating_sub(1)).map_or(line_text.len(), |(i, _)| i);
        Position { line: to_u32(at.line.saturating_sub(1)), character: to_u32(encoding.width(&line_text[..end])) }
    }

    /// The byte offset of a position: a character past the end of its line is the line's end,
    /// a line past the end of the text is the text's end, and a position inside a character
    /// (half of a surrogate pair) is that character's start.
    pub fn offset(&self, text: &str, position: Position, encoding: Encoding) -> usize {
        let line = position.line as usize;
        if line >= self.starts.len() {
            return text.len();
        }
        let span = self.line(text, line);
        let line_text = text.get(span.range()).unwrap_or_default();
        let wanted = position.character as usize;
        let mut units = 0;
        for (i, c) in line_text.char_indices() {
            let width = match encoding {
                Encoding::Utf16 => c.len_utf16(),
                Encoding::Utf8 => c.len_utf8(),
            };
            if units + width > wanted {
                return span.start + i;
            }
            units += width;
        }
        span.end
    }

    /// The byte span of the 0-based line `line`, without its terminator.
    pub fn line(&self, text: &str, line: usize) -> Span {
        let Some(&start) = self.starts.get(line) else { return Span::new(text.len(), text.len()) };
        let mut end = self.starts.get(line + 1).map_or(text.len(), |&next| next - 1);
        if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        Span::new(start, end.max(start))
    }

    /// The range of a diagnostic's location. A location with no span but a line (an entry of the
    /// configuration file) is placed by its line and column.
    pub fn range(&self, text: &str, location: &Location, encoding: Encoding) -> Range {
        if location.span == Span::default() && location.start.line > 1 {
            let start = self.position_of(text, location.start, encoding);
            return Range { start, end: start };
        }
        Range {
            start: self.position(text, location.span.start, encoding),
            end: self.position(text, location.span.end.max(location.span.start), encoding),
        }
    }
}

fn memchr_lines(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1)
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Whether two ranges share a position (an empty range touches the ranges it is in or at an end of).
pub fn touches(a: &Range, b: &Range) -> bool {
    let key = |p: &Position| (p.line, p.character);
    key(&a.start) <= key(&b.end) && key(&b.start) <= key(&a.end)
}

/// The path of a `file:` URI (`file:///a/b%20c.tf`, `file://localhost/a`), or `None` for
/// another scheme or a remote host.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let text = uri.as_str();
    let scheme_end = text.find(':')?;
    if !text[..scheme_end].eq_ignore_ascii_case("file") {
        return None;
    }
    let rest = text[scheme_end + 1..].strip_prefix("//")?;
    let slash = rest.find('/')?;
    let host = &rest[..slash];
    if !(host.is_empty() || host.eq_ignore_ascii_case("localhost")) {
        return None;
    }
    let path = &rest[slash..];
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let bytes = percent_decode(path)?;
    bytes_to_path(bytes)
}

#[cfg(unix)]
fn bytes_to_path(bytes: Vec<u8>) -> Option<PathBuf> {
    use std::os::unix::ffi::OsStringExt;
    Some(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
}

#[cfg(not(unix))]
fn bytes_to_path(bytes: Vec<u8>) -> Option<PathBuf> {
    let text = String::from_utf8(bytes).ok()?;
    // `/C:/x` on Windows.
    let text = text.strip_prefix('/').filter(|t| t.as_bytes().get(1) == Some(&b':')).unwrap_or(&text);
    Some(PathBuf::from(text))
}

fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The `file:` URI of an absolute path, percent-encoding every byte but unreserved ones and `/`.
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let bytes = path_bytes(path)?;
    let mut uri = String::from("file://");
    if bytes.first() != Some(&b'/') {
        uri.push('/');
    }
    for &b in &bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'.' | b'_' | b'~') {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    Uri::from_str(&uri).ok()
}

#[cfg(unix)]
fn path_bytes(path: &Path) -> Option<Vec<u8>> {
    use std::os::unix::ffi::OsStrExt;
    Some(path.as_os_str().as_bytes().to_vec())
}

#[cfg(not(unix))]
fn path_bytes(path: &Path) -> Option<Vec<u8>> {
    Some(path.to_str()?.replace('\\', "/").into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_counts_surrogate_pairs_and_utf8_counts_bytes() {
        let text = "# 🚀 é\n  x = \"y\"\r\nz";
        let lines = Lines::new(text);
        let after = text.find('é').unwrap_or_default() + 'é'.len_utf8();
        assert_eq!(lines.position(text, after, Encoding::Utf16), Position { line: 0, character: 6 });
        assert_eq!(lines.position(text, after, Encoding::Utf8), Position { line: 0, character: 9 });
        for encoding in [Encoding::Utf16, Encoding::Utf8] {
            let p = lines.position(text, after, encoding);
            assert_eq!(lines.offset(text, p, encoding), after);
        }
        // Past the end of a line: its end, before the `\r`.
        let end = lines.offset(text, Position { line: 1, character: 99 }, Encoding::Utf16);
        assert_eq!(&text[..end], "# 🚀 é\n  x = \"y\"");
        assert_eq!(lines.offset(text, Position { line: 9, character: 0 }, Encoding::Utf16), text.len());
        // Inside the rocket's surrogate pair: its start.
        assert_eq!(lines.offset(text, Position { line: 0, character: 3 }, Encoding::Utf16), 2);
        let at = LineCol { line: 2, column: 3 };
        assert_eq!(lines.position_of(text, at, Encoding::Utf16), Position { line: 1, character: 2 });
    }

    #[test]
    fn file_uris_round_trip() {
        let path = Path::new("/tmp/a b/ü%#.tf");
        let uri = path_to_uri(path).unwrap_or_else(|| Uri::from_str("file:///").unwrap_or_else(|_| unreachable!()));
        assert_eq!(uri.as_str(), "file:///tmp/a%20b/%C3%BC%25%23.tf");
        assert_eq!(uri_to_path(&uri).as_deref(), Some(path));
        let parse = |s: &str| Uri::from_str(s).ok();
        let localhost = parse("file://localhost/x/y.tf").and_then(|u| uri_to_path(&u));
        assert_eq!(localhost.as_deref(), Some(Path::new("/x/y.tf")));
        assert_eq!(parse("untitled:Untitled-1").and_then(|u| uri_to_path(&u)), None);
        assert_eq!(parse("file://server/share/x.tf").and_then(|u| uri_to_path(&u)), None);
    }
}
