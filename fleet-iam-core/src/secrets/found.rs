//! Finding where the secrets of a unit sit, while its model is at hand.
//!
//! A value is a secret when it is a non-placeholder literal under a name that holds one (an
//! attribute, an object key, a `variable` default, a Helm `{name, value}` pair, a plan variable),
//! a plan value under a `sensitive` path, a match of a credential format anywhere (comments and
//! map keys included: the raw text of every file is scanned), or a value given to a secret name
//! inside a document a string holds (a container definition's environment, a `user_data`
//! script: [`super::embedded`]); a string that is base64 of a document holding a secret is a
//! secret as a whole. Each is recorded as a span of its
//! source: where the secret stands verbatim in the literal, or the whole literal's content when
//! it is written with escapes. A file that does not parse gets the [`super::scan`] instead.

use super::embedded::{assigned_values, base64_document};
use super::formats::find_credentials;
use super::names::holds_secret;
use super::placeholder::is_placeholder;
use super::sanitise::Secrets;
use super::scan::line_secrets;
use crate::model::Credential;
use crate::model::{At, Body, Module, SourceId, Value, ValueKind};
use crate::source::{Source, SourceKind, Sources};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

/// The secrets found by the units of a check, until the check ends.
#[derive(Default)]
pub(crate) struct Found {
    spans: Vec<(SourceId, Range<usize>)>,
    values: BTreeSet<String>,
    /// The values that are secrets by name or format.
    strong: BTreeSet<String>,
}

impl Found {
    /// Adds what another unit found.
    pub(crate) fn extend(&mut self, other: Found) {
        self.spans.extend(other.spans);
        self.values.extend(other.values);
        self.strong.extend(other.strong);
    }

    /// The secrets by path, for the report.
    pub(crate) fn into_secrets(self, sources: &[Source]) -> Secrets {
        let mut spans: BTreeMap<String, Vec<Range<usize>>> = BTreeMap::new();
        for (id, range) in self.spans {
            if let Some(source) = sources.get(id.0) {
                spans.entry(source.name.clone()).or_default().push(range);
            }
        }
        Secrets::new(spans, self.values, self.strong)
    }

    /// Scans the raw text of a source the unit owns: credential formats anywhere in Terraform
    /// files (comments too; in a JSON file that parsed, the walk of its values and keys finds
    /// them all) and, when it did not parse, the line-level scan.
    pub(crate) fn scan_source(&mut self, id: SourceId, source: &Source, parsed: bool) {
        if !parsed || matches!(source.kind, SourceKind::Hcl | SourceKind::Tfvars) {
            let found: Vec<(SourceId, Credential)> =
                find_credentials(&source.text).into_iter().map(|c| (id, c)).collect();
            self.credentials(&found, &source.text);
        }
        if !parsed {
            self.unparsed(id, &source.text);
        }
    }

    /// Credentials found in the raw text of the module's files.
    pub(crate) fn add_credentials(&mut self, found: &[(SourceId, Credential)], texts: &Sources<'_>) {
        for (id, credential) in found {
            if let Some(source) = texts.get(id.0) {
                self.credentials(&[(*id, credential.clone())], &source.text);
            }
        }
    }

    fn credentials(&mut self, found: &[(SourceId, Credential)], text: &str) {
        for (id, credential) in found {
            if let Some(secret) = text.get(credential.range.clone()) {
                self.strong.insert(secret.to_string());
            }
            self.spans.push((*id, credential.range.clone()));
        }
    }

    /// The line-level scan of a file that did not parse.
    pub(crate) fn unparsed(&mut self, id: SourceId, text: &str) {
        self.spans.extend(line_secrets(text).into_iter().map(|r| (id, r)));
    }

