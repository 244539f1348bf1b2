//! Static value resolution: the one resolver every rule uses. Literals, `var.x` (from tfvars,
//! `--var-file`, `--var`, then the variable's default), `local.x`, simple conditionals and
//! comparisons, lists and objects. The result remembers where its value was written, so that a
//! diagnostic at `endpoint_public_access = var.public_api` can point at the default or tfvars
//! line that made it true. What cannot be resolved is `Unknown`, never guessed.

use crate::model::{At, Module, Value, ValueKind, VarSource};
use std::cell::Cell;
use std::sync::Arc;

/// Nesting of references followed before giving up (a cycle, or a pathological chain).
const MAX_DEPTH: usize = 16;

/// Values one [`Resolver::resolve`] may build before giving up. Depth alone does not bound the
/// work: `a = [local.a, local.a, ...]` doubles, triples... at every level it is followed.
const MAX_VALUES: usize = 10_000;

/// A resolved value and, when it was written somewhere else than where it is used, that place.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// A literal (or a list/object of resolved values), or `Unknown`.
    pub value: Value,
    /// Where the deciding value was written, with a description (`the default of `var.x``).
    pub origin: Option<(At, String)>,
}

impl Resolved {
    /// The resolved boolean, if known.
    pub fn as_bool(&self) -> Option<bool> {
        self.value.as_bool()
    }

    /// The resolved string, if known.
    pub fn as_str(&self) -> Option<&str> {
        self.value.as_str()
    }

    /// The resolved number, if known.
    pub fn as_number(&self) -> Option<f64> {
        match &self.value.kind {
            ValueKind::Number(n) => n.parse().ok(),
            ValueKind::String(s) => s.parse().ok(),
            _ => None,
        }
    }
}

/// Resolves values in the context of one module.
pub struct Resolver<'m> {
    module: &'m Module,
    /// How many more values the current [`Resolver::resolve`] may build.
    budget: Cell<usize>,
}

impl<'m> Resolver<'m> {
    /// A resolver for expressions written in `module`.
    pub fn new(module: &'m Module) -> Resolver<'m> {
        Resolver { module, budget: Cell::new(MAX_VALUES) }
    }

    /// The module whose expressions it resolves.
    pub fn module(&self) -> &'m Module {
        self.module
    }

    /// Resolves a value as far as it can be known before apply.
    pub fn resolve(&self, value: &Value) -> Resolved {
        self.budget.set(MAX_VALUES);
        self.at_depth(value, 0)
    }

    /// Takes `n` values from the budget; `false` when fewer are left, which ends the budget.
    fn spend(&self, n: usize) -> bool {
        let left = self.budget.get();
        self.budget.set(left.saturating_sub(n));
        n <= left
    }

    fn at_depth(&self, value: &Value, depth: usize) -> Resolved {
        let unknown = || Resolved { value: Value::new(value.at, ValueKind::Unknown), origin: None };
        let children = match &value.kind {
            ValueKind::List(items) => items.len(),
            ValueKind::Object(entries) => entries.len(),
            ValueKind::Call(call) => call.args.len(),
            _ => 0,
        };
        // A collection is paid for before its items are built, so that a long list is not
        // built at all once the budget is spent.
        if depth > MAX_DEPTH || !self.spend(1 + children) {
            return unknown();
        }
        let plain = |kind: ValueKind| Resolved { value: Value::new(value.at, kind), origin: None };
        match &value.kind {
            ValueKind::Null | ValueKind::Bool(_) | ValueKind::Number(_) | ValueKind::String(_) => {
                Resolved { value: value.clone(), origin: None }
            }
            ValueKind::List(items) => {
                plain(ValueKind::List(Arc::new(items.iter().map(|i| self.at_depth(i, depth + 1).value).collect())))
            }
            ValueKind::Object(entries) => plain(ValueKind::Object(
                entries
                    .iter()
                    .map(|e| crate::model::Entry { value: self.at_depth(&e.value, depth + 1).value, ..e.clone() })
                    .collect(),
            )),
            ValueKind::Reference(reference) => self.reference(value, reference, depth).unwrap_or_else(unknown),
            ValueKind::Conditional(parts) => {
                let [cond, then, otherwise] = parts.as_ref();
                match self.at_depth(cond, depth + 1).as_bool() {
                    Some(true) => self.at_depth(then, depth + 1),
                    Some(false) => self.at_depth(otherwise, depth + 1),
                    None => {
                        let (a, b) = (self.at_depth(then, depth + 1), self.at_depth(otherwise, depth + 1));
                        if is_known(&a.value) && same(&a.value, &b.value) { a } else { unknown() }
                    }
                }
            }
            ValueKind::Operation(operation) => {
                let operator = operation.operator;
                let operands: Vec<Value> =
                    operation.operands.iter().map(|o| self.at_depth(o, depth + 1).value).collect();
                operate(operator, &operands).map_or_else(unknown, |b| plain(ValueKind::Bool(b)))
            }
            ValueKind::Call(call) if matches!(call.name.as_str(), "tolist" | "toset" | "concat") => {
                let mut items = Vec::new();
                for arg in &call.args {
                    let resolved = self.at_depth(arg, depth + 1).value;
                    let ValueKind::List(list) = resolved.kind else { return unknown() };
                    items.extend(list.iter().cloned());
                }
                plain(ValueKind::List(Arc::new(items)))
            }
            ValueKind::Template(_) | ValueKind::Call(_) | ValueKind::Unknown => unknown(),
        }
    }

