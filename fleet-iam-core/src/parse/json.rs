//! The one span-aware JSON parser: strict JSON text to a located [`Value`].

use super::strings::OffsetMap;
use crate::model::{At, Entry, SourceId, Value, ValueKind};
use crate::source::Span;
use jsonc_parser::ast;

/// Why JSON text could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// Where the parser stopped, in the source.
    pub span: Span,
    /// The parser's message.
    pub message: String,
}

/// Parses JSON written as a Terraform template (a heredoc, a `templatefile()` file): the
/// `${...}` interpolations are masked first, and strings holding one become
/// [`ValueKind::Template`], unknown until apply. `None` when `%{...}` directives make it
/// unreadable as JSON.
pub fn parse_template(text: &str, source: SourceId, map: &OffsetMap) -> Option<Result<Value, JsonError>> {
    let (masked, directive) = super::strings::mask_interpolations(text);
    match parse(&masked, source, map) {
        Ok(mut value) => {
            templated(&mut value);
            Some(Ok(value))
        }
        Err(_) if directive => None,
        Err(e) => Some(Err(e)),
    }
}

fn templated(value: &mut Value) {
    match &mut value.kind {
        ValueKind::String(s) if s.contains("${") => value.kind = ValueKind::Template(std::mem::take(s)),
        ValueKind::List(items) => items.iter_mut().for_each(templated),
        ValueKind::Object(entries) => entries.iter_mut().for_each(|e| templated(&mut e.value)),
        _ => {}
    }
}

/// Parses strict JSON (no comments, no trailing commas, no single quotes). `map` places the
/// text in its source: identity for a file, an escape map for a JSON string inside another.
pub fn parse(text: &str, source: SourceId, map: &OffsetMap) -> Result<Value, JsonError> {
    let options = jsonc_parser::ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let parsed = jsonc_parser::parse_to_ast(text, &Default::default(), &options).map_err(|e| {
        let range = e.range();
        JsonError { span: map.span(range.start, range.end), message: e.kind().to_string() }
    })?;
    let Some(root) = parsed.value else {
        return Err(JsonError { span: map.span(0, text.len()), message: "empty document".into() });
    };
    Ok(Converter { source, map }.value(&root))
}

struct Converter<'m> {
    source: SourceId,
    map: &'m OffsetMap,
}

impl Converter<'_> {
    fn at(&self, range: jsonc_parser::common::Range) -> At {
        At::new(self.source, self.map.span(range.start, range.end))
    }

    fn value(&self, value: &ast::Value<'_>) -> Value {
        match value {
            ast::Value::StringLit(s) => Value::new(self.at(s.range), ValueKind::String(s.value.to_string())),
            ast::Value::NumberLit(n) => Value::new(self.at(n.range), ValueKind::Number(n.value.to_string())),
            ast::Value::BooleanLit(b) => Value::new(self.at(b.range), ValueKind::Bool(b.value)),
            ast::Value::NullKeyword(n) => Value::new(self.at(n.range), ValueKind::Null),
            ast::Value::Array(a) => {
                Value::new(self.at(a.range), ValueKind::List(a.elements.iter().map(|e| self.value(e)).collect()))
            }
            ast::Value::Object(o) => {
                let entries = o.properties.iter().map(|p| self.entry(p)).collect();
                Value::new(self.at(o.range), ValueKind::Object(entries))
            }
        }
    }

    fn entry(&self, prop: &ast::ObjectProp<'_>) -> Entry {
        let (key, range) = match &prop.name {
            ast::ObjectPropName::String(s) => (s.value.to_string(), s.range),
            ast::ObjectPropName::Word(w) => (w.value.to_string(), w.range),
        };
        Entry { key, key_at: self.at(range), value: self.value(&prop.value) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_cover_literals_with_quotes() {
        let text = r#"{"Action": ["s3:*", 1, true, null]}"#;
        let value = parse(text, SourceId(0), &OffsetMap::identity(0)).unwrap();
        let action = &value.get("Action").unwrap().value;
        let first = &action.as_list().unwrap()[0];
        assert_eq!(&text[first.at.span.range()], r#""s3:*""#);
        assert_eq!(first.as_str(), Some("s3:*"));
    }

    #[test]
    fn rejects_lenient_json() {
        for bad in [r#"{"a": 1,}"#, "{a: 1}", "{'a': 1}", "// c\n{}", "", "{} {}"] {
            assert!(parse(bad, SourceId(0), &OffsetMap::identity(0)).is_err(), "{bad}");
        }
    }
}
