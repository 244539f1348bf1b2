//! Input text, its kind, byte spans and the one mapping from byte offsets to lines and columns.

use std::collections::BTreeMap;
use std::ops::Range;

/// What a source holds, which decides the parser that reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum SourceKind {
    /// Terraform native syntax (`*.tf`).
    Hcl,
    /// Terraform variable values in native syntax (`*.tfvars`).
    Tfvars,
    /// Terraform JSON syntax (`*.tf.json`).
    TfJson,
    /// Terraform variable values in JSON syntax (`*.tfvars.json`).
    TfvarsJson,
    /// Output of `terraform show -json PLANFILE`.
    Plan,
    /// A standalone IAM policy document.
    Policy,
    /// A `.json` file that is neither a plan nor a policy: read by `file()` references only.
    OtherJson,
    /// A GitHub Actions workflow (`.github/workflows/*.yml` or `*.yaml`): read for the
    /// `TF_VAR_` variables it sets from CI secrets, and for secrets written into it.
    Workflow,
}

impl SourceKind {
    /// Picks the kind from a file name, looking into JSON content where the name does not say.
    ///
    /// Returns `None` for files fleet-iam does not read.
    pub fn detect(name: &str, text: &str) -> Option<SourceKind> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".tf") {
            return Some(SourceKind::Hcl);
        }
        if lower.ends_with(".tfvars") {
            return Some(SourceKind::Tfvars);
        }
        if lower.ends_with(".tf.json") {
            return Some(SourceKind::TfJson);
        }
        if lower.ends_with(".tfvars.json") {
            return Some(SourceKind::TfvarsJson);
        }
        if lower.ends_with(".json") {
            return Some(sniff_json(text));
        }
        if is_workflow(&lower) {
            return Some(SourceKind::Workflow);
        }
        None
    }
}

/// Whether a (lowercased) path names a GitHub Actions workflow: a `.yml` or `.yaml` file right
/// inside a `.github/workflows` directory, as GitHub reads them (not in its subdirectories).
fn is_workflow(lower: &str) -> bool {
    let mut parts = lower.rsplit(['/', '\\']);
    let (Some(file), Some(workflows), Some(github)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let yaml = file.len() > 4 && (file.ends_with(".yml") || file.ends_with(".yaml"));
    yaml && workflows == "workflows" && github == ".github"
}

/// Tells a plan from a policy from any other JSON by looking at the top-level keys.
fn sniff_json(text: &str) -> SourceKind {
    // Only the first few kilobytes are looked at: enough for the top-level keys of a policy, and
    // `format_version` is the first key Terraform writes in a plan.
    let head = prefix(text, 64 * 1024);
    let has = |key: &str| head.contains(&format!("\"{key}\""));
    if has("format_version") && (has("planned_values") || has("resource_changes") || has("terraform_version")) {
        return SourceKind::Plan;
    }
    // A policy without `Statement` is still a (malformed) policy when it names a policy version.
    if has("Statement") || head.contains("\"2012-10-17\"") || head.contains("\"2008-10-17\"") {
        return SourceKind::Policy;
    }
    SourceKind::OtherJson
}

fn prefix(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// One input: its name (a path as the user gave it), its text and its kind.
#[derive(Debug, Clone)]
pub struct Source {
    /// The path as given on the command line, or any name an embedder chooses.
    pub name: String,
    /// The decoded text (a leading byte-order mark is removed by [`Source::decode`]); empty
    /// for a source listed with [`Source::lazy`].
    pub text: String,
    /// How the text is read.
    pub kind: SourceKind,
    /// Whether the text is read with a [`Load`] when a unit of the check needs it.
    lazy: bool,
}

/// Reads the text of a source listed without it ([`Source::lazy`]), for [`crate::check_with`].
/// It is asked again each time a unit of the check needs the text, and may be asked from several
/// threads at once.
pub trait Load: Sync {
    /// The decoded text of `source`, or why it cannot be read (shown as "this file could not be
    /// read: ...").
    fn load(&self, source: &Source) -> Result<String, String>;
}

/// Why raw bytes could not become a [`Source`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The bytes are not UTF-8 (nor UTF-16 with a byte-order mark).
    #[error("not valid UTF-8: invalid byte at offset {offset}")]
    InvalidUtf8 {
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// The file holds NUL bytes, so it is binary.
    #[error("binary file: NUL byte at offset {offset}")]
    Binary {
        /// Byte offset of the first NUL byte.
        offset: usize,
    },
    /// UTF-16 with a byte-order mark, but not valid UTF-16.
    #[error("not valid UTF-16 despite its byte-order mark")]
    InvalidUtf16,
}

impl Source {
    /// Builds a source from text whose kind is already known.
    pub fn new(name: impl Into<String>, text: impl Into<String>, kind: SourceKind) -> Source {
        Source { name: name.into(), text: text.into(), kind, lazy: false }
    }

    /// Lists a source without its text: [`crate::check_with`] reads it through its [`Load`]
    /// when a unit of the check needs it, and drops it when that unit is done.
    pub fn lazy(name: impl Into<String>, kind: SourceKind) -> Source {
        Source { name: name.into(), text: String::new(), kind, lazy: true }
    }

    /// Whether the source was listed without its text.
    pub fn is_lazy(&self) -> bool {
        self.lazy
    }

    /// Decodes file bytes: UTF-8 (with or without a byte-order mark) or UTF-16 with a
    /// byte-order mark, as PowerShell's `>` writes it.
    pub fn decode(bytes: &[u8]) -> Result<String, DecodeError> {
        if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
            return decode_utf8(rest, 3);
        }
        if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
            return decode_utf16(rest, u16::from_le_bytes);
        }
        if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
            return decode_utf16(rest, u16::from_be_bytes);
        }
        decode_utf8(bytes, 0)
    }
}

