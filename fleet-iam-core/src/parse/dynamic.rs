//! Terraform's `dynamic` blocks, rendered as far as they are known before apply: a
//! `dynamic "statement"` of an `aws_iam_policy_document` is one block template, repeated for
//! each item of its `for_each` collection, with `statement.value` / `statement.key` standing for
//! the item.
//!
//! When the collection is written out (a list or map literal, a local that is one, `toset(...)`
//! of one, or a condition between two of them), each item gives a block in which the iterator's
//! references (`statement.value.actions`, `statement.value["actions"]`,
//! `lookup(statement.value, "actions", null)`, `try(statement.value.actions, null)`) are replaced
//! by the item's values, which keep the place they were written. Otherwise the block is rendered
//! once, with what comes from the iterator unknown: what it says for every item is still read,
//! and nothing is guessed about the rest.
//!
//! Nested `dynamic` blocks (`dynamic "principals"` inside a statement) are rendered the same
//! way. A nested block that may not be made (its collection may be empty) stays wrapped in a
//! `dynamic "ident"` block of its own, so that a reader can tell "there is one" from "there may
//! be one".

use crate::model::{Attribute, Block, Body, Entry, Value, ValueKind, template};
use std::sync::Arc;

/// Values a document may render before `dynamic` blocks are no longer expanded, but read
/// once with their iterator unknown: a long collection times a long template would otherwise
/// cost their product.
const MAX_RENDERED: usize = 20_000;

/// Locals followed, and nested `dynamic` blocks rendered, before giving up.
const MAX_DEPTH: usize = 8;

/// The locals of the module a block is written in, by name.
pub type Locals<'a> = &'a dyn Fn(&str) -> Option<&'a Value>;

/// A block of a body after its `dynamic` blocks are rendered.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    /// The block, with the iterator's references replaced.
    pub block: Block,
    /// Whether the block is in the result for certain: `false` for a `dynamic` block whose
    /// collection may be empty (a condition, or a collection known only at apply).
    pub certain: bool,
}

/// The blocks of type `ident` in `body`, written out or made by `dynamic "ident"`, in written
/// order, each with its nested `dynamic` blocks rendered too.
pub fn blocks(body: &Body, ident: &str, locals: Locals<'_>) -> Vec<Rendered> {
    let mut renderer = Renderer { locals, budget: MAX_RENDERED };
    renderer.blocks(body, ident, &[], 0)
}

/// An iterator in scope: its name, and the current item's key and value (`None` when the
/// collection is not known).
#[derive(Debug, Clone)]
struct Iteration<'v> {
    name: &'v str,
    item: Option<(Value, Value)>,
}

struct Renderer<'a> {
    locals: Locals<'a>,
    /// Values that may still be rendered.
    budget: usize,
}

