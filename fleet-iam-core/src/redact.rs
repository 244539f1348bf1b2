//! Finds every secret value in the inputs, so that no output ever shows one: rule messages are
//! masked by the engine, and renderers pass their output through [`Secrets::redact`].
//!
//! A value is a secret when [`crate::secrets`] says so: a non-placeholder string under a name
//! that holds a secret (an attribute, object key, `variable` default, Helm `{name, value}` pair,
//! plan variable value), or a match of a known credential format anywhere.

use crate::model::{Body, Module, Value, ValueKind};
use crate::secrets::{NameClass, classify_name, find_credentials, is_placeholder, mask, needles, redact};
use aho_corasick::{AhoCorasick, MatchKind};
use std::collections::BTreeSet;
use std::fmt;
use std::sync::OnceLock;

/// The secret values found in a check's inputs. Its `Debug` shows only how many there are.
#[derive(Clone, Default)]
pub struct Secrets {
    values: BTreeSet<String>,
    /// Every form of every secret of 4 characters or more, found in one pass; built on first use.
    matcher: OnceLock<Option<(AhoCorasick, Vec<String>)>>,
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
        let mut text = match self.matcher.get_or_init(|| self.build()) {
            Some((matcher, masks)) => matcher.replace_all(text, masks),
            None => text.to_string(),
        };
        // Secrets shorter than 4 characters are only masked where they stand alone.
        for secret in self.values.iter().filter(|s| s.chars().count() < 4) {
            if text.contains(secret.as_str()) {
                text = redact(&text, secret);
            }
        }
        text
    }

    fn build(&self) -> Option<(AhoCorasick, Vec<String>)> {
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
        if literal && !is_placeholder(text) && name.is_some_and(|n| classify_name(n) == NameClass::Secret) {
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
            ValueKind::Call { args, .. } => args.iter().for_each(|a| self.add_value(a, name)),
            ValueKind::Conditional(parts) => parts.iter().for_each(|p| self.add_value(p, name)),
            ValueKind::Operation { operands, .. } => operands.iter().for_each(|o| self.add_value(o, name)),
            _ => {}
        }
    }
}
