//! Property tests of the public core: the line index against a naive one, the value resolver
//! on arbitrary modules (cycles included), and `check` on arbitrary and mutated text of every
//! kind: never a panic, and every diagnostic span inside its text, on char boundaries, with the
//! line and column the line index gives. (The escape and template maps are tested beside their
//! code, in `src/parse/strings.rs`.)
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use fleet_iam_core::model::{At, Attribute, Block, Body, Call, Entry, Module, Operation, Value, ValueKind};
use fleet_iam_core::model::{VarSource, VarValue};
use fleet_iam_core::semantic::resolve::{Resolver, is_known};
use fleet_iam_core::source::LineIndex;
use fleet_iam_core::{Config, Diagnostic, LineCol, Location, Source, SourceKind, check};
use proptest::prelude::*;
use std::path::Path;
use std::sync::OnceLock;

/// `cases` cases (`PROPTEST_CASES` overrides it, for a longer search), and no regression files
/// written into the source tree: a failure found is pinned as a unit test instead.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(cases);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

const KINDS: [SourceKind; 8] = [
    SourceKind::Hcl,
    SourceKind::Tfvars,
    SourceKind::TfJson,
    SourceKind::TfvarsJson,
    SourceKind::Plan,
    SourceKind::Policy,
    SourceKind::OtherJson,
    SourceKind::Workflow,
];

// --- The line index ---------------------------------------------------------------------

/// Line and column by walking the text char by char.
fn naive_line_col(text: &str, offset: usize) -> LineCol {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    LineCol { line, column: text[line_start..offset].chars().count() + 1 }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn line_index_agrees_with_a_naive_count(
        text in "([a-zé€😀\t ]|\r\n|\n|\r){0,80}",
        offsets in proptest::collection::vec(0usize..400, 1..20),
    ) {
        let index = LineIndex::new(&text);
        prop_assert_eq!(index.line_count(), text.matches('\n').count() + 1);
        for offset in offsets {
            prop_assert_eq!(index.line_col(&text, offset), naive_line_col(&text, offset), "offset {}", offset);
        }
        for (i, line) in text.split('\n').enumerate() {
            let span = index.line_span(&text, i + 1);
            prop_assert_eq!(&text[span.range()], line.strip_suffix('\r').unwrap_or(line));
        }
        let past = index.line_span(&text, index.line_count() + 1);
        prop_assert_eq!((past.start, past.end), (text.len(), text.len()));
    }
}

// --- Diagnostics are well placed -----------------------------------------------------------

#[track_caller]
fn assert_placed(location: &Location, sources: &[Source]) {
    let Some(source) = sources.iter().find(|s| s.name == location.path) else {
        panic!("a diagnostic for a file that was not checked: {location:?}");
    };
    let (text, span) = (&source.text, location.span);
    assert!(span.start <= span.end && span.end <= text.len(), "{location:?} outside {} bytes", text.len());
    assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end), "{location:?} splits a char");
    let index = LineIndex::new(text);
    assert_eq!(location.start, index.line_col(text, span.start), "{location:?}");
    assert_eq!(location.end, index.line_col(text, span.end), "{location:?}");
}

fn assert_well_placed(diagnostics: &[Diagnostic], sources: &[Source]) {
    for d in diagnostics {
        assert_placed(&d.location, sources);
        for label in &d.labels {
            assert_placed(&label.location, sources);
        }
    }
}