    /// Where the values found so far stand as a whole value elsewhere in the sources `ids` (a
    /// plan repeats a variable's value in every resource that uses it): spans too, so that a
    /// finding there is reported as a point like any other on a secret. (A strong value inside a
    /// longer string is masked when the text is shown; a finding on that string is not made a
    /// point, since its length is not the secret's.)
    pub(crate) fn propagate(&mut self, texts: &Sources<'_>, ids: &[SourceId]) {
        if self.values.is_empty() && self.strong.is_empty() {
            return;
        }
        let known = Secrets::new(BTreeMap::new(), self.values.clone(), self.strong.clone());
        for &id in ids {
            let Some(source) = texts.get(id.0) else { continue };
            self.spans.extend(known.value_ranges(&source.text).into_iter().map(|r| (id, r)));
        }
    }

    /// The secrets of a module's blocks.
    pub(crate) fn add_module(&mut self, module: &Module, texts: &Sources<'_>) {
        for block in &module.blocks {
            let label = if block.ident == "variable" { block.label(0) } else { None };
            self.add_body(&block.body, label, texts);
        }
        for attr in &module.stray {
            self.add_value(&attr.value, Some(&attr.name), texts);
        }
    }

    /// The secrets of a body. `default_name` names a `variable` block's `default`.
    pub(crate) fn add_body(&mut self, body: &Body, default_name: Option<&str>, texts: &Sources<'_>) {
        // `set { name = "adminPassword"  value = ... }`: the value is named by `name`.
        let pair_name = body.attribute("name").and_then(|a| a.value.as_str());
        for attr in &body.attributes {
            let name = match attr.name.as_str() {
                "value" if pair_name.is_some() => pair_name,
                "default" if default_name.is_some() => default_name,
                other => Some(other),
            };
            self.add_value(&attr.value, name, texts);
        }
        for block in &body.blocks {
            self.add_body(&block.body, None, texts);
        }
    }

    /// The secrets of a value written under `name`.
    pub(crate) fn add_value(&mut self, value: &Value, name: Option<&str>, texts: &Sources<'_>) {
        match &value.kind {
            ValueKind::String(text) => self.consider(value.at, name, text, true, texts),
            ValueKind::Template(text) => self.consider(value.at, name, text, false, texts),
            ValueKind::List(items) => items.iter().for_each(|i| self.add_value(i, name, texts)),
            ValueKind::Object(entries) => {
                let pair_name = entries.iter().find(|e| e.key == "name").and_then(|e| e.value.as_str());
                for entry in entries {
                    // A credential written as a key (the raw scan sees it unless it is written with
                    // escapes). Every format is 16 characters or more, and most keys are shorter.
                    if entry.key.len() >= 16 {
                        self.consider(entry.key_at, None, &entry.key, false, texts);
                    }
                    let key = match entry.key.as_str() {
                        "value" if pair_name.is_some() => pair_name,
                        // Plan JSON: `variables.NAME.value`, `expressions.x.constant_value`.
                        "value" | "default" | "constant_value" => name,
                        other => Some(other),
                    };
                    self.add_value(&entry.value, key, texts);
                }
            }
            ValueKind::Call(call) => call.args.iter().for_each(|a| self.add_value(a, name, texts)),
            ValueKind::Conditional(parts) => parts.iter().for_each(|p| self.add_value(p, name, texts)),
            ValueKind::Operation(operation) => operation.operands.iter().for_each(|o| self.add_value(o, name, texts)),
            _ => {}
        }
    }

    /// The values of a plan that Terraform itself hides: under `after_sensitive`,
    /// `before_sensitive` and `sensitive_values` paths, sensitive outputs, and root variables
    /// declared `sensitive`. (Secret-named values and credentials are found by
    /// [`Found::add_value`] on the whole plan.)
    pub(crate) fn add_plan(&mut self, root: &Value, texts: &Sources<'_>) {
        self.sensitive_paths(root, texts, 0);
        let declared = root
            .get("configuration")
            .and_then(|c| c.value.get("root_module"))
            .and_then(|m| m.value.get("variables"))
            .and_then(|v| v.value.as_object())
            .unwrap_or_default();
        let values = root.get("variables");
        for variable in
            declared.iter().filter(|v| v.value.get("sensitive").and_then(|s| s.value.as_bool()) == Some(true))
        {
            let value = values.and_then(|v| v.value.get(&variable.key)).and_then(|v| v.value.get("value"));
            if let Some(value) = value {
                self.all_leaves(&value.value, texts);
            }
        }
    }

