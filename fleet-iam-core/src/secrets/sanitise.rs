//! The one sanitiser: every renderer shows source text, messages, addresses and pointers
//! through it.
//!
//! - [`Secrets::mask_source`] replaces each secret span of a file (and each quoted occurrence of
//!   a known secret value, and each credential format) by [`STARS`]. A secret that spans lines
//!   keeps its line breaks, so the lines after it keep their numbers. It can also escape control
//!   characters. It returns the text with a map from the original byte offsets to the new ones,
//!   for the renderer's underlines.
//! - [`Secrets::mask_text`] masks known secret values where they are a whole quoted value, and
//!   credential formats, in a message or an address ([`Secrets::mask_pointer`]: a whole segment
//!   of a pointer). Only a whole value: a password `default` leaves `default-backend.tf` alone.
//! - [`escape_controls`] shows control characters (ESC, CR, C1 controls, bidi overrides) as
//!   `\u{1b}`, so that input cannot rewrite a terminal or a CI log.
//!
//! Each is one pass over its input (the quoted strings of a text are looked up in a set of the
//! values' written forms), so time is linear whatever the number or size of the secrets.

use super::STARS;
use super::formats::find_credentials;
use crate::diagnostic::{Diagnostic, Location};
use aho_corasick::{AhoCorasick, MatchKind};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

/// Where the secrets of a check's inputs are: spans by path, and the decoded values (to find a
/// secret where it is repeated in another file, or quoted by a message). Its `Debug` shows only
/// counts; nothing in it is ever printed.
#[derive(Clone, Default)]
pub struct Secrets {
    /// Sorted, disjoint byte ranges of each file's text, by path.
    spans: BTreeMap<String, Vec<Range<usize>>>,
    values: BTreeSet<String>,
    /// The values that are secrets by name or format (not only by a plan's sensitivity, which
    /// also covers regions and ports): found inside other strings too.
    strong: BTreeSet<String>,
    /// The values and their escaped forms, built on first use.
    forms: OnceLock<Forms>,
    /// The bytes of `values` and `strong`: what one [`Secrets::within_value`] reads.
    value_bytes: usize,
}

/// How many bytes of secret values the quotes of one check's findings may be compared with, in
/// all. Past it, a quote in a finding inside a secret is masked without comparing (the safe
/// side), so that a hostile plan with thousands of findings inside one large sensitive policy
/// costs linear time, not findings times secret bytes.
pub(crate) const QUOTE_BUDGET: usize = 64 << 20;

impl PartialEq for Secrets {
    fn eq(&self, other: &Secrets) -> bool {
        self.spans == other.spans && self.values == other.values && self.strong == other.strong
    }
}

impl Eq for Secrets {}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let spans: usize = self.spans.values().map(Vec::len).sum();
        write!(f, "Secrets({} values, {spans} spans, not shown)", self.values.len())
    }
}

impl Secrets {
    /// Secrets at `spans` (by path; any order, overlaps allowed) with the decoded `values`, of
    /// which `strong` are secrets by name or format.
    pub(crate) fn new(
        spans: BTreeMap<String, Vec<Range<usize>>>,
        values: BTreeSet<String>,
        strong: BTreeSet<String>,
    ) -> Secrets {
        let spans = spans.into_iter().map(|(path, ranges)| (path, merged(ranges))).collect();
        let value_bytes = values.iter().chain(&strong).map(String::len).sum();
        Secrets { spans, values, strong, forms: OnceLock::new(), value_bytes }
    }

    /// The secrets of both: for a caller that checks a tree in several parts (one per
    /// configuration) and shows their reports as one.
    pub fn union(self, other: Secrets) -> Secrets {
        let mut spans = self.spans;
        for (path, ranges) in other.spans {
            spans.entry(path).or_default().extend(ranges);
        }
        let values = self.values.into_iter().chain(other.values).collect();
        let strong = self.strong.into_iter().chain(other.strong).collect();
        Secrets::new(spans, values, strong)
    }