/// Checks `text` as `kind` (beside a file of each other kind, so that modules, `file()` and
/// plans see each other) and asserts every diagnostic is well placed.
fn check_placed(name: &str, text: &str, kind: SourceKind) {
    let sources = vec![
        Source::new(name, text, kind),
        Source::new("p/policy.json", r#"{"Statement": [{"Effect": "Allow", "Action": "s3:*"}]}"#, SourceKind::Policy),
        Source::new(
            "p/main.tf",
            "resource \"aws_iam_policy\" \"f\" {\n  policy = file(\"policy.json\")\n}\n",
            SourceKind::Hcl,
        ),
    ];
    let report = check(&sources, &Config::strict());
    assert_well_placed(&report.diagnostics, &sources);
    assert_well_placed(&report.suppressed, &sources);
}

/// Fragments of the inputs' grammars, for text that gets further than the first byte.
const TOKENS: &[&str] = &[
    "resource \"aws_iam_policy\" \"p\" {\n",
    "data \"aws_iam_policy_document\" \"d\" {\n",
    "statement {\n",
    "resource \"aws_eks_cluster\" \"c\" {\n",
    "vpc_config {\n",
    "resource \"aws_instance\" \"i\" {\n",
    "metadata_options {\n",
    "resource \"helm_release\" \"h\" {\n",
    "set {\n",
    "variable \"password\" {\n",
    "output \"o\" {\n",
    "locals {\n",
    "}\n",
    "policy = ",
    "jsonencode(",
    ")",
    "{",
    "}",
    "[",
    "]",
    "(",
    ",",
    ":",
    " = ",
    "\n",
    "\"",
    "\"*\"",
    "\"s3:*\"",
    "\"Allow\"",
    "Effect",
    "Action",
    "Resource",
    "Principal",
    "\"Statement\"",
    "\"Version\"",
    "\"2012-10-17\"",
    "actions = [\"*\"]\n",
    "effect = \"Allow\"\n",
    "endpoint_public_access = ",
    "public_access_cidrs = ",
    "http_tokens = ",
    "name = ",
    "value = ",
    "default = ",
    "sensitive = ",
    "true",
    "false",
    "null",
    "1",
    "-0.5e3",
    "var.password",
    "local.a",
    "data.aws_iam_policy_document.d.json",
    "<<EOF\n",
    "<<-EOF\n",
    "EOF\n",
    "${",
    "%{ if x }",
    "%{ endif }",
    "$${",
    "\\\"",
    "\\\\",
    "\\u00e9",
    "\\n",
    "é",
    "😀",
    "\t",
    "\r\n",
    "# fleet-iam-ignore: iam-wildcard-action -- ok\n",
    "// c\n",
    "/* c */",
    "\"hunter2hunter2\"",
    "\"AKIAIOSFODNN7EXAMPLE\"",
    "\"0.0.0.0/0\"",
    "? ",
    " == ",
    "!",
    "&&",
    "for x in",
    "...",
    "*",
    "\"format_version\": \"1.2\"",
    "\"planned_values\"",
    "\"root_module\"",
    "\"resources\"",
    "\"resource_changes\"",
    "\"address\": \"aws_instance.i\"",
    "\"values\"",
    "\"change\"",
    "\"after\"",
    "\"actions\": [\"create\"]",
    "\"type\": \"aws_instance\"",
    "\"after_unknown\"",
    "\"variables\"",
    "\"value\"",
];

fn token_soup() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(TOKENS), 0..60).prop_map(|t| t.concat())
}

/// Every fixture of the repository: real inputs of every kind, to mutate.
fn fixtures() -> &'static [(String, String)] {
    static FIXTURES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata");
        let mut out = Vec::new();
        let mut stack = vec![root.clone()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let name = path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
                let Ok(text) = std::fs::read(&path).map(|b| Source::decode(&b)) else { continue };
                if let (Ok(text), Some(_)) = (text, SourceKind::detect(&name, "")) {
                    out.push((name, text));
                }
            }
        }
        out.sort();
        assert!(out.len() > 50, "fixtures found: {}", out.len());
        out
    })
}

/// A mutation of a text: cut a range, repeat one, or splice in a token.
#[derive(Debug, Clone)]
enum Mutation {
    Cut(usize, usize),
    Repeat(usize, usize),
    Insert(usize, &'static str),
}

fn floor(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn mutate(text: &str, mutations: &[Mutation]) -> String {
    let mut text = text.to_string();
    for m in mutations {
        text = match *m {
            Mutation::Cut(a, len) => {
                let (a, b) = (floor(&text, a), floor(&text, a.saturating_add(len)));
                let (a, b) = (a.min(b), a.max(b));
                format!("{}{}", &text[..a], &text[b..])
            }
            Mutation::Repeat(a, len) => {
                let (a, b) = (floor(&text, a), floor(&text, a.saturating_add(len)));
                let (a, b) = (a.min(b), a.max(b));
                format!("{}{}", &text[..b], &text[a..])
            }
            Mutation::Insert(a, token) => {
                let a = floor(&text, a);
                format!("{}{token}{}", &text[..a], &text[a..])
            }
        };
    }
    text
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0usize..40).prop_map(|(a, n)| Mutation::Cut(a, n)),
        (any::<usize>(), 0usize..40).prop_map(|(a, n)| Mutation::Repeat(a, n)),
        (any::<usize>(), proptest::sample::select(TOKENS)).prop_map(|(a, t)| Mutation::Insert(a, t)),
    ]
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn check_places_every_diagnostic_in_arbitrary_text(text in any::<String>(), kind in 0..KINDS.len()) {
        check_placed("x/input", &text, KINDS[kind]);
    }