    /// Every object of the plan, looking for a value beside its sensitivity mask.
    fn sensitive_paths(&mut self, value: &Value, texts: &Sources<'_>, depth: usize) {
        // The JSON parser bounds nesting; this guard only keeps the walk total.
        if depth > 512 {
            return;
        }
        match &value.kind {
            ValueKind::Object(entries) => {
                let get = |key: &str| entries.iter().find(|e| e.key == key).map(|e| &e.value);
                for entry in entries {
                    // `after_sensitive` masks `after`, `sensitive_values` masks `values`, and an
                    // output's `sensitive: true` masks its `value`.
                    let (shown, mask) = match entry.key.as_str() {
                        "sensitive_values" => (get("values"), Some(&entry.value)),
                        "sensitive" if entry.value.as_bool() == Some(true) => (get("value"), Some(&TRUE)),
                        key => match key.strip_suffix("_sensitive") {
                            Some(shown) => (get(shown), Some(&entry.value)),
                            None => (None, None),
                        },
                    };
                    if let (Some(shown), Some(mask)) = (shown, mask) {
                        self.masked(shown, mask, texts);
                    }
                    // Values and their masks hold no further masks: the walk need not read them.
                    if !VALUE_KEYS.contains(&entry.key.as_str()) && !entry.key.ends_with("_sensitive") {
                        self.sensitive_paths(&entry.value, texts, depth + 1);
                    }
                }
            }
            ValueKind::List(items) => items.iter().for_each(|i| self.sensitive_paths(i, texts, depth + 1)),
            _ => {}
        }
    }

    /// The leaves of `value` that `mask` (a plan's `after_sensitive`-style shape) marks `true`.
    fn masked(&mut self, value: &Value, mask: &Value, texts: &Sources<'_>) {
        match (&mask.kind, &value.kind) {
            (ValueKind::Bool(true), _) => self.all_leaves(value, texts),
            (ValueKind::Object(masks), ValueKind::Object(entries)) => {
                for entry in entries {
                    if let Some(m) = masks.iter().find(|m| m.key == entry.key) {
                        self.masked(&entry.value, &m.value, texts);
                    }
                }
            }
            (ValueKind::List(masks), ValueKind::List(items)) => {
                items.iter().zip(masks.iter()).for_each(|(item, m)| self.masked(item, m, texts));
            }
            _ => {}
        }
    }

    /// Every string and number in `value`, as secrets.
    fn all_leaves(&mut self, value: &Value, texts: &Sources<'_>) {
        let text = match &value.kind {
            ValueKind::String(text) | ValueKind::Template(text) => Some(text.as_str()),
            ValueKind::Number(number) => Some(number.as_str()),
            _ => None,
        };
        if let Some(text) = text {
            if !is_placeholder(text) {
                self.values.insert(text.to_string());
            }
            self.mark(value.at, text, texts);
            return;
        }
        match &value.kind {
            ValueKind::List(items) => items.iter().for_each(|i| self.all_leaves(i, texts)),
            ValueKind::Object(entries) => entries.iter().for_each(|e| self.all_leaves(&e.value, texts)),
            _ => {}
        }
    }