fn decode_utf8(bytes: &[u8], shift: usize) -> Result<String, DecodeError> {
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(DecodeError::Binary { offset: offset + shift });
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(e) => Err(DecodeError::InvalidUtf8 { offset: e.valid_up_to() + shift }),
    }
}

fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, DecodeError> {
    if !bytes.len().is_multiple_of(2) {
        return Err(DecodeError::InvalidUtf16);
    }
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    let text: String = char::decode_utf16(units).collect::<Result<_, _>>().map_err(|_| DecodeError::InvalidUtf16)?;
    if text.contains('\0') {
        return Err(DecodeError::InvalidUtf16);
    }
    Ok(text)
}

/// A byte range in a source's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub const fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The span as a range, for slicing.
    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }
}

impl From<Range<usize>> for Span {
    fn from(r: Range<usize>) -> Span {
        Span::new(r.start, r.end)
    }
}

/// A 1-based line and column; the column counts Unicode scalar values (a tab is one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineCol {
    /// 1-based line.
    pub line: usize,
    /// 1-based column in Unicode scalar values.
    pub column: usize,
}

/// Maps byte offsets of one text to lines and columns. The only place that does.
///
/// Columns count characters, so long lines (a plan is one line of many megabytes) carry
/// checkpoints every few kilobytes: a lookup never counts more than that.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// `(byte offset, characters since its line's start)`, sorted: every line start, and a
    /// checkpoint every [`CHECKPOINT`] bytes of long lines.
    checkpoints: Vec<(usize, usize)>,
}

/// Bytes between two checkpoints of a long line.
const CHECKPOINT: usize = 4096;

impl LineIndex {
    /// Indexes the line starts of `text`. A line ends at `\n`; a `\r` before it belongs to the line.
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1));
        let mut checkpoints = Vec::with_capacity(starts.len());
        for (n, &start) in starts.iter().enumerate() {
            checkpoints.push((start, 0));
            let end = starts.get(n + 1).map_or(text.len(), |&next| next);
            let (mut at, mut chars) = (start, 0);
            while end - at > CHECKPOINT {
                let mut next = at + CHECKPOINT;
                while !text.is_char_boundary(next) {
                    next -= 1;
                }
                chars += text[at..next].chars().count();
                checkpoints.push((next, chars));
                at = next;
            }
        }
        LineIndex { starts, checkpoints }
    }

    /// The line and column of a byte offset (clamped to the text, and to a char boundary).
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let at = self.checkpoints.partition_point(|&(o, _)| o <= offset).saturating_sub(1);
        let (from, chars) = self.checkpoints.get(at).copied().unwrap_or((0, 0));
        LineCol { line: line + 1, column: chars + text.get(from..offset).map_or(0, |t| t.chars().count()) + 1 }
    }

    /// The byte range of a 1-based line, without its line terminator.
    pub fn line_span(&self, text: &str, line: usize) -> Span {
        let Some(&start) = self.starts.get(line.saturating_sub(1)) else {
            return Span::new(text.len(), text.len());
        };
        let end = self.starts.get(line).map_or(text.len(), |&next| next - 1);
        let end = if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') { end - 1 } else { end };
        Span::new(start, end.max(start))
    }

    /// How many lines the text has.
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

/// The loader of [`crate::check`]: every text is given.
pub(crate) struct NotGiven;

impl Load for NotGiven {
    fn load(&self, _: &Source) -> Result<String, String> {
        Err("its text was not given".into())
    }
}

/// The sources of a check as one unit of it sees them, by [`crate::model::SourceId`]: every
/// source given with its text, and the lazy ones this unit (or the unit it is part of) has read.
pub struct Sources<'a> {
    all: &'a [Source],
    load: &'a dyn Load,
    parent: Option<&'a Sources<'a>>,
    loaded: BTreeMap<usize, Source>,
    failed: BTreeMap<usize, String>,
}