    #[test]
    fn check_places_every_diagnostic_in_token_soup(text in token_soup(), kind in 0..KINDS.len()) {
        check_placed("x/input", &text, KINDS[kind]);
    }

    #[test]
    fn check_places_every_diagnostic_in_mutated_fixtures(
        pick in any::<proptest::sample::Index>(),
        mutations in proptest::collection::vec(mutation(), 1..6),
        kind in 0..KINDS.len() + 1,
    ) {
        let (name, text) = pick.get(fixtures());
        let text = mutate(text, &mutations);
        // The fixture's own kind most of the time, so that its parser gets past the start.
        let kind = KINDS.get(kind).copied().or_else(|| SourceKind::detect(name, &text)).unwrap_or(SourceKind::Hcl);
        check_placed(name, &text, kind);
    }
}

// --- The value resolver ---------------------------------------------------------------------

const REFERENCES: &[&str] = &[
    "var.a",
    "var.b",
    "var.a.k",
    "var.missing",
    "local.a",
    "local.b",
    "local.c",
    "local.b.k",
    "local.c.name",
    "local.missing",
    "data.x.y.json",
    "aws_instance.i.id",
    "each.value",
];

fn value(kind: ValueKind) -> Value {
    Value::new(At::default(), kind)
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(ValueKind::Null),
        any::<bool>().prop_map(ValueKind::Bool),
        prop_oneof![Just("1"), Just("2.0"), Just("-3"), Just("x")].prop_map(|n| ValueKind::Number(n.into())),
        prop_oneof![Just("true"), Just("false"), Just("0.0.0.0/0"), Just("required"), Just("1")]
            .prop_map(|s| ValueKind::String(s.into())),
        proptest::sample::select(REFERENCES).prop_map(|r| ValueKind::Reference(r.into())),
        Just(ValueKind::Template("${var.a}".into())),
        Just(ValueKind::Unknown),
    ]
    .prop_map(value)
}

fn expression() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(|items| value(ValueKind::List(items.into()))),
            proptest::collection::vec((prop_oneof![Just("k"), Just("name"), Just("value")], inner.clone()), 0..4)
                .prop_map(|mut entries| {
                    // Terraform rejects a key written twice.
                    entries.sort_by_key(|(key, _)| *key);
                    entries.dedup_by_key(|(key, _)| *key);
                    let entries = entries
                        .into_iter()
                        .map(|(key, value)| Entry { key: key.into(), key_at: At::default(), value })
                        .collect();
                    value(ValueKind::Object(entries))
                }),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(c, t, f)| value(ValueKind::Conditional(Box::new([c, t, f])))),
            (prop_oneof![Just("=="), Just("!="), Just("&&"), Just("||")], inner.clone(), inner.clone()).prop_map(
                |(operator, a, b)| value(ValueKind::Operation(Box::new(Operation { operator, operands: vec![a, b] })))
            ),
            inner
                .clone()
                .prop_map(|a| value(ValueKind::Operation(Box::new(Operation { operator: "!", operands: vec![a] })))),
            (
                prop_oneof![Just("concat"), Just("tolist"), Just("toset"), Just("jsonencode")],
                proptest::collection::vec(inner, 0..4)
            )
                .prop_map(|(name, args)| value(ValueKind::Call(Box::new(Call { name: name.into(), args })))),
        ]
    })
}

fn var_source() -> impl Strategy<Value = VarSource> {
    prop_oneof![Just(VarSource::Default), Just(VarSource::File("prod.tfvars".into())), Just(VarSource::CommandLine)]
}

fn module(locals: Vec<Value>, vars: Vec<(Value, VarSource)>) -> Module {
    let attributes = ["a", "b", "c"]
        .iter()
        .zip(locals)
        .map(|(name, value)| Attribute { name: (*name).into(), at: At::default(), key_at: At::default(), value })
        .collect();
    let block = Block {
        ident: "locals".into(),
        labels: Vec::new(),
        at: At::default(),
        header: At::default(),
        body: Body { attributes, blocks: Vec::new() },
        full_address: None,
    };
    let vars = ["a", "b"].iter().zip(vars).map(|(n, (value, source))| ((*n).to_string(), VarValue { value, source }));
    Module { blocks: vec![block], vars: vars.collect(), ..Module::default() }
}