impl Renderer<'_> {
    fn blocks(&mut self, body: &Body, ident: &str, scope: &[Iteration<'_>], depth: usize) -> Vec<Rendered> {
        let mut out = Vec::new();
        for block in &body.blocks {
            if block.ident == ident {
                out.push(Rendered { block: self.block(block, &block.body, scope, depth), certain: true });
                continue;
            }
            if block.ident != "dynamic" {
                continue;
            }
            // Native syntax labels the block (`dynamic "statement" {...}`); JSON syntax nests it
            // (`"dynamic": {"statement": {...}}`).
            match block.label(0) {
                Some(label) if label == ident => self.dynamic(block, &block.body, ident, scope, depth, &mut out),
                Some(_) => {}
                None => {
                    for inner in block.body.blocks(ident) {
                        self.dynamic(inner, &inner.body, ident, scope, depth, &mut out);
                    }
                }
            }
        }
        out
    }

    /// The blocks a `dynamic` block makes.
    fn dynamic(
        &mut self,
        dynamic: &Block,
        body: &Body,
        ident: &str,
        scope: &[Iteration<'_>],
        depth: usize,
        out: &mut Vec<Rendered>,
    ) {
        let Some(content) = body.blocks("content").next() else { return };
        let name = match body.attribute("iterator").map(|a| &a.value.kind) {
            Some(ValueKind::Reference(name)) => name.as_str(),
            _ => ident,
        };
        let each = body.attribute("for_each").filter(|_| depth < MAX_DEPTH).map(|each| self.value(&each.value, scope));
        let collection = each.and_then(|each| self.collection(&each, 0));
        let mut inner: Vec<Iteration<'_>> = scope.to_vec();
        inner.push(Iteration { name, item: None });
        let cost = collection.as_ref().map_or(0, |(items, _)| items.len().saturating_mul(size(&content.body)));
        match collection {
            Some((items, certain)) if cost <= self.budget => {
                self.budget -= cost;
                for item in items {
                    // An item written as an object is where the block's content comes from: what
                    // is said about the block as a whole points there.
                    let at = if item.1.as_object().is_some() { item.1.at } else { dynamic.at };
                    if let Some(last) = inner.last_mut() {
                        last.item = Some(item);
                    }
                    let mut block = self.block(dynamic, &content.body, &inner, depth + 1);
                    block.at = at;
                    out.push(Rendered { block, certain });
                }
            }
            // Rendered once, what comes from the iterator unknown.
            _ => out.push(Rendered { block: self.block(dynamic, &content.body, &inner, depth + 1), certain: false }),
        }
    }

    /// A block of type `dynamic.ident`-or-itself with `body` rendered in `scope`.
    fn block(&mut self, block: &Block, body: &Body, scope: &[Iteration<'_>], depth: usize) -> Block {
        let ident = match (block.ident.as_str(), block.label(0)) {
            ("dynamic", Some(label)) => label.to_string(),
            (ident, _) => ident.to_string(),
        };
        let mut rendered = Body {
            attributes: body
                .attributes
                .iter()
                .map(|a| Attribute { value: self.value(&a.value, scope), ..a.clone() })
                .collect(),
            blocks: Vec::new(),
        };
        // Nested blocks keep their order by type: the order of blocks of different types does
        // not matter to Terraform.
        let mut idents: Vec<&str> = Vec::new();
        for nested in &body.blocks {
            let nested_ident = match (nested.ident.as_str(), nested.label(0)) {
                ("dynamic", Some(label)) => label,
                ("dynamic", None) => continue,
                (ident, _) => ident,
            };
            if !idents.contains(&nested_ident) {
                idents.push(nested_ident);
            }
        }
        for nested in body.blocks.iter().filter(|b| b.ident == "dynamic" && b.labels.is_empty()) {
            for inner in &nested.body.blocks {
                if !idents.contains(&inner.ident.as_str()) {
                    idents.push(&inner.ident);
                }
            }
        }
        for nested_ident in idents {
            for made in self.blocks(body, nested_ident, scope, depth + 1) {
                let block = if made.certain {
                    made.block
                } else {
                    // A block that may not be made stays inside a `dynamic` block of its own.
                    Block {
                        ident: "dynamic".into(),
                        labels: vec![nested_ident.to_string()],
                        body: Body { attributes: Vec::new(), blocks: vec![made.block.clone()] },
                        ..made.block
                    }
                };
                rendered.blocks.push(block);
            }
        }
        Block { ident, labels: Vec::new(), body: rendered, ..block.clone() }
    }

    /// A value with the iterators' references replaced, as far as they are known.
    fn value(&mut self, value: &Value, scope: &[Iteration<'_>]) -> Value {
        self.try_value(value, scope).unwrap_or_else(|| Value::new(value.at, ValueKind::Null))
    }

    /// Like [`Renderer::value`]; `None` where Terraform would fail: an attribute the item does
    /// not have (which `try` and `lookup` turn into their default).
    fn try_value(&mut self, value: &Value, scope: &[Iteration<'_>]) -> Option<Value> {
        if scope.is_empty() {
            return Some(value.clone());
        }
        self.budget = self.budget.saturating_sub(1);
        let kind = match &value.kind {
            ValueKind::Reference(reference) => return self.reference(value, reference, scope),
            ValueKind::Template(text) => return Some(self.template(value, text, scope)),
            ValueKind::List(items) => ValueKind::List(Arc::new(items.iter().map(|i| self.value(i, scope)).collect())),
            ValueKind::Object(entries) => ValueKind::Object(
                entries.iter().map(|e| Entry { value: self.value(&e.value, scope), ..e.clone() }).collect(),
            ),
            ValueKind::Call(call) => return self.call(value, call, scope),
            ValueKind::Conditional(parts) => {
                let [cond, then, otherwise] = parts.as_ref();
                let cond = self.value(cond, scope);
                match cond.as_bool() {
                    Some(true) => return self.try_value(then, scope),
                    Some(false) => return self.try_value(otherwise, scope),
                    None => {
                        ValueKind::Conditional(Box::new([cond, self.value(then, scope), self.value(otherwise, scope)]))
                    }
                }
            }
            ValueKind::Operation(operation) => {
                let operands: Vec<Value> = operation.operands.iter().map(|o| self.value(o, scope)).collect();
                match compare(operation.operator, &operands) {
                    Some(b) => ValueKind::Bool(b),
                    None => ValueKind::Operation(Box::new(crate::model::Operation {
                        operator: operation.operator,
                        operands,
                    })),
                }
            }
            _ => return Some(value.clone()),
        };
        Some(Value::new(value.at, kind))
    }

    /// `statement.value.actions`, `statement.value["actions"]`, `statement.key`: the item's value
    /// (unknown when the collection is); any other reference as written.
    fn reference(&mut self, value: &Value, reference: &str, scope: &[Iteration<'_>]) -> Option<Value> {
        let unknown = Value::new(value.at, ValueKind::Unknown);
        let Some((iteration, rest)) = scope.iter().rev().find_map(|i| {
            let rest = reference.strip_prefix(i.name)?;
            (rest.is_empty() || rest.starts_with(['.', '['])).then_some((i, rest))
        }) else {
            return Some(value.clone());
        };
        let Some((key, item)) = &iteration.item else { return Some(unknown) };
        let Some(steps) = steps(rest) else { return Some(unknown) };
        let mut steps = steps.into_iter();
        let mut current = match steps.next() {
            Some(Step::Attribute(a)) if a == "value" => item.clone(),
            Some(Step::Attribute(a)) if a == "key" => key.clone(),
            _ => return Some(unknown),
        };
        for step in steps {
            current = match step {
                Step::Unreadable => return Some(unknown),
                step => index(&current, &step)?,
            };
        }
        self.budget = self.budget.saturating_sub(size_of_value(&current));
        Some(current)
    }

    /// A template whose interpolations name the iterator: rendered when each is a plain
    /// reference to a string; unknown otherwise.
    fn template(&mut self, value: &Value, text: &str, scope: &[Iteration<'_>]) -> Value {
        let names_iterator = |refs: &[(usize, String)]| {
            refs.iter().any(|(_, r)| scope.iter().any(|i| r == i.name || r.starts_with(&format!("{}.", i.name))))
        };
        if !names_iterator(&template::references(text, &[])) {
            return value.clone();
        }
        let unknown = Value::new(value.at, ValueKind::Unknown);
        let bytes = text.as_bytes();
        let mut out = String::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i..].starts_with(b"$${") {
                out.push_str("$${");
                i += 3;
            } else if bytes[i..].starts_with(b"${") {
                let end = template::interpolation_end(bytes, i + 2);
                let inner = text.get(i + 2..end.saturating_sub(1)).unwrap_or_default().trim();
                let whole = text.get(i..end).unwrap_or_default();
                if names_iterator(&template::references(whole, &[])) {
                    let as_reference = Value::new(value.at, ValueKind::Reference(inner.to_string()));
                    match self.reference(&as_reference, inner, scope).map(|v| v.kind) {
                        Some(ValueKind::String(s)) if !s.contains(['$', '%', '\\', '"']) => out.push_str(&s),
                        Some(ValueKind::Number(n)) => out.push_str(&n),
                        _ => return unknown,
                    }
                } else {
                    out.push_str(whole);
                }
                i = end;
            } else {
                let next = text.get(i..).and_then(|t| t.find('$')).map_or(text.len(), |n| i + n.max(1));
                out.push_str(text.get(i..next).unwrap_or_default());
                i = next;
            }
        }
        let kind = if out.contains(['$', '%', '\\']) { ValueKind::Template(out) } else { ValueKind::String(out) };
        Value::new(value.at, kind)
    }

    /// The functions that read an item: `lookup`, `try`, `coalesce`; other calls keep their
    /// arguments rendered.
    fn call(&mut self, value: &Value, call: &crate::model::Call, scope: &[Iteration<'_>]) -> Option<Value> {
        let unknown = Value::new(value.at, ValueKind::Unknown);
        match (call.name.as_str(), call.args.as_slice()) {
            ("lookup", [map, key, rest @ ..]) if rest.len() <= 1 => {
                let map = self.value(map, scope);
                let key = self.value(key, scope);
                let (Some(entries), Some(key)) = (map.as_object(), key.as_str()) else { return Some(unknown) };
                match entries.iter().find(|e| e.key == key) {
                    Some(entry) => Some(entry.value.clone()),
                    None => rest.first().map(|default| self.value(default, scope)),
                }
            }
            ("try", args) => {
                for arg in args {
                    match self.try_value(arg, scope) {
                        Some(v) if v.kind == ValueKind::Unknown => return Some(unknown),
                        Some(v) => return Some(v),
                        None => {}
                    }
                }
                None
            }
            ("coalesce", args) => {
                for arg in args {
                    let v = self.value(arg, scope);
                    match &v.kind {
                        ValueKind::Null => {}
                        ValueKind::String(s) if s.is_empty() => {}
                        ValueKind::String(_) | ValueKind::Number(_) | ValueKind::Bool(_) => return Some(v),
                        _ => return Some(unknown),
                    }
                }
                Some(unknown)
            }
            _ => {
                let args = call.args.iter().map(|a| self.value(a, scope)).collect();
                let call = crate::model::Call { name: call.name.clone(), args };
                Some(Value::new(value.at, ValueKind::Call(Box::new(call))))
            }
        }
    }

    /// The items of a `for_each` collection with their keys, and whether they are all in the
    /// result for certain; `None` when the collection is known only at apply.
    fn collection(&self, value: &Value, depth: usize) -> Option<(Vec<(Value, Value)>, bool)> {
        if depth > MAX_DEPTH {
            return None;
        }
        match &value.kind {
            ValueKind::List(items) => {
                let keyed = items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (Value::new(v.at, ValueKind::Number(i.to_string().as_str().into())), v.clone()));
                Some((keyed.collect(), true))
            }
            ValueKind::Object(entries) => Some((
                entries
                    .iter()
                    .map(|e| (Value::new(e.key_at, ValueKind::String(e.key.to_string())), e.value.clone()))
                    .collect(),
                true,
            )),
            ValueKind::Reference(reference) => {
                let name = reference.strip_prefix("local.")?;
                self.collection((self.locals)(name)?, depth + 1)
            }
            ValueKind::Call(call) => match (call.name.as_str(), call.args.as_slice()) {
                ("toset", [arg]) => {
                    // A set's keys are its values.
                    let (items, certain) = self.collection(arg, depth + 1)?;
                    Some((items.into_iter().map(|(_, v)| (v.clone(), v)).collect(), certain))
                }
                ("tolist" | "tomap", [arg]) => self.collection(arg, depth + 1),
                _ => None,
            },
            // `var.enabled ? [1] : []`: either branch's items, none of them certain.
            ValueKind::Conditional(parts) => {
                let (then, _) = self.collection(&parts[1], depth + 1)?;
                let (otherwise, _) = self.collection(&parts[2], depth + 1)?;
                Some((then.into_iter().chain(otherwise).collect(), false))
            }
            _ => None,
        }
    }
}

/// One step of a traversal after `.value` or `.key`.
enum Step {
    Attribute(String),
    Index(usize),
    /// A step that is not an attribute or literal index (`[local.i]`): unknown.
    Unreadable,
}

/// The steps of `.actions`, `["actions"]`, `[0]`, in order; `None` for a malformed path.
fn steps(path: &str) -> Option<Vec<Step>> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            out.push(Step::Attribute(after[..end].to_string()));
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']')?;
            let inner = &after[..end];
            let step = match (inner.strip_prefix('"').and_then(|s| s.strip_suffix('"')), inner.parse::<usize>()) {
                (Some(key), _) => Step::Attribute(key.to_string()),
                (None, Ok(i)) => Step::Index(i),
                _ => Step::Unreadable,
            };
            out.push(step);
            rest = &after[end + 1..];
        } else {
            return None;
        }
    }
    Some(out)
}

