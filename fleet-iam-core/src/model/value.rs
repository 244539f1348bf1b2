//! Located values: literals, collections and the expressions that cannot be evaluated statically.

use crate::source::Span;
use std::sync::Arc;

/// Index of a source in the slice given to [`crate::check`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct SourceId(pub usize);

/// A span in a particular source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct At {
    /// Which source.
    pub source: SourceId,
    /// Where in it.
    pub span: Span,
}

impl At {
    /// A span in a source.
    pub fn new(source: SourceId, span: Span) -> At {
        At { source, span }
    }
}

/// A value with the place it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    /// Where the value's expression is, quotes included.
    pub at: At,
    /// What it is.
    pub kind: ValueKind,
}

/// The shapes a value can take.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ValueKind {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written.
    Number(Number),
    /// A string without interpolations, decoded.
    String(String),
    /// A string with `${...}` interpolations or `%{...}` directives, as written between its quotes.
    Template(String),
    /// A list or tuple, shared by its copies: a plan's module for the rules holds the plan's
    /// lists, not copies of them (a list of a million numbers is 56 MB).
    List(Arc<Vec<Value>>),
    /// An object or map, keys in written order.
    Object(Vec<Entry>),
    /// A reference such as `var.x`, `local.y` or `data.aws_iam_policy_document.x.json`, as written.
    Reference(String),
    /// A function call (boxed: calls are rare, and every other variant is smaller).
    Call(Box<Call>),
    /// `cond ? then : otherwise`.
    Conditional(Box<[Value; 3]>),
    /// A unary or binary operation: `!x`, `a == b`, `a && b` (boxed, as calls are).
    Operation(Box<Operation>),
    /// Any other expression (a `for` expression that makes new values, a splat): not known before
    /// apply.
    Unknown,
}

/// A function call: `jsonencode({...})`. A `for` expression that keeps some of a collection's
/// values as they are (`{ for k, v in var.policies : k => v if var.create }`, `[for v in x : v]`)
/// is a call of [`FOR_FILTER`] with the collection as its one argument: its values are some of
/// the collection's, which is all a reader can know before apply.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The function name (`jsonencode`), or [`FOR_FILTER`].
    pub name: String,
    /// Its arguments.
    pub args: Vec<Value>,
}

/// The name of the call a filtering `for` expression is read as (see [`Call`]); no Terraform
/// function has it.
pub const FOR_FILTER: &str = "for";

/// A unary or binary operation. The operator as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `!`, `-`, `==`, `!=`, `&&`, `||`, ...
    pub operator: &'static str,
    /// One operand for unary operators, two for binary ones.
    pub operands: Vec<Value>,
}

/// A number as written, held inline when short (every realistic one): a plan of a few million
/// numbers then costs no allocation per number. Reads as a `&str`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Number(NumberText);

/// As long as a `String`, so that [`ValueKind`] grows no bigger.
#[derive(Clone, PartialEq, Eq, Hash)]
enum NumberText {
    Inline { len: u8, bytes: [u8; 22] },
    Long(Box<str>),
}

impl Number {
    /// The number's text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // The bytes are a whole `&str` copied in `From<&str>`: always UTF-8.
            NumberText::Inline { len, bytes } => std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default(),
            NumberText::Long(text) => text,
        }
    }
}

impl std::ops::Deref for Number {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Number {
    fn from(text: &str) -> Number {
        let mut bytes = [0; 22];
        match (bytes.get_mut(..text.len()), u8::try_from(text.len())) {
            (Some(inline), Ok(len)) => {
                inline.copy_from_slice(text.as_bytes());
                Number(NumberText::Inline { len, bytes })
            }
            _ => Number(NumberText::Long(text.into())),
        }
    }
}

impl std::fmt::Debug for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One key of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key, unquoted.
    pub key: Key,
    /// Where the key is written.
    pub key_at: At,
    /// Its value.
    pub value: Value,
}

/// An object key: shared text, because plans repeat the same few thousand keys hundreds of
/// thousands of times (a parse gives equal keys one allocation). Reads as a `&str`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Key(Arc<str>);

impl Key {
    /// The key's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Key {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Key {
    fn from(text: &str) -> Key {
        Key(Arc::from(text))
    }
}

impl From<String> for Key {
    fn from(text: String) -> Key {
        Key(Arc::from(text))
    }
}

impl PartialEq<str> for Key {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Key {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.0, f)
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Value {
    /// A value at a place.
    pub fn new(at: At, kind: ValueKind) -> Value {
        Value { at, kind }
    }

    /// The string, if this is a string without interpolations.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ValueKind::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is a literal `true`/`false` (or the strings `"true"`/`"false"`, which
    /// Terraform converts).
    pub fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            ValueKind::Bool(b) => Some(*b),
            ValueKind::String(s) if s == "true" => Some(true),
            ValueKind::String(s) if s == "false" => Some(false),
            _ => None,
        }
    }

    /// The entries, if this is an object.
    pub fn as_object(&self) -> Option<&[Entry]> {
        match &self.kind {
            ValueKind::Object(entries) => Some(entries),
            _ => None,
        }
    }

    /// The items, if this is a list.
    pub fn as_list(&self) -> Option<&[Value]> {
        match &self.kind {
            ValueKind::List(items) => Some(items),
            _ => None,
        }
    }

    /// The reference text, if this is a reference.
    pub fn as_reference(&self) -> Option<&str> {
        match &self.kind {
            ValueKind::Reference(r) => Some(r),
            _ => None,
        }
    }

    /// The entry with this key (exact match), if this is an object.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.as_object()?.iter().find(|e| e.key == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_written_short_or_long() {
        for text in ["0", "-1.5e+3", "1234567890123456789012", "12345678901234567890123", &"9".repeat(400)] {
            assert_eq!(Number::from(text).as_str(), text);
        }
        assert_eq!(std::mem::size_of::<Number>(), std::mem::size_of::<String>());
    }
}