    /// Whether `text` is part of a secret value (a quote from a secret in a message about it),
    /// reading the values only while `budget` (bytes, see [`QUOTE_BUDGET`]) lasts: once it is
    /// spent, every text counts as part of one.
    fn within_value(&self, text: &str, budget: &mut usize) -> bool {
        if *budget < self.value_bytes {
            return true;
        }
        *budget -= self.value_bytes;
        let finder = memchr::memmem::Finder::new(text.as_bytes());
        self.values.iter().chain(&self.strong).any(|value| finder.find(value.as_bytes()).is_some())
    }

    /// How many secret values the inputs hold.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether the inputs hold no secret.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty() && self.spans.is_empty()
    }

    /// The secret spans of the file `path`: sorted and disjoint.
    pub fn spans(&self, path: &str) -> &[Range<usize>] {
        self.spans.get(path).map_or(&[], Vec::as_slice)
    }

    /// Whether `range` of the file `path` overlaps a secret (or, when empty, sits inside one).
    pub fn touches(&self, path: &str, range: Range<usize>) -> bool {
        let spans = self.spans(path);
        let at = spans.partition_point(|s| s.end <= range.start);
        spans.get(at).is_some_and(|s| s.start < range.end.max(range.start + 1))
    }

    /// `text` (the file `path`) with every secret in it shown as [`STARS`]: its spans (which hold
    /// every credential format the check found in it) and the places known values are repeated
    /// (a whole quoted value, or a strong one inside a string). With `escape`, control characters other than newline and
    /// tab are shown as `\u{..}` too.
    pub fn mask_source(&self, path: &str, text: &str, escape: bool) -> Masked {
        let mut ranges = self.spans(path).to_vec();
        ranges.extend(self.source_ranges(text));
        rewrite(text, &merged(ranges), escape)
    }

    /// Where known values are repeated in a source text: a quoted string equal to any of them,
    /// and a secret by name or format of 8 characters or more anywhere, also inside a longer
    /// string (a password copied into a `user_data` script).
    pub(crate) fn source_ranges(&self, text: &str) -> Vec<Range<usize>> {
        let mut ranges = self.value_ranges(text);
        let forms = self.forms.get_or_init(|| Forms::new(&self.values, &self.strong));
        if let Some(embedded) = &forms.embedded {
            ranges.extend(embedded_ranges(embedded, text));
        }
        ranges
    }

    /// A message, address or pointer with each known secret value that stands as a whole value
    /// in it, and each credential format, shown as [`STARS`].
    pub fn mask_text<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let mut ranges = self.value_ranges(text);
        ranges.extend(find_credentials(text).into_iter().map(|c| c.range));
        if ranges.is_empty() {
            return Cow::Borrowed(text);
        }
        Cow::Owned(rewrite(text, &merged(ranges), false).text)
    }

    /// A JSON pointer with each segment that is a known secret value (a key of a map of
    /// secrets) shown as [`STARS`].
    pub fn mask_pointer<'t>(&self, pointer: &'t str) -> Cow<'t, str> {
        let forms = self.forms.get_or_init(|| Forms::new(&self.values, &self.strong));
        if !pointer.split('/').any(|segment| forms.contains(&segment.replace("~1", "/").replace("~0", "~"))) {
            return self.mask_text(pointer);
        }
        let shown: Vec<String> = pointer
            .split('/')
            .map(|segment| {
                if forms.contains(&segment.replace("~1", "/").replace("~0", "~")) {
                    STARS.to_string()
                } else {
                    segment.to_string()
                }
            })
            .collect();
        Cow::Owned(self.mask_text(&shown.join("/")).into_owned())
    }

    /// The byte ranges of `text` that are the content of a quoted string equal to a known secret
    /// value as JSON or HCL writes it. Every unescaped `"` is tried as an opening quote, so that
    /// a quote the pairing gets wrong (one inside `${...}`) does not hide the strings after it;
    /// each content is hashed once or twice, so time is linear in the text.
    pub(crate) fn value_ranges(&self, text: &str) -> Vec<Range<usize>> {
        let forms = self.forms.get_or_init(|| Forms::new(&self.values, &self.strong));
        if forms.is_empty() {
            return Vec::new();
        }
        let mut found = Vec::new();
        let mut open: Option<usize> = None;
        for quote in unescaped_quotes(text) {
            if let Some(start) = open
                && text.get(start + 1..quote).is_some_and(|c| forms.contains(c))
            {
                found.push(start + 1..quote);
            }
            open = Some(quote);
        }
        found
    }
}

