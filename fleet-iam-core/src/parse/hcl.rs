//! Terraform native syntax (hcl-edit, which keeps a span on every node) to the located model.

use super::ParseError;
use super::hcl_pieces::{self, TooLarge};
use crate::model::value::FOR_FILTER;
use crate::model::{At, Attribute, Block, Body, Call, Entry, Operation, SourceId, Value, ValueKind};
use crate::source::Span;
use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::structure;
use hcl_edit::template::Element;
use std::sync::Arc;

/// Parses a Terraform file (or `.tfvars`) into a located body: in pieces of whole top-level
/// structures, each syntax tree dropped once converted (see [`super::hcl_pieces`]).
pub fn parse(text: &str, source: SourceId) -> Result<Body, ParseError> {
    let pieces = hcl_pieces::pieces(text).map_err(|TooLarge(offset)| {
        let message = format!(
            "a top-level block or attribute here holds more than {} names, numbers, operators and strings, \
             more than fleet-iam reads in one (a limit on the memory a parse takes)",
            hcl_pieces::MAX_TOKENS
        );
        ParseError { span: Span::new(offset, offset), message }
    })?;
    let mut out = Body::default();
    for piece in pieces {
        let part = text.get(piece.clone()).unwrap_or_default();
        let body = hcl_edit::parser::parse_body(part).map_err(|e| {
            // hcl-edit may stop inside a multi-byte char (`並{𮯰` stops at byte 7 of 8).
            let mut offset = e.location().offset().min(part.len());
            while !part.is_char_boundary(offset) {
                offset -= 1;
            }
            let offset = piece.start + offset;
            ParseError { span: Span::new(offset, offset), message: e.message().to_string() }
        })?;
        let body = Converter { text, source, offset: piece.start }.body(&body);
        out.attributes.extend(body.attributes);
        out.blocks.extend(body.blocks);
    }
    Ok(out)
}

struct Converter<'t> {
    text: &'t str,
    source: SourceId,
    /// Where the piece hcl-edit parsed starts in `text`: its spans are relative to the piece.
    offset: usize,
}