/// One step into a value; `None` for an attribute the object does not have.
fn index(value: &Value, step: &Step) -> Option<Value> {
    let unknown = || Some(Value::new(value.at, ValueKind::Unknown));
    match (&value.kind, step) {
        (ValueKind::Object(entries), Step::Attribute(key)) => {
            entries.iter().find(|e| e.key == key.as_str()).map(|e| e.value.clone())
        }
        (ValueKind::List(items), Step::Index(i)) => items.get(*i).cloned().or_else(unknown),
        (ValueKind::Null, _) => None,
        _ => unknown(),
    }
}

/// `x == null`, `x != null` and comparisons of two literals; `None` when an operand is not known.
fn compare(operator: &str, operands: &[Value]) -> Option<bool> {
    let [a, b] = operands else { return None };
    let literal = |v: &Value| {
        matches!(v.kind, ValueKind::Null | ValueKind::Bool(_) | ValueKind::Number(_) | ValueKind::String(_))
            || matches!(v.kind, ValueKind::List(_) | ValueKind::Object(_))
    };
    if !literal(a) || !literal(b) {
        return None;
    }
    let (a_null, b_null) = (a.kind == ValueKind::Null, b.kind == ValueKind::Null);
    let equal = if a_null || b_null {
        a_null && b_null
    } else {
        match (&a.kind, &b.kind) {
            (ValueKind::String(x), ValueKind::String(y)) => x == y,
            (ValueKind::Bool(x), ValueKind::Bool(y)) => x == y,
            (ValueKind::Number(x), ValueKind::Number(y)) => x.as_str() == y.as_str(),
            _ => return None,
        }
    };
    match operator {
        "==" => Some(equal),
        "!=" => Some(!equal),
        _ => None,
    }
}