/// Every occurrence of the strong values in `text`, overlapping ones too (two secrets that
/// overlap are masked as their union). Values that are suffixes of each other could report many
/// matches at each offset: past a budget linear in the text, the rest of the text from the first
/// occurrence is taken as secret, which is safe and keeps the time linear.
fn embedded_ranges(embedded: &AhoCorasick, text: &str) -> Vec<Range<usize>> {
    let budget = text.len() + 4096;
    let mut ranges = Vec::new();
    for m in embedded.find_overlapping_iter(text) {
        if ranges.len() == budget {
            let first = ranges.first().map_or(m.start(), |r: &Range<usize>| r.start);
            return std::iter::once(first..text.len()).collect();
        }
        ranges.push(m.range());
    }
    ranges
}

/// The offsets of the `"` in `text` that no backslash escapes.
fn unescaped_quotes(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'"', bytes).filter(move |&i| {
        let backslashes = bytes[..i].iter().rev().take_while(|&&b| b == b'\\').count();
        backslashes % 2 == 0
    })
}

/// Every secret value as it may be written between quotes, and which lengths they have (most
/// strings are ruled out by their length alone, without hashing); and a search for the strong
/// values of 8 characters or more, in any of their forms.
#[derive(Clone, Default)]
struct Forms {
    set: HashSet<String>,
    lengths: Vec<bool>,
    embedded: Option<AhoCorasick>,
}

/// Strong values shorter than this are only found as a whole quoted string: a short password
/// (`admin`) is a word of ordinary text too.
const EMBEDDED_MIN_CHARS: usize = 8;

impl Forms {
    fn new(values: &BTreeSet<String>, strong: &BTreeSet<String>) -> Forms {
        let set: HashSet<String> = values.iter().chain(strong).flat_map(|v| needles(v)).collect();
        let mut lengths = vec![false; set.iter().map(String::len).max().map_or(0, |n| n + 1)];
        set.iter().for_each(|f| lengths[f.len()] = true);
        let long: BTreeSet<String> =
            strong.iter().filter(|v| v.chars().count() >= EMBEDDED_MIN_CHARS).flat_map(|v| needles(v)).collect();
        let embedded = match long.is_empty() {
            true => None,
            false => AhoCorasick::builder().match_kind(MatchKind::Standard).build(&long).ok(),
        };
        Forms { set, lengths, embedded }
    }

    fn contains(&self, text: &str) -> bool {
        self.lengths.get(text.len()) == Some(&true) && self.set.contains(text)
    }

    fn is_empty(&self) -> bool {
        self.set.is_empty()
    }
}

/// The forms a secret value takes in text: as is, and as JSON and HCL escape it (also with
/// Terraform's `\u003c`-style escapes of `<`, `>` and `&`).
fn needles(value: &str) -> Vec<String> {
    if value.is_empty() {
        return Vec::new();
    }
    vec![value.to_string(), escaped(value, false), escaped(value, true)]
}