    fn consider(&mut self, at: At, name: Option<&str>, text: &str, literal: bool, texts: &Sources<'_>) {
        if text.is_empty() {
            return;
        }
        let named = literal && name.is_some_and(holds_secret) && !is_placeholder(text);
        // Credentials, and the values given to secret names in a document the text holds, in
        // order and without overlaps.
        let mut secrets: Vec<Range<usize>> = find_credentials(text).into_iter().map(|c| c.range).collect();
        let assigned = assigned_values(text);
        if !assigned.is_empty() {
            secrets.extend(assigned.into_iter().map(|a| a.range));
            secrets.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
            let mut kept: Vec<Range<usize>> = Vec::with_capacity(secrets.len());
            for r in secrets {
                if kept.last().is_none_or(|last| r.start >= last.end) {
                    kept.push(r);
                }
            }
            secrets = kept;
        }
        let encoded = base64_document(text).map(|doc| document_secrets(&doc)).unwrap_or_default();
        if !named && secrets.is_empty() && encoded.is_empty() {
            return;
        }
        let written = Written::of(at, text, texts);
        if named || !encoded.is_empty() {
            // A secret in a base64 document has no place of its own in the encoding.
            self.strong.extend(encoded);
            if named {
                self.strong.insert(text.to_string());
            }
            self.spans.push((at.source, written.range(0..text.len())));
        }
        // In a literal with escapes, each secret is looked for as written after the one
        // before (escapes only lengthen the text), so the literal is read once.
        let raw = texts.get(at.source.0).and_then(|s| s.text.get(written.content.clone())).unwrap_or_default();
        let mut cursor = 0;
        for range in secrets {
            let Some(found) = text.get(range.clone()) else { continue };
            self.strong.insert(found.to_string());
            let as_written = if written.verbatim { None } else { raw.get(cursor..).and_then(|rest| rest.find(found)) };
            let range = match as_written {
                Some(offset) => {
                    let start = written.content.start + cursor + offset;
                    cursor += offset + found.len();
                    start..start + found.len()
                }
                None => written.range(range),
            };
            self.spans.push((at.source, range));
        }
    }

    /// Records the literal at `at`, whose decoded text is `text`, as a secret.
    fn mark(&mut self, at: At, text: &str, texts: &Sources<'_>) {
        let written = Written::of(at, text, texts);
        self.spans.push((at.source, written.range(0..text.len())));
    }
}

/// The secrets of a document decoded from base64: its credentials and the values it gives to
/// secret names.
fn document_secrets(doc: &str) -> Vec<String> {
    let credentials = find_credentials(doc).into_iter().map(|c| c.range);
    let assigned = assigned_values(doc).into_iter().map(|a| a.range);
    credentials.chain(assigned).filter_map(|r| doc.get(r)).map(str::to_string).collect()
}

/// Where the decoded text of a literal is in its source: at a known offset when the literal's
/// content is the text as is (no escapes, no heredoc indentation stripped); else only the
/// content as a whole is known, and a secret anywhere in the text masks all of it. Worked out
/// once per literal, so that a literal of many credentials is read once.
struct Written {
    /// The source range of the literal's content.
    content: Range<usize>,
    /// Whether the content is the decoded text byte for byte (from its start).
    verbatim: bool,
}

impl Written {
    fn of(at: At, text: &str, texts: &Sources<'_>) -> Written {
        let span = at.span.range();
        let Some(raw) = texts.get(at.source.0).and_then(|s| s.text.get(span.clone())) else {
            return Written { content: span, verbatim: false };
        };
        let inner = content(raw);
        let written = raw.get(inner.clone()).unwrap_or_default();
        // A heredoc's text ends with a line break that its content (up to the marker) leaves out.
        let verbatim = written == text || (written.len() + 1 == text.len() && text.starts_with(written));
        Written { content: span.start + inner.start..span.start + inner.end, verbatim }
    }

    /// The source range of `range` of the decoded text.
    fn range(&self, range: Range<usize>) -> Range<usize> {
        if !self.verbatim {
            return self.content.clone();
        }
        let end = (self.content.start + range.end).min(self.content.end);
        (self.content.start + range.start).min(end)..end
    }
}

/// The keys of a plan that hold resolved values (or their masks), not more of the plan's
/// structure.
const VALUE_KEYS: &[&str] =
    &["after", "before", "after_unknown", "values", "sensitive_values", "value", "expressions", "replace_paths"];

static TRUE: Value =
    Value { at: At { source: SourceId(0), span: crate::source::Span::new(0, 0) }, kind: ValueKind::Bool(true) };