/// The number of values in a body: what rendering it once costs.
fn size(body: &Body) -> usize {
    body.attributes.iter().map(|a| size_of_value(&a.value)).sum::<usize>()
        + body.blocks.iter().map(|b| 1 + size(&b.body)).sum::<usize>()
}

fn size_of_value(value: &Value) -> usize {
    1 + match &value.kind {
        ValueKind::List(items) => items.iter().map(size_of_value).sum(),
        ValueKind::Object(entries) => entries.iter().map(|e| size_of_value(&e.value)).sum(),
        ValueKind::Call(call) => call.args.iter().map(size_of_value).sum(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SourceId;
    use crate::parse::hcl;

    fn render(text: &str) -> Vec<Rendered> {
        let body = hcl::parse(text, SourceId(0)).unwrap();
        blocks(&body.blocks[0].body, "statement", &|_| None)
    }

    #[test]
    fn a_collection_too_long_to_render_is_read_once_as_a_template() {
        let items = vec!["{ actions = [\"s3:GetObject\"] }"; 5_000].join(", ");
        let content = (0..10).map(|i| format!("a{i} = statement.value.actions\n")).collect::<String>();
        let text = format!(
            "data \"x\" \"y\" {{\n dynamic \"statement\" {{\n for_each = [{items}]\n content {{\n {content} }}\n }}\n}}\n"
        );
        let rendered = render(&text);
        assert_eq!(rendered.len(), 1);
        assert!(!rendered[0].certain);
        assert_eq!(rendered[0].block.body.attributes[0].value.kind, ValueKind::Unknown);
    }

    #[test]
    fn templates_and_odd_references_render_or_stay_unknown() {
        let text = r#"data "x" "y" {
  dynamic "statement" {
    for_each = { a = "é", b = ["x"] }
    content {
      t1 = "arn:${statement.value}/$${aws:username}/${var.x}"
      t2 = "${statement.value[0]}${statement.value.nope}"
      t3 = statement.value[local.i]
      t4 = statement.values
      t5 = lookup(statement.value)
      t6 = coalesce(null, "", statement.key)
    }
  }
}
"#;
        let rendered = render(text);
        assert_eq!(rendered.len(), 2);
        let attr = |r: &Rendered, name: &str| r.block.body.attribute(name).unwrap().value.kind.clone();
        assert_eq!(attr(&rendered[0], "t1"), ValueKind::Template("arn:é/$${aws:username}/${var.x}".into()));
        assert_eq!(attr(&rendered[0], "t6"), ValueKind::String("a".into()));
        for name in ["t2", "t3", "t4", "t5"] {
            assert!(
                matches!(attr(&rendered[0], name), ValueKind::Unknown | ValueKind::Null | ValueKind::Call(_)),
                "{name}"
            );
        }
    }

    #[test]
    fn deep_nesting_stops() {
        let mut text = String::from("data \"x\" \"y\" {\n");
        for _ in 0..20 {
            text.push_str("dynamic \"statement\" {\n for_each = [1]\n content {\n");
        }
        for _ in 0..20 {
            text.push_str("}\n}\n");
        }
        text.push_str("}\n");
        let rendered = render(&text);
        assert_eq!(rendered.len(), 1);
    }
}