impl<'a> Sources<'a> {
    /// A view of `all` that reads lazy sources with `load`.
    pub(crate) fn new(all: &'a [Source], load: &'a dyn Load) -> Sources<'a> {
        Sources { all, load, parent: None, loaded: BTreeMap::new(), failed: BTreeMap::new() }
    }

    /// A view of sources that all have their text.
    #[cfg(test)]
    pub(crate) fn given(all: &'a [Source]) -> Sources<'a> {
        Sources::new(all, &NotGiven)
    }

    /// A view that sees what `self` has read, and reads more on its own.
    pub(crate) fn child(&'a self) -> Sources<'a> {
        Sources { all: self.all, load: self.load, parent: Some(self), loaded: BTreeMap::new(), failed: BTreeMap::new() }
    }

    /// The source `index`, when its text is at hand.
    pub fn get(&self, index: usize) -> Option<&Source> {
        let source = self.all.get(index)?;
        if !source.lazy {
            return Some(source);
        }
        self.loaded.get(&index).or_else(|| self.parent.and_then(|p| p.get(index)))
    }

    /// Every source of the check, listed; the text of a lazy one is empty.
    pub(crate) fn all(&self) -> &'a [Source] {
        self.all
    }

    /// Reads the source `index` if it is lazy and not read yet. Returns whether its text is at
    /// hand; why not is kept for [`Sources::failures`].
    pub(crate) fn ensure(&mut self, index: usize) -> bool {
        if self.get(index).is_some() {
            return true;
        }
        let Some(listed) = self.all.get(index) else { return false };
        if self.failed.contains_key(&index) {
            return false;
        }
        match self.load.load(listed) {
            Ok(text) => {
                self.loaded.insert(index, Source { text, lazy: false, ..listed.clone() });
                true
            }
            Err(message) => {
                self.failed.insert(index, message);
                false
            }
        }
    }

    /// The source `index`, read first if it is lazy: `None` when it cannot be read.
    pub(crate) fn read(&mut self, index: usize) -> Option<&Source> {
        if !self.ensure(index) {
            return None;
        }
        self.get(index)
    }

    /// The lazy sources that could not be read, with why: `(name, message)`.
    pub(crate) fn failures(&self) -> impl Iterator<Item = (String, String)> + '_ {
        self.failed.iter().filter_map(|(&i, m)| Some((self.all.get(i)?.name.clone(), m.clone())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_chars_and_tabs_as_one() {
        let text = "a\n\tä\"x\"\r\nz";
        let index = LineIndex::new(text);
        let quote = text.find('"').unwrap();
        assert_eq!(index.line_col(text, quote), LineCol { line: 2, column: 3 });
        assert_eq!(index.line_col(text, text.len()), LineCol { line: 3, column: 2 });
        assert_eq!(&text[index.line_span(text, 2).range()], "\tä\"x\"");
    }

    #[test]
    fn long_lines_count_columns_through_checkpoints() {
        let text = format!("{}é{}\nz", "a".repeat(10_000), "b".repeat(9_000));
        let index = LineIndex::new(&text);
        let after = 10_000 + 'é'.len_utf8() + 5_000;
        assert_eq!(index.line_col(&text, after), LineCol { line: 1, column: 10_000 + 1 + 5_000 + 1 });
        assert_eq!(index.line_col(&text, text.len()), LineCol { line: 2, column: 2 });
    }

    #[test]
    fn decodes_boms_and_rejects_binary() {
        assert_eq!(Source::decode(b"\xEF\xBB\xBF{}").unwrap(), "{}");
        assert_eq!(Source::decode(&[0xFF, 0xFE, b'{', 0, b'}', 0]).unwrap(), "{}");
        assert_eq!(Source::decode(b"ab\0c"), Err(DecodeError::Binary { offset: 2 }));
        assert_eq!(Source::decode(b"ab\xFFc"), Err(DecodeError::InvalidUtf8 { offset: 2 }));
    }

    #[test]
    fn sniffs_json_kinds() {
        assert_eq!(
            SourceKind::detect("x.json", r#"{"format_version":"1.2","planned_values":{}}"#),
            Some(SourceKind::Plan)
        );
        assert_eq!(
            SourceKind::detect("x.json", r#"{"Version":"2012-10-17","Statement":[]}"#),
            Some(SourceKind::Policy)
        );
        assert_eq!(SourceKind::detect("x.json", r#"{"a":1}"#), Some(SourceKind::OtherJson));
        assert_eq!(SourceKind::detect("main.TF", ""), Some(SourceKind::Hcl));
        assert_eq!(SourceKind::detect("README.md", ""), None);
    }

    #[test]
    fn workflows_are_found_by_their_directory() {
        for name in [
            ".github/workflows/deploy.yml",
            "repo/.github/workflows/plan.YAML",
            "testdata/rules/x/bad_y/.github/workflows/ci.yaml",
            "C:\\repo\\.github\\workflows\\ci.yml",
        ] {
            assert_eq!(SourceKind::detect(name, ""), Some(SourceKind::Workflow), "{name}");
        }
        for name in [
            "deploy.yml",
            ".github/deploy.yml",
            ".github/workflows/sub/deploy.yml",
            "workflows/deploy.yml",
            ".github/workflows/.yml",
            ".github/workflows/deploy.yml.bak",
            "x.github/workflows/deploy.yml",
        ] {
            assert_eq!(SourceKind::detect(name, ""), None, "{name}");
        }
    }
}