fn size(value: &Value) -> usize {
    1 + match &value.kind {
        ValueKind::List(items) => items.iter().map(size).sum(),
        ValueKind::Object(entries) => entries.iter().map(|e| size(&e.value)).sum(),
        ValueKind::Call(call) => call.args.iter().map(size).sum(),
        ValueKind::Conditional(parts) => parts.iter().map(size).sum(),
        ValueKind::Operation(operation) => operation.operands.iter().map(size).sum(),
        _ => 0,
    }
}

/// The expression as Terraform would write it.
fn hcl(value: &Value) -> String {
    match &value.kind {
        ValueKind::Null => "null".into(),
        ValueKind::Bool(b) => b.to_string(),
        ValueKind::Number(n) if n.parse::<f64>().is_ok() => n.to_string(),
        ValueKind::Number(n) => format!("{:?}", n.as_str()),
        ValueKind::String(n) => format!("{n:?}"),
        ValueKind::Template(t) => format!("\"{t}\""),
        ValueKind::Reference(r) => r.clone(),
        ValueKind::List(items) => format!("[{}]", items.iter().map(hcl).collect::<Vec<_>>().join(", ")),
        ValueKind::Object(entries) => {
            let entries: Vec<String> = entries.iter().map(|e| format!("{} = {}", e.key, hcl(&e.value))).collect();
            format!("{{ {} }}", entries.join(", "))
        }
        ValueKind::Call(call) => {
            format!("{}({})", call.name, call.args.iter().map(hcl).collect::<Vec<_>>().join(", "))
        }
        ValueKind::Conditional(parts) => format!("({} ? {} : {})", hcl(&parts[0]), hcl(&parts[1]), hcl(&parts[2])),
        ValueKind::Operation(operation) if operation.operator == "!" => format!("!({})", hcl(&operation.operands[0])),
        ValueKind::Operation(operation) => {
            let (operator, operands) = (operation.operator, &operation.operands);
            format!("({} {operator} {})", hcl(&operands[0]), hcl(&operands[1]))
        }
        // `ValueKind` is non-exhaustive: a kind added later is written as an unknown value.
        ValueKind::Unknown | _ => "[for x in var.a : x]".into(),
    }
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn the_resolver_ends_on_any_module_and_its_answers_are_stable(
        locals in proptest::collection::vec(expression(), 3),
        vars in proptest::collection::vec((expression(), var_source()), 2),
        extra in expression(),
    ) {
        let module = module(locals, vars);
        let resolver = Resolver::new(&module);
        let questions = REFERENCES.iter().map(|r| value(ValueKind::Reference((*r).into()))).chain([extra]);
        for question in questions {
            let resolved = resolver.resolve(&question);
            prop_assert!(size(&resolved.value) <= 20_000, "{} values", size(&resolved.value));
            if is_known(&resolved.value) {
                let again = resolver.resolve(&resolved.value);
                prop_assert_eq!(&again.value, &resolved.value);
            }
        }
    }

    #[test]
    fn modules_written_from_the_grammar_check_cleanly(
        e in proptest::collection::vec(expression(), 12),
    ) {
        let text = format!(
            "variable \"a\" {{\n  default = {}\n}}\nvariable \"b\" {{\n  default = {}\n}}\n\
             locals {{\n  a = {}\n  b = {}\n  c = {}\n}}\n\
             resource \"aws_eks_cluster\" \"c\" {{\n  vpc_config {{\n    endpoint_public_access = {}\n    public_access_cidrs = {}\n  }}\n}}\n\
             resource \"aws_instance\" \"i\" {{\n  metadata_options {{\n    http_tokens = {}\n    http_put_response_hop_limit = {}\n  }}\n}}\n\
             resource \"helm_release\" \"h\" {{\n  set {{\n    name = {}\n    value = {}\n  }}\n}}\n\
             output \"o\" {{\n  value = {}\n}}\n",
            hcl(&e[0]), hcl(&e[1]), hcl(&e[2]), hcl(&e[3]), hcl(&e[4]), hcl(&e[5]), hcl(&e[6]), hcl(&e[7]),
            hcl(&e[8]), hcl(&e[9]), hcl(&e[10]), hcl(&e[11]),
        );
        let sources = [Source::new("m/main.tf", text.as_str(), SourceKind::Hcl)];
        let report = check(&sources, &Config::strict());
        assert_well_placed(&report.diagnostics, &sources);
        prop_assert!(report.diagnostics.iter().all(|d| d.rule != "parse-error"), "{text}\n{:#?}", report.diagnostics);
    }
}
