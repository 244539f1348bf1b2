//! Finds every secret value in the inputs, so that no output ever shows one: rule messages are
//! masked by the engine, and renderers pass their output through [`Secrets::redact`].
//!
//! A value is a secret when [`crate::secrets`] says so: a non-placeholder string under a name
//! that holds a secret (an attribute, object key, `variable` default, Helm `{name, value}` pair,
//! plan variable value), or a match of a known credential format anywhere.

use crate::model::{Body, Module, Value, ValueKind};
use crate::secrets::{find_credentials, holds_secret, is_placeholder, mask, needles, redact};
use aho_corasick::{AhoCorasick, MatchKind};
use std::collections::BTreeSet;
use std::fmt;
use std::sync::OnceLock;

/// The secret values found in a check's inputs. Its `Debug` shows only how many there are.
#[derive(Clone, Default)]
pub struct Secrets {
    values: BTreeSet<String>,
    /// Every form of every secret of 4 characters or more, found in one pass, and the shorter
    /// secrets; built on first use.
    matcher: OnceLock<Matcher>,
}

#[derive(Clone, Default)]
struct Matcher {
    long: Option<(AhoCorasick, Vec<String>)>,
    short: Vec<String>,
}

impl PartialEq for Secrets {
    fn eq(&self, other: &Secrets) -> bool {
        self.values == other.values
    }
}

impl Eq for Secrets {}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secrets({} values, not shown)", self.values.len())
    }
}

impl Secrets {
    /// `text` with every secret value (also as JSON and HCL escape it) masked: `"gr****"`.
    pub fn redact(&self, text: &str) -> String {
        let matcher = self.matcher.get_or_init(|| self.build());
        let mut text = match &matcher.long {
            Some((matcher, masks)) => matcher.replace_all(text, masks),
            None => text.to_string(),
        };
        // Secrets shorter than 4 characters are only masked where they stand alone.
        for secret in &matcher.short {
            if text.contains(secret.as_str()) {
                text = redact(&text, secret);
            }
        }
        text
    }

    /// A writer that passes everything written to it on to `inner` with every secret masked, as
    /// [`Secrets::redact`] masks a whole text, without holding a large report in memory: it keeps
    /// back only the bytes a secret could still be completing. (With a secret shorter than 4
    /// characters, which is masked only where it stands alone, it keeps everything until
    /// [`std::io::Write::flush`].)
    pub fn masking_writer<W: std::io::Write>(&self, inner: W) -> MaskingWriter<'_, W> {
        MaskingWriter { secrets: self, inner, pending: Vec::new() }
    }

    /// `text` with every secret value of 4 characters or more masked in place: its first two
    /// characters kept, every other byte a `*`, so that byte offsets into `text` stay valid. For
    /// source excerpts, which a renderer may cut in the middle of a secret.
    pub fn mask_in_place(&self, text: &str) -> String {
        let matcher = self.matcher.get_or_init(|| self.build());
        let Some((matcher, _)) = &matcher.long else { return text.to_string() };
        let mut out = text.as_bytes().to_vec();
        for m in matcher.find_iter(text) {
            let keep = text[m.start()..m.end()].char_indices().nth(2).map_or(m.end(), |(i, _)| m.start() + i);
            out[keep..m.end()].iter_mut().for_each(|b| *b = b'*');
        }
        // Whole characters were kept and the rest replaced by ASCII: still UTF-8.
        String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }

    fn build(&self) -> Matcher {
        let short = self.values.iter().filter(|s| s.chars().count() < 4).cloned().collect();
        Matcher { long: self.build_long(), short }
    }

    fn build_long(&self) -> Option<(AhoCorasick, Vec<String>)> {
        let (mut patterns, mut masks) = (Vec::new(), Vec::new());
        for secret in self.values.iter().filter(|s| s.chars().count() >= 4) {
            let masked = mask(secret);
            for needle in needles(secret).into_iter().filter(|n| n.chars().count() >= 4) {
                patterns.push(needle);
                masks.push(masked.clone());
            }
        }
        if patterns.is_empty() {
            return None;
        }
        let matcher = AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(&patterns).ok()?;
        Some((matcher, masks))
    }

    /// Adds the values of another collection.
    pub(crate) fn extend(&mut self, other: Secrets) {
        self.values.extend(other.values);
        self.matcher = OnceLock::new();
    }

    /// How many secret values the inputs hold.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether the inputs hold no secret value.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    fn consider(&mut self, name: Option<&str>, text: &str, literal: bool) {
        if text.is_empty() {
            return;
        }
        // A new value invalidates the matcher.
        self.matcher = OnceLock::new();
        if literal && name.is_some_and(holds_secret) && !is_placeholder(text) {
            self.values.insert(text.to_string());
        }
        for credential in find_credentials(text) {
            let found = &text[credential.range];
            if !is_placeholder(found) {
                self.values.insert(found.to_string());
            }
        }
    }

    /// Collects the secrets of a module's blocks.
    pub(crate) fn add_module(&mut self, module: &Module) {
        for block in &module.blocks {
            let label = if block.ident == "variable" { block.label(0) } else { None };
            self.add_body(&block.body, label);
        }
    }

    /// Collects the secrets of a body. `default_name` names a `variable` block's `default`.
    pub(crate) fn add_body(&mut self, body: &Body, default_name: Option<&str>) {
        // `set { name = "adminPassword"  value = ... }`: the value is named by `name`.
        let pair_name = body.attribute("name").and_then(|a| a.value.as_str());
        for attr in &body.attributes {
            let name = match attr.name.as_str() {
                "value" if pair_name.is_some() => pair_name,
                "default" if default_name.is_some() => default_name,
                other => Some(other),
            };
            self.add_value(&attr.value, name);
        }
        for block in &body.blocks {
            self.add_body(&block.body, None);
        }
    }

    /// Collects the secrets of a value written under `name`.
    pub(crate) fn add_value(&mut self, value: &Value, name: Option<&str>) {
        match &value.kind {
            ValueKind::String(text) => self.consider(name, text, true),
            ValueKind::Template(text) => self.consider(name, text, false),
            ValueKind::List(items) => items.iter().for_each(|i| self.add_value(i, name)),
            ValueKind::Object(entries) => {
                let pair_name = entries.iter().find(|e| e.key == "name").and_then(|e| e.value.as_str());
                for entry in entries {
                    let key = match entry.key.as_str() {
                        "value" if pair_name.is_some() => pair_name,
                        // Plan JSON: `variables.NAME.value`, `expressions.x.constant_value`.
                        "value" | "default" | "constant_value" => name,
                        other => Some(other),
                    };
                    self.add_value(&entry.value, key);
                }
            }
            ValueKind::Call(call) => call.args.iter().for_each(|a| self.add_value(a, name)),
            ValueKind::Conditional(parts) => parts.iter().for_each(|p| self.add_value(p, name)),
            ValueKind::Operation(operation) => operation.operands.iter().for_each(|o| self.add_value(o, name)),
            _ => {}
        }
    }
}

