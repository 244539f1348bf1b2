//! Terraform JSON syntax (`*.tf.json`) to the located model.
//!
//! Without provider schemas an object value cannot be told from a nested block, so objects and
//! lists of objects inside a block become nested blocks, as they do for `vpc_config` or
//! `statement`; everything else is an attribute. Strings are templates: `"${var.x}"` is a
//! reference, as in native syntax.

use crate::model::{Attribute, Block, Body, Value, ValueKind};
use std::sync::Arc;

/// Converts the parsed JSON of a `.tf.json` file into top-level blocks.
pub fn to_body(root: &Value) -> Body {
    let mut body = Body::default();
    let Some(entries) = root.as_object() else {
        return body;
    };
    for entry in entries {
        let ident = entry.key.as_str();
        let depth = match ident {
            "resource" | "data" => 2,
            "variable" | "output" | "module" | "provider" => 1,
            "locals" | "terraform" => 0,
            _ => continue,
        };
        labelled(ident, &entry.value, depth, &mut Vec::new(), entry.key_at, &mut body.blocks);
    }
    body
}

/// Walks `depth` levels of label objects down to the block bodies.
fn labelled(
    ident: &str,
    value: &Value,
    depth: usize,
    labels: &mut Vec<String>,
    header: crate::model::At,
    out: &mut Vec<Block>,
) {
    if depth == 0 {
        for item in objects(value) {
            out.push(Block {
                ident: ident.to_string(),
                labels: labels.clone(),
                at: item.at,
                header,
                body: block_body_of(item, ident == "locals"),
                full_address: None,
            });
        }
        return;
    }
    let Some(entries) = value.as_object() else {
        return;
    };
    for entry in entries {
        labels.push(entry.key.to_string());
        labelled(ident, &entry.value, depth - 1, labels, entry.key_at, out);
        labels.pop();
    }
}

/// An object, or each object of a list of objects.
fn objects(value: &Value) -> Vec<&Value> {
    match &value.kind {
        ValueKind::Object(_) => vec![value],
        ValueKind::List(items) => items.iter().filter(|i| i.as_object().is_some()).collect(),
        _ => Vec::new(),
    }
}

fn block_body(value: &Value) -> Body {
    block_body_of(value, false)
}

/// Arguments whose value is never a block: `for_each` takes a collection, objects included.
const ALWAYS_VALUES: &[&str] = &["for_each"];

/// The body of a block; with `values`, every entry is an attribute (a `locals` block).
fn block_body_of(value: &Value, values: bool) -> Body {
    let mut body = Body::default();
    for entry in value.as_object().unwrap_or_default() {
        let nested = objects(&entry.value);
        let is_block = !values
            && !ALWAYS_VALUES.contains(&entry.key.as_str())
            && !nested.is_empty()
            && (entry.value.as_object().is_some() || nested.len() == list_len(&entry.value));
        if is_block {
            for item in nested {
                body.blocks.push(Block {
                    ident: entry.key.to_string(),
                    labels: Vec::new(),
                    at: item.at,
                    header: entry.key_at,
                    body: block_body(item),
                    full_address: None,
                });
            }
            continue;
        }
        let at = crate::model::At::new(
            entry.key_at.source,
            crate::source::Span::new(entry.key_at.span.start, entry.value.at.span.end),
        );
        body.attributes.push(Attribute {
            name: entry.key.to_string(),
            at,
            key_at: entry.key_at,
            value: template(&entry.value),
        });
    }
    body
}

fn list_len(value: &Value) -> usize {
    value.as_list().map_or(0, <[Value]>::len)
}

/// Reads JSON strings as Terraform templates: `"${a.b}"` is a reference, any other `${` a template.
pub fn template(value: &Value) -> Value {
    let kind = match &value.kind {
        ValueKind::String(s) if s.contains("${") => {
            let inner = s.strip_prefix("${").and_then(|r| r.strip_suffix('}'));
            match inner {
                Some(r) if is_traversal(r) => ValueKind::Reference(r.to_string()),
                _ => ValueKind::Template(s.clone()),
            }
        }
        ValueKind::List(items) => ValueKind::List(Arc::new(items.iter().map(template).collect())),
        ValueKind::Object(entries) => ValueKind::Object(
            entries
                .iter()
                .map(|e| crate::model::Entry { key: e.key.clone(), key_at: e.key_at, value: template(&e.value) })
                .collect(),
        ),
        other => other.clone(),
    };
    Value::new(value.at, kind)
}

fn is_traversal(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}