impl Converter<'_> {
    fn at(&self, span: Option<std::ops::Range<usize>>) -> At {
        let span = span.map_or_else(Span::default, |r| Span::new(r.start + self.offset, r.end + self.offset));
        At::new(self.source, span)
    }

    fn body(&self, body: &structure::Body) -> Body {
        let mut out = Body::default();
        for structure in body.iter() {
            match structure {
                structure::Structure::Attribute(attr) => out.attributes.push(self.attribute(attr)),
                structure::Structure::Block(block) => out.blocks.push(self.block(block)),
            }
        }
        out
    }

    fn attribute(&self, attr: &structure::Attribute) -> Attribute {
        Attribute {
            name: attr.key.as_str().to_string(),
            at: self.at(attr.span()),
            key_at: self.at(attr.key.span()),
            value: self.value(&attr.value),
        }
    }

    fn block(&self, block: &structure::Block) -> Block {
        let ident = self.at(block.ident.span());
        let header_end = block.labels.last().and_then(|l| l.span()).map_or(ident.span.end, |r| r.end + self.offset);
        Block {
            ident: block.ident.as_str().to_string(),
            labels: block.labels.iter().map(|l| l.as_str().to_string()).collect(),
            at: self.at(block.span()),
            header: At::new(self.source, Span::new(ident.span.start, header_end)),
            body: self.body(&block.body),
            full_address: None,
        }
    }

    fn value(&self, expr: &Expression) -> Value {
        let at = self.at(expr.span());
        let kind = match expr {
            Expression::Null(_) => ValueKind::Null,
            Expression::Bool(b) => ValueKind::Bool(*b.value()),
            Expression::Number(n) => ValueKind::Number(n.value().to_string().as_str().into()),
            Expression::String(s) => ValueKind::String(s.value().to_string()),
            Expression::Array(array) => ValueKind::List(Arc::new(array.iter().map(|e| self.value(e)).collect())),
            Expression::Object(object) => ValueKind::Object(
                object
                    .iter()
                    .map(|(key, value)| {
                        let (name, key_at) = self.object_key(key);
                        Entry { key: name.into(), key_at, value: self.value(value.expr()) }
                    })
                    .collect(),
            ),
            Expression::StringTemplate(template) => {
                // `"${data.x.json}"` is Terraform 0.11's way of writing a plain reference.
                if let Some(Element::Interpolation(i)) = template.as_single_element()
                    && let inner = self.value(&i.expr)
                    && matches!(inner.kind, ValueKind::Reference(_))
                {
                    inner.kind
                } else {
                    ValueKind::Template(self.raw_inner(at.span, 1, 1))
                }
            }
            Expression::HeredocTemplate(heredoc) => {
                let literal: Option<String> =
                    heredoc.template.iter().map(|e| e.as_literal().map(|l| l.value().as_str())).collect();
                match literal {
                    Some(text) => ValueKind::String(text),
                    None => ValueKind::Template(self.text.get(at.span.range()).unwrap_or_default().to_string()),
                }
            }
            Expression::Parenthesis(inner) => self.value(inner.inner()).kind,
            Expression::Variable(v) => ValueKind::Reference(v.as_str().to_string()),
            Expression::Traversal(t) => self.reference(t).map_or(ValueKind::Unknown, ValueKind::Reference),
            Expression::FuncCall(call) => ValueKind::Call(Box::new(Call {
                name: call.name.name.as_str().to_string(),
                args: call.args.iter().map(|a| self.value(a)).collect(),
            })),
            Expression::Conditional(c) => ValueKind::Conditional(Box::new([
                self.value(&c.cond_expr),
                self.value(&c.true_expr),
                self.value(&c.false_expr),
            ])),
            Expression::UnaryOp(op) => ValueKind::Operation(Box::new(Operation {
                operator: op.operator.value().as_str(),
                operands: vec![self.value(&op.expr)],
            })),
            Expression::BinaryOp(op) => ValueKind::Operation(Box::new(Operation {
                operator: op.operator.value().as_str(),
                operands: vec![self.value(&op.lhs_expr), self.value(&op.rhs_expr)],
            })),
            // A `for` that keeps the values as they are: some of the collection's values.
            Expression::ForExpr(f)
                if !f.grouping
                    && matches!(&f.value_expr, Expression::Variable(v) if v.as_str() == f.intro.value_var.as_str()) =>
            {
                ValueKind::Call(Box::new(Call {
                    name: FOR_FILTER.to_string(),
                    args: vec![self.value(&f.intro.collection_expr)],
                }))
            }
            _ => ValueKind::Unknown,
        };
        Value::new(at, kind)
    }

    /// `var.x`, `data.aws_iam_policy_document.x.json`, `aws_iam_role.r[0].arn`, `module.m["k"].out`.
    fn reference(&self, traversal: &hcl_edit::expr::Traversal) -> Option<String> {
        let Expression::Variable(root) = &traversal.expr else {
            return None;
        };
        let mut path = root.as_str().to_string();
        for op in &traversal.operators {
            match op.value() {
                TraversalOperator::GetAttr(ident) => {
                    path.push('.');
                    path.push_str(ident.as_str());
                }
                TraversalOperator::LegacyIndex(i) => path.push_str(&format!("[{}]", i.value())),
                TraversalOperator::Index(Expression::Number(n)) => path.push_str(&format!("[{}]", n.value())),
                TraversalOperator::Index(Expression::String(s)) => path.push_str(&format!("[{:?}]", s.value())),
                _ => return None,
            }
        }
        Some(path)
    }

    fn object_key(&self, key: &ObjectKey) -> (String, At) {
        let at = self.at(key.span());
        let name = match key {
            ObjectKey::Ident(ident) => ident.as_str().to_string(),
            ObjectKey::Expression(Expression::String(s)) => s.value().to_string(),
            ObjectKey::Expression(_) => self.text.get(at.span.range()).unwrap_or_default().to_string(),
        };
        (name, at)
    }

    /// The source text of a span without `open` bytes at its start and `close` at its end.
    fn raw_inner(&self, span: Span, open: usize, close: usize) -> String {
        let end = span.end.saturating_sub(close).max(span.start + open);
        self.text.get(span.start + open..end).unwrap_or_default().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_point_at_values_and_headers() {
        let text = "resource \"aws_iam_policy\" \"ci\" {\n  policy = jsonencode({ Action = \"eks:*\" })\n  name = \"${var.x}-ci\"\n  arn = data.aws_iam_policy_document.x.json\n}\n";
        let body = parse(text, SourceId(0)).unwrap();
        let block = &body.blocks[0];
        assert_eq!(&text[block.header.span.range()], "resource \"aws_iam_policy\" \"ci\"");
        assert_eq!(block.address().as_deref(), Some("aws_iam_policy.ci"));
        let policy = block.body.attribute("policy").unwrap();
        let ValueKind::Call(call) = &policy.value.kind else { panic!("{policy:?}") };
        assert_eq!(call.name, "jsonencode");
        let action = &call.args[0].get("Action").unwrap().value;
        assert_eq!(&text[action.at.span.range()], "\"eks:*\"");
        let name = block.body.attribute("name").unwrap();
        assert_eq!(name.value.kind, ValueKind::Template("${var.x}-ci".into()));
        let arn = block.body.attribute("arn").unwrap();
        assert_eq!(arn.value.as_reference(), Some("data.aws_iam_policy_document.x.json"));
    }

    #[test]
    fn reports_where_parsing_stopped() {
        let err = parse("resource \"x\" {\n  a = \n}\n", SourceId(0)).unwrap_err();
        assert!(err.span.start > 0, "{err:?}");
        // On a char boundary, even where the parser stops inside a char.
        let err = parse("並{𮯰", SourceId(0)).unwrap_err();
        assert_eq!(err.span, Span::new(4, 4));
    }
}