/// See [`Secrets::masking_writer`].
pub struct MaskingWriter<'s, W: std::io::Write> {
    secrets: &'s Secrets,
    inner: W,
    /// Written, not yet passed on.
    pending: Vec<u8>,
}

impl<W: std::io::Write> MaskingWriter<'_, W> {
    /// Passes on the masked text of `pending` up to where a secret could still be completing
    /// (all of it when `all`), keeping the rest.
    fn pass_on(&mut self, all: bool) -> std::io::Result<()> {
        let matcher = self.secrets.matcher.get_or_init(|| self.secrets.build());
        if !matcher.short.is_empty() {
            if all {
                let masked = self.secrets.redact(&String::from_utf8_lossy(&self.pending));
                self.inner.write_all(masked.as_bytes())?;
                self.pending.clear();
            }
            return Ok(());
        }
        let Some((ac, masks)) = &matcher.long else {
            // No secret at all.
            self.inner.write_all(&self.pending)?;
            self.pending.clear();
            return Ok(());
        };
        // A match that starts before `cut` ends inside what is pending: the longest needle is
        // at most `longest` bytes.
        let longest = ac.max_pattern_len();
        let cut = if all { self.pending.len() } else { self.pending.len().saturating_sub(longest.saturating_sub(1)) };
        let mut last = 0;
        for m in ac.find_iter(&self.pending) {
            if m.start() >= cut {
                break;
            }
            self.inner.write_all(self.pending.get(last..m.start()).unwrap_or_default())?;
            self.inner.write_all(masks.get(m.pattern().as_usize()).map_or("****", String::as_str).as_bytes())?;
            last = m.end();
        }
        let done = last.max(cut);
        self.inner.write_all(self.pending.get(last..done).unwrap_or_default())?;
        self.pending.drain(..done);
        Ok(())
    }
}

impl<W: std::io::Write> std::io::Write for MaskingWriter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if self.pending.len() >= 1 << 20 {
            self.pass_on(false)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.pass_on(true)?;
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_masking_writer_masks_as_redact_does_however_the_text_is_cut() {
        use std::io::Write;
        let mut secrets = Secrets::default();
        secrets.consider(Some("db_password"), "hunter2-correct-horse", true);
        secrets.consider(Some("api_token"), "ab\"cd/ef-long-enough", true);
        let text =
            "a hunter2-correct-horse b \"hunter2-correct-horse\" é ab\\\"cd\\/ef-long-enough hunter2-correct-horse";
        let want = secrets.redact(text);
        assert!(!want.contains("correct-horse"), "{want}");
        for chunk in 1..text.len() + 1 {
            let mut out = Vec::new();
            let mut writer = secrets.masking_writer(&mut out);
            for piece in text.as_bytes().chunks(chunk) {
                writer.write_all(piece).unwrap();
                // Pass on as much as may be passed on after every piece, not only past 1 MiB.
                writer.pass_on(false).unwrap();
            }
            writer.flush().unwrap();
            drop(writer);
            assert_eq!(String::from_utf8(out).unwrap(), want, "chunks of {chunk}");
        }
        // A short secret takes the path that keeps everything until flush, with the same result.
        secrets.consider(Some("pin"), "x9", true);
        let mut out = Vec::new();
        let mut writer = secrets.masking_writer(&mut out);
        for piece in "pin x9 hunter2-correct-horse".as_bytes().chunks(3) {
            writer.write_all(piece).unwrap();
            writer.pass_on(false).unwrap();
        }
        writer.flush().unwrap();
        drop(writer);
        assert_eq!(String::from_utf8(out).unwrap(), secrets.redact("pin x9 hunter2-correct-horse"));
    }
}