fn escaped(s: &str, html: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' if html => out.push_str("\\u003c"),
            '>' if html => out.push_str("\\u003e"),
            '&' if html => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

/// `ranges` sorted, with overlapping and touching ones joined.
fn merged(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.retain(|r| r.start < r.end);
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// A text as shown, with the map from offsets in the original text to offsets in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Masked {
    /// The text to show.
    pub text: String,
    /// The replaced pieces: `(original range, new range)`, in order.
    edits: Vec<(Range<usize>, Range<usize>)>,
}

impl Masked {
    /// Where an original offset that starts a span is in [`Masked::text`]: a span that starts
    /// inside a replaced piece starts where its replacement does.
    pub fn start(&self, offset: usize) -> usize {
        self.map(offset, false)
    }

    /// Where an original offset that ends a span is in [`Masked::text`]: a span that ends inside
    /// a replaced piece ends where its replacement does.
    pub fn end(&self, offset: usize) -> usize {
        self.map(offset, true)
    }

    /// Where an original span is in [`Masked::text`]. An empty span stays empty.
    pub fn range(&self, span: Range<usize>) -> Range<usize> {
        let start = self.start(span.start);
        if span.is_empty() {
            return start..start;
        }
        start..self.end(span.end).max(start)
    }

    fn map(&self, offset: usize, is_end: bool) -> usize {
        // The last piece that begins before the offset (at it, for a start).
        let at = self.edits.partition_point(|(old, _)| old.start < offset || (!is_end && old.start == offset));
        let Some((old, new)) = at.checked_sub(1).and_then(|i| self.edits.get(i)) else {
            return offset.min(self.text.len());
        };
        let mapped =
            if offset < old.end { if is_end { new.end } else { new.start } } else { offset - old.end + new.end };
        mapped.min(self.text.len())
    }
}

/// `text` with each of `ranges` (sorted, disjoint) replaced by [`STARS`] and the line breaks it
/// held, and, with `escape`, each control character but newline and tab escaped.
fn rewrite(text: &str, ranges: &[Range<usize>], escape: bool) -> Masked {
    let mut out = String::with_capacity(text.len());
    let mut edits = Vec::new();
    let mut ranges = ranges.iter().peekable();
    let mut i = 0;
    while i < text.len() {
        if let Some(r) = ranges.next_if(|r| r.start <= i) {
            let end = text.ceil_char_boundary(r.end.min(text.len()));
            if end <= i {
                continue;
            }
            let new_start = out.len();
            out.push_str(STARS);
            text[i..end].matches('\n').for_each(|_| out.push('\n'));
            edits.push((i..end, new_start..out.len()));
            i = end;
            continue;
        }
        let next = ranges.peek().map_or(text.len(), |r| text.floor_char_boundary(r.start.max(i)));
        let next = if next <= i { text.ceil_char_boundary(i + 1) } else { next };
        let piece = &text[i..next];
        if escape {
            escape_piece(piece, i, &mut out, &mut edits);
        } else {
            out.push_str(piece);
        }
        i = next;
    }
    Masked { text: out, edits }
}

/// Appends `piece` (at `offset` in the original text) to `out` with its control characters
/// escaped, recording each as an edit. Line breaks and tabs are the text's layout; so is the CR
/// of a CRLF. Runs of plain text are copied whole: only bytes that can start such a character
/// are looked at.
fn escape_piece(piece: &str, offset: usize, out: &mut String, edits: &mut Vec<(Range<usize>, Range<usize>)>) {
    let bytes = piece.as_bytes();
    let mut from = 0;
    let mut at = 0;
    while let Some(found) = bytes[at..].iter().position(|&b| b < 0x20 || b == 0x7f || b == 0xc2 || b == 0xe2) {
        at += found;
        let Some(c) = piece[at..].chars().next() else { break };
        let crlf = c == '\r' && bytes.get(at + 1) == Some(&b'\n');
        if is_shown_escaped(c) && c != '\n' && c != '\t' && !crlf {
            out.push_str(&piece[from..at]);
            let new_start = out.len();
            out.extend(c.escape_unicode());
            edits.push((offset + at..offset + at + c.len_utf8(), new_start..out.len()));
            from = at + c.len_utf8();
        }
        at += c.len_utf8();
    }
    out.push_str(&piece[from..]);
}

/// Characters that a terminal or a log viewer acts on instead of showing: C0 and C1 controls,
/// DEL, and the bidirectional overrides and isolates that reorder what is shown.
fn is_shown_escaped(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

/// `text` with every control character, DEL, C1 control and bidi override shown as `\u{..}`,
/// for paths, messages and addresses in human formats. With `keep_lines`, newline and tab stay
/// (a message may be several lines; a path or an address may not).
pub fn escape_controls(text: &str, keep_lines: bool) -> Cow<'_, str> {
    let escaped = |c: char| is_shown_escaped(c) && !(keep_lines && matches!(c, '\n' | '\t'));
    if !text.chars().any(escaped) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escaped(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

impl Secrets {
    /// A diagnostic as every output may show it: known secret values and credentials masked in its
    /// message, help, labels, address and pointer; a location on a secret made a point at its start,
    /// so that no end column tells the secret's length.
    /// `budget` bounds the comparisons of quotes with secret values over a whole report
    /// ([`QUOTE_BUDGET`]).
    pub(crate) fn sanitise(&self, d: &mut Diagnostic, budget: &mut usize) {
        let secrets = self;
        fn mask(text: &mut String, secrets: &Secrets) {
            if let std::borrow::Cow::Owned(masked) = secrets.mask_text(text) {
                *text = masked;
            }
        }
        fn point(location: &mut Location, secrets: &Secrets) {
            if secrets.touches(&location.path, location.span.range()) {
                location.span.end = location.span.start;
                location.end = location.start;
            }
        }
        // A finding inside a secret (a policy that a plan marks sensitive): what its texts quote
        // from the secret is masked too, not only whole secret values.
        if secrets.touches(&d.location.path, d.location.span.range()) {
            mask_quoted(&mut d.message, secrets, budget);
            d.help.iter_mut().for_each(|h| mask_quoted(h, secrets, budget));
            d.labels.iter_mut().for_each(|l| mask_quoted(&mut l.message, secrets, budget));
        }
        mask(&mut d.message, secrets);
        d.help.iter_mut().for_each(|h| mask(h, secrets));
        d.address.iter_mut().for_each(|a| mask(a, secrets));
        if let Some(pointer) = &mut d.pointer
            && let std::borrow::Cow::Owned(masked) = secrets.mask_pointer(pointer)
        {
            *pointer = masked;
        }
        point(&mut d.location, secrets);
        if let Some(fix) = &mut d.fix {
            mask(&mut fix.message, secrets);
        }
        for label in &mut d.labels {
            mask(&mut label.message, secrets);
            point(&mut label.location, secrets);
        }
    }
}

/// Each code segment (`` `...` ``) of `text` that is part of a secret value, as `` `****` ``.
/// Segments shorter than four characters (`*`, `s3`) say nothing of a secret and stay.
fn mask_quoted(text: &mut String, secrets: &Secrets, budget: &mut usize) {
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    let mut changed = false;
    while let Some(open) = rest.find('`') {
        let Some(len) = rest[open + 1..].find('`') else { break };
        let inner = &rest[open + 1..open + 1 + len];
        out.push_str(&rest[..=open]);
        if inner.chars().count() >= 4 && secrets.within_value(inner, budget) {
            out.push_str(STARS);
            changed = true;
        } else {
            out.push_str(inner);
        }
        out.push('`');
        rest = &rest[open + 2 + len..];
    }
    out.push_str(rest);
    if changed {
        *text = out;
    }
}

#[cfg(test)]
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::*;

    fn secrets(path: &str, spans: Vec<Range<usize>>, values: &[&str]) -> Secrets {
        let values: BTreeSet<String> = values.iter().map(|v| v.to_string()).collect();
        Secrets::new([(path.to_string(), spans)].into(), values.clone(), values)
    }

    #[test]
    fn spans_become_four_stars_and_keep_their_line_breaks() {
        let text = "a = \"Zq8vLm\"\nkey = <<EOT\nline1\nline2\nEOT\nafter\n";
        let key = text.find("line1").unwrap()..text.find("EOT\nafter").unwrap();
        let s = secrets("x.tf", vec![5..11, key], &[]);
        let masked = s.mask_source("x.tf", text, false);
        assert_eq!(masked.text, "a = \"****\"\nkey = <<EOT\n****\n\nEOT\nafter\n");
        assert_eq!(masked.text.lines().count(), text.lines().count());
        // Offsets after a secret move; offsets inside one go to its replacement.
        let after = text.find("after").unwrap();
        assert_eq!(&masked.text[masked.start(after)..masked.end(after + 5)], "after");
        assert_eq!(masked.start(7), 5);
        assert_eq!(masked.end(7), 9);
        assert_eq!((masked.start(4), masked.end(12)), (4, 10));
    }

    #[test]
    fn the_mask_does_not_show_the_length() {
        for n in [1, 3, 8, 40] {
            let text = format!("p = \"{}\"", "Q".repeat(n));
            let s = secrets("x.tf", vec![5..5 + n], &[]);
            assert_eq!(s.mask_source("x.tf", &text, false).text, "p = \"****\"");
        }
    }

    #[test]
    fn overlapping_secrets_are_masked_as_their_union() {
        let text = "x = \"AAAABBBBCCCC\" tail";
        let s = secrets("x.tf", vec![5..13, 9..17], &[]);
        assert_eq!(s.mask_source("x.tf", text, false).text, "x = \"****\" tail");
    }

    #[test]
    fn values_are_masked_only_where_they_stand_as_a_whole_value() {
        let s = secrets("other.tf", vec![], &["default", "Zq8"]);
        let message = "`default-backend.tf:3`: value \"default\" and [\"Zq8\"] and \"Zq8x\" and default";
        assert_eq!(
            s.mask_text(message),
            "`default-backend.tf:3`: value \"****\" and [\"****\"] and \"Zq8x\" and default"
        );
        let text = "{\"note\":\"default\",\"default\":1,\"x\":\"a\\\"default\\\"b\"}";
        assert_eq!(
            s.mask_source("x.json", text, false).text,
            "{\"note\":\"****\",\"****\":1,\"x\":\"a\\\"default\\\"b\"}"
        );
        assert_eq!(s.mask_pointer("/a/default/b/Zq8x"), "/a/****/b/Zq8x");
        // A quote paired wrongly by a template does not hide the strings after it.
        let template = "x = \"${f(\"a\")}\" y = \"default\"";
        assert_eq!(s.mask_source("x.tf", template, false).text, "x = \"${f(\"a\")}\" y = \"****\"");
    }

    #[test]
    fn overlapping_strong_values_are_all_found_and_many_matches_stay_linear() {
        let s = secrets("x", vec![], &["AAAABBBB", "BBBBCCCC"]);
        let text = "x = \"run AAAABBBBCCCC now\"";
        assert_eq!(s.mask_source("x", text, false).text, "x = \"run **** now\"");
        // Suffixes of each other, over a text of their letter: all of it from the first match.
        let values: Vec<String> = (8..200).map(|n| "a".repeat(n)).collect();
        let values: Vec<&str> = values.iter().map(String::as_str).collect();
        let s = secrets("x", vec![], &values);
        let text = format!("x = \"{}\"", "a".repeat(20_000));
        assert_eq!(s.mask_source("x", &text, false).text, "x = \"****");
    }

    #[test]
    fn strong_values_are_found_inside_other_strings_and_weak_ones_are_not() {
        let strong = secrets("x", vec![], &["Zq8vLmW3xT", "admin"]);
        let text = "user_data = \"login --password Zq8vLmW3xTrest admin\"";
        assert_eq!(strong.mask_source("x", text, false).text, "user_data = \"login --password ****rest admin\"");
        // A plan's sensitive leaf (a region) is only masked where it is a whole value.
        let leaf = Secrets::new(BTreeMap::new(), ["eu-west-1".to_string()].into(), BTreeSet::new());
        let text = "\"region\": \"eu-west-1\", \"az\": \"eu-west-1a\"";
        assert_eq!(leaf.mask_source("x", text, false).text, "\"region\": \"****\", \"az\": \"eu-west-1a\"");
    }

    #[test]
    fn escaped_forms_of_values_are_masked() {
        let s = secrets("x", vec![], &["p\"w<d"]);
        assert_eq!(s.mask_text("a \"p\\\"w\\u003cd\" b"), "a \"****\" b");
        assert_eq!(s.mask_text("a \"p\\\"w<d\" b"), "a \"****\" b");
    }

    #[test]
    fn credential_formats_in_messages_are_masked_without_being_known() {
        let key = format!("ghp_{}", "aB3".repeat(12));
        assert_eq!(Secrets::default().mask_text(&format!("found {key} here")), "found **** here");
    }

    #[test]
    fn control_characters_are_escaped_with_their_offsets_mapped() {
        let text = "a\u{1b}[2Jb\r\r\n\tc\u{202e}d\u{85}";
        let masked = Secrets::default().mask_source("x", text, true);
        assert_eq!(masked.text, "a\\u{1b}[2Jb\\u{d}\r\n\tc\\u{202e}d\\u{85}");
        let c = text.find('c').unwrap();
        assert_eq!(&masked.text[masked.start(c)..masked.end(c + 1)], "c");
        assert_eq!(escape_controls("a\nb\u{7f}", false), "a\\u{a}b\\u{7f}");
        assert_eq!(escape_controls("a\nb\r\t", true), "a\nb\\u{d}\t");
        assert!(matches!(escape_controls("plain", false), Cow::Borrowed(_)));
    }

    #[test]
    fn touches_finds_overlaps_and_points_inside() {
        let s = secrets("x.tf", vec![10..20], &[]);
        assert!(s.touches("x.tf", 5..11));
        assert!(s.touches("x.tf", 19..30));
        assert!(s.touches("x.tf", 12..12));
        assert!(!s.touches("x.tf", 20..25));
        assert!(!s.touches("x.tf", 0..10));
        assert!(!s.touches("y.tf", 10..20));
    }

    #[test]
    fn spans_past_the_text_or_inside_characters_do_not_panic() {
        let s = secrets("x", vec![1..2, 3..100], &[]);
        let masked = s.mask_source("x", "éé", true);
        assert!(masked.text.starts_with("****") || masked.text.starts_with('é'));
        assert!(masked.start(100) <= masked.text.len());
    }

    #[test]
    fn quotes_from_a_secret_are_masked_and_past_the_budget_every_quote_is() {
        let policy = r#"{"Statement":[{"Action":"s3:Put1*"}]}"#;
        let s = Secrets::new(BTreeMap::new(), [policy.to_string()].into(), BTreeSet::new());
        let message = "`s3:Put1*` matches no S3 action, in `aws_iam_policy.p`";
        let mut text = message.to_string();
        let mut budget = QUOTE_BUDGET;
        mask_quoted(&mut text, &s, &mut budget);
        assert_eq!(text, "`****` matches no S3 action, in `aws_iam_policy.p`");
        assert_eq!(budget, QUOTE_BUDGET - 2 * policy.len(), "each quote reads the values once");
        // With the budget spent, a quote is masked without looking: the safe side.
        let mut text = message.to_string();
        mask_quoted(&mut text, &s, &mut (policy.len() - 1));
        assert_eq!(text, "`****` matches no S3 action, in `****`");
    }
}