/// The content of a literal as written: inside its quotes, or between a heredoc's marker lines.
fn content(raw: &str) -> Range<usize> {
    if raw.len() >= 2 && raw.starts_with('"') && raw.ends_with('"') {
        return 1..raw.len() - 1;
    }
    if raw.starts_with("<<")
        && let Some(first) = raw.find('\n')
    {
        let last = raw.trim_end().rfind('\n').unwrap_or(raw.len()).max(first + 1);
        return first + 1..last;
    }
    0..raw.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::source::{Source, Span};

    fn key(n: u8) -> String {
        format!("AKIAQ2RZ7Q2RZ7Q2RZ7{}", char::from(b'A' + n))
    }

    fn found_in(text: &str, decoded: &str) -> Vec<String> {
        let sources = [Source::new("x.tf", text, SourceKind::Hcl)];
        let texts = Sources::given(&sources);
        let start = text.find('"').unwrap_or(0);
        let at = At::new(SourceId(0), Span::new(start, text.len()));
        let mut found = Found::default();
        found.consider(at, Some("user_data"), decoded, false, &texts);
        found.spans.iter().map(|(_, r)| text[r.clone()].to_string()).collect()
    }

    #[test]
    fn credentials_are_found_where_they_are_written() {
        let (a, b) = (key(0), key(1));
        let plain = format!("x = \"{a} and {b}\"");
        assert_eq!(found_in(&plain, &format!("{a} and {b}")), [a.clone(), b.clone()]);
        // With escapes, each is looked for as written after the one before.
        let escaped = format!("x = \"say \\\"{a}\\\" then {b}\"");
        assert_eq!(found_in(&escaped, &format!("say \"{a}\" then {b}")), [a.clone(), b.clone()]);
        // One written with escapes itself masks the literal's whole content.
        let hidden = format!("x = \"\\u0041{}\"", &a[1..]);
        assert_eq!(found_in(&hidden, &a), [format!("\\u0041{}", &a[1..])]);
    }

    /// Issue 12, class 6: a heredoc of many copies of one PEM header and body gave each copy a
    /// span for every copy (quadratic time and memory). Each place is marked once now.
    #[test]
    fn repeated_credentials_in_one_literal_are_marked_once_each() {
        let pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx9zQ2vLm8Wk3Tr5Y\n";
        let literal = format!("<<EOT\n{}EOT", pem.repeat(200));
        let sources = [Source::new("keys.tf", literal.clone(), SourceKind::Hcl)];
        let texts = Sources::given(&sources);
        let at = At::new(SourceId(0), Span::new(0, literal.len()));
        let decoded = pem.repeat(200);
        let mut found = Found::default();
        found.consider(at, Some("keys"), &decoded, false, &texts);
        assert_eq!(found.spans.len(), 200);
        assert!(found.spans.iter().all(|(_, r)| literal[r.clone()].starts_with("-----BEGIN")));
        // Two credentials of one literal, one of them written with escapes: the escaped one
        // is covered by the literal's whole content.
        let token = format!("ghp_{}", "aB3".repeat(12));
        let written = format!("\"{pem} {}\"", token.replace('a', "\\u0061"));
        let sources = [Source::new("x.tf", written.clone(), SourceKind::Hcl)];
        let texts = Sources::given(&sources);
        let at = At::new(SourceId(0), Span::new(0, written.len()));
        let mut found = Found::default();
        found.consider(at, Some("x"), &format!("{pem} {token}"), true, &texts);
        assert!(found.spans.iter().any(|(_, r)| *r == (1..written.len() - 1)));
    }

    #[test]
    fn content_of_literals() {
        assert_eq!(content("\"abc\""), 1..4);
        let heredoc = "<<EOT\nline1\nline2\nEOT";
        let c = content(heredoc);
        assert_eq!(&heredoc[c], "line1\nline2");
        assert_eq!(content("x"), 0..1);
    }
}