    fn reference(&self, value: &Value, reference: &str, depth: usize) -> Option<Resolved> {
        let mut parts = reference.split('.');
        let (root, name) = (parts.next()?, parts.next()?);
        let rest: Vec<&str> = parts.collect();
        let (target, description) = match root {
            "var" => {
                let var = self.module.vars.get(name)?;
                let description = match &var.source {
                    VarSource::Default => format!("the default of `var.{name}`"),
                    VarSource::File(file) => {
                        format!("`{name}` is set in {}", file.rsplit(['/', '\\']).next().unwrap_or(file))
                    }
                    VarSource::CommandLine => return Some(self.follow(&var.value, &rest, depth)),
                };
                (&var.value, description)
            }
            "local" => (self.module.local(name)?, format!("`local.{name}` is set here")),
            _ => return None,
        };
        let mut resolved = self.follow(target, &rest, depth);
        if resolved.origin.is_none() && is_known(&resolved.value) && resolved.value.at != value.at {
            resolved.origin = Some((resolved.value.at, description));
        }
        Some(resolved)
    }

    /// Resolves `target`, then looks up `.key` attributes of the result.
    fn follow(&self, target: &Value, path: &[&str], depth: usize) -> Resolved {
        let mut resolved = self.at_depth(target, depth + 1);
        for key in path {
            let Some(entry) = resolved.value.get(key) else {
                return Resolved { value: Value::new(resolved.value.at, ValueKind::Unknown), origin: None };
            };
            resolved.value = entry.value.clone();
        }
        resolved
    }
}

/// Whether a resolved value is fully known.
pub fn is_known(value: &Value) -> bool {
    match &value.kind {
        ValueKind::Null | ValueKind::Bool(_) | ValueKind::Number(_) | ValueKind::String(_) => true,
        ValueKind::List(items) => items.iter().all(is_known),
        ValueKind::Object(entries) => entries.iter().all(|e| is_known(&e.value)),
        _ => false,
    }
}

/// Equality of two known values, ignoring where they were written.
fn same(a: &Value, b: &Value) -> bool {
    match (&a.kind, &b.kind) {
        (ValueKind::List(x), ValueKind::List(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(a, b)| same(a, b))
        }
        (ValueKind::Object(x), ValueKind::Object(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| a.key == b.key && same(&a.value, &b.value))
        }
        (ValueKind::Number(x), ValueKind::Number(y)) => x.parse::<f64>().ok() == y.parse::<f64>().ok(),
        (x, y) => x == y,
    }
}

fn operate(operator: &str, operands: &[Value]) -> Option<bool> {
    match (operator, operands) {
        ("!", [x]) => x.as_bool().map(|b| !b),
        ("==", [a, b]) if is_known(a) && is_known(b) => Some(same(a, b)),
        ("!=", [a, b]) if is_known(a) && is_known(b) => Some(!same(a, b)),
        ("&&", [a, b]) => match (a.as_bool(), b.as_bool()) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), Some(true)) => Some(true),
            _ => None,
        },
        ("||", [a, b]) => match (a.as_bool(), b.as_bool()) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (Some(false), Some(false)) => Some(false),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Attribute, Block, Body};

    fn locals(attributes: Vec<(&str, Value)>) -> Module {
        let attributes = attributes
            .into_iter()
            .map(|(name, value)| Attribute { name: name.into(), at: At::default(), key_at: At::default(), value })
            .collect();
        let block = Block {
            ident: "locals".into(),
            labels: Vec::new(),
            at: At::default(),
            header: At::default(),
            body: Body { attributes, blocks: Vec::new() },
            full_address: None,
        };
        Module { blocks: vec![block], ..Module::default() }
    }

    fn size(value: &Value) -> usize {
        1 + match &value.kind {
            ValueKind::List(items) => items.iter().map(size).sum(),
            ValueKind::Object(entries) => entries.iter().map(|e| size(&e.value)).sum(),
            _ => 0,
        }
    }

    #[test]
    fn a_list_of_itself_does_not_expand_exponentially() {
        // `a = [local.a, ...]`: 6^8 values within the depth limit alone.
        let reference = Value::new(At::default(), ValueKind::Reference("local.a".into()));
        let module = locals(vec![("a", Value::new(At::default(), ValueKind::List(vec![reference.clone(); 6].into())))]);
        let resolver = Resolver::new(&module);
        let resolved = resolver.resolve(&reference);
        assert!(!is_known(&resolved.value));
        assert!(size(&resolved.value) <= MAX_VALUES, "{} values", size(&resolved.value));
        // The budget is per question: the next one starts afresh.
        let literal =
            Value::new(At::default(), ValueKind::List(vec![Value::new(At::default(), ValueKind::Bool(true))].into()));
        assert!(is_known(&resolver.resolve(&literal).value));
    }
}
