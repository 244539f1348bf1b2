//! Hostile nesting through the whole `check` pipeline: 200,000 levels, far deeper than any
//! parser accepts, must give a located `parse-error` (or a malformed-policy finding for a policy
//! string inside HCL); and the deepest nesting each parser does accept must be checked by every
//! rule without overflowing the stack: the harness's thread and rayon's workers, where `check`
//! parses, have 2 MiB of stack, and frames are unoptimised under `cargo test`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use fleet_iam_core::{Config, Report, Source, SourceKind, check};

/// Far deeper than anything a parser should accept.
const HOSTILE_DEPTH: usize = 200_000;

/// A file with a known finding checked beside the hostile one: it must still be checked.
const WITNESS: &str = "witness.tf";
const WITNESS_TF: &str = "resource \"aws_iam_policy\" \"w\" {\n  policy = jsonencode({ Statement = [{ Effect = \"Allow\", Action = \"*\", Resource = \"*\" }] })\n}\n";

/// A nesting shape: what opens and closes one level, and the innermost value.
#[derive(Clone, Copy, Debug)]
struct Shape {
    name: &'static str,
    open: &'static str,
    close: &'static str,
    leaf: &'static str,
}

/// A document with `@` where the nested value goes.
#[derive(Clone, Copy, Debug)]
struct Doc {
    name: &'static str,
    file: &'static str,
    kind: SourceKind,
    template: &'static str,
}

impl Doc {
    fn text(&self, shape: &Shape, depth: usize) -> String {
        let mut nested = String::with_capacity(depth * (shape.open.len() + shape.close.len()) + shape.leaf.len());
        (0..depth).for_each(|_| nested.push_str(shape.open));
        nested.push_str(shape.leaf);
        (0..depth).for_each(|_| nested.push_str(shape.close));
        self.template.replace('@', &nested)
    }

    fn check(&self, shape: &Shape, depth: usize) -> Report {
        let sources = [
            Source::new(self.file, self.text(shape, depth), self.kind),
            Source::new(WITNESS, WITNESS_TF, SourceKind::Hcl),
        ];
        let report = check(&sources, &Config::strict());
        assert!(
            report.diagnostics.iter().any(|d| d.location.path == WITNESS && d.rule == "iam-wildcard-action"),
            "{} / {} at depth {depth}: the other file was not checked: {:#?}",
            self.name,
            shape.name,
            report.diagnostics
        );
        report
    }
}

/// Whether the nested file failed to parse (or, for a policy string inside HCL, to read as JSON).
fn rejected(report: &Report, file: &str) -> bool {
    report.diagnostics.iter().any(|d| {
        d.location.path == file
            && (d.rule == "parse-error" || (d.rule == "iam-malformed-policy" && d.message.contains("not valid JSON")))
    })
}

/// The deepest nesting of `shape` in `doc` that parses (galloping, then bisection), or `None`
/// when the shape does not fit the document at all. Every probe runs the whole check, so the
/// deepest accepted input goes through every rule.
fn deepest_accepted(doc: &Doc, shape: &Shape) -> Option<usize> {
    let accepted = |depth| !rejected(&doc.check(shape, depth), doc.file);
    if !accepted(1) {
        return None;
    }
    let (mut ok, mut bad) = (1, 2);
    while accepted(bad) {
        ok = bad;
        bad *= 2;
        assert!(bad <= HOSTILE_DEPTH, "{} / {}: {ok} levels parse", doc.name, shape.name);
    }
    while bad - ok > 1 {
        let mid = ok + (bad - ok) / 2;
        if accepted(mid) { ok = mid } else { bad = mid }
    }
    Some(ok)
}

const HCL_SHAPES: &[Shape] = &[
    Shape { name: "lists", open: "[", close: "]", leaf: "\"hunter2-deep-secret\"" },
    Shape { name: "objects", open: "{ password = ", close: " }", leaf: "\"hunter2-deep-secret\"" },
    Shape { name: "calls", open: "concat(", close: ")", leaf: "[local.a]" },
    Shape { name: "parentheses", open: "(", close: ")", leaf: "local.a" },
    Shape { name: "conditionals", open: "var.c ? ", close: " : local.a", leaf: "\"*\"" },
    Shape { name: "templates", open: "\"${", close: "}\"", leaf: "local.a" },
    Shape { name: "unary", open: "!", close: "", leaf: "var.c" },
    Shape { name: "comparisons", open: "(true == ", close: ")", leaf: "local.a" },
    Shape { name: "heredoc templates", open: "<<EOF\n${", close: "}\nEOF\n", leaf: "local.a" },
];

const HCL_DOCS: &[Doc] = &[
    Doc { name: "attribute", file: "deep.tf", kind: SourceKind::Hcl, template: "locals {\n  x = @\n}\n" },
    Doc {
        name: "jsonencode policy",
        file: "deep.tf",
        kind: SourceKind::Hcl,
        template: "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({ Statement = [{ Effect = \"Allow\", Action = \"iam:PassRole\", Resource = @, Condition = { StringEquals = { k = @ } } }] })\n}\n",
    },
    Doc {
        name: "self-referencing locals",
        file: "deep.tf",
        kind: SourceKind::Hcl,
        template: "variable \"c\" {\n  default = @\n}\nlocals {\n  a = @\n}\nresource \"aws_eks_cluster\" \"e\" {\n  vpc_config {\n    endpoint_public_access = local.a\n    public_access_cidrs = @\n  }\n}\nresource \"aws_instance\" \"i\" {\n  metadata_options {\n    http_tokens = local.a\n    http_put_response_hop_limit = @\n  }\n}\n",
    },
    Doc {
        name: "helm values and outputs",
        file: "deep.tf",
        kind: SourceKind::Hcl,
        template: "resource \"helm_release\" \"h\" {\n  set {\n    name = \"adminPassword\"\n    value = @\n  }\n  values = [yamlencode(@)]\n}\noutput \"password\" {\n  value = @\n}\n",
    },
    Doc { name: "tfvars", file: "deep.tfvars", kind: SourceKind::Tfvars, template: "password = @\nc = @\n" },
];

/// `for` expressions: hcl-edit alone needs about 2.1 MiB of stack for 64 of them in an
/// unoptimised build (32 KiB a level), more than a test thread's 2 MiB; about 600 KiB optimised.
const FOR_EXPRESSIONS: Shape = Shape { name: "for", open: "[for x in ", close: " : x]", leaf: "local.a" };

/// Nested blocks, which hcl-edit counts towards the same limit.
const BLOCKS: Shape = Shape { name: "blocks", open: "statement {\n", close: "}\n", leaf: "actions = [\"*\"]\n" };
const BLOCK_DOC: Doc = Doc {
    name: "policy document",
    file: "deep.tf",
    kind: SourceKind::Hcl,
    template: "data \"aws_iam_policy_document\" \"d\" {\n@}\nresource \"aws_iam_policy\" \"p\" {\n  policy = data.aws_iam_policy_document.d.json\n}\n",
};

const JSON_SHAPES: &[Shape] = &[
    Shape { name: "arrays", open: "[", close: "]", leaf: "\"hunter2-deep-secret\"" },
    Shape { name: "objects", open: "{\"password\":", close: "}", leaf: "\"hunter2-deep-secret\"" },
    Shape { name: "objects in arrays", open: "[{\"Statement\":", close: "}]", leaf: "\"*\"" },
    Shape {
        name: "plan modules",
        open: concat!(
            "[{\"address\":\"module.m\",\"resources\":[{\"address\":\"module.m.aws_instance.i\",",
            "\"type\":\"aws_instance\",\"name\":\"i\",\"values\":{\"user_data\":\"x\"}}],\"child_modules\":"
        ),
        close: "}]",
        leaf: "[]",
    },
];

const JSON_DOCS: &[Doc] = &[
    Doc {
        name: "policy",
        file: "deep.json",
        kind: SourceKind::Policy,
        template: "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":@,\"Condition\":{\"StringEquals\":{\"k\":@}}},@]}",
    },
    Doc {
        name: "plan",
        file: "deep.plan.json",
        kind: SourceKind::Plan,
        template: concat!(
            "{\"format_version\":\"1.2\",\"terraform_version\":\"1.9.0\",",
            "\"variables\":{\"password\":{\"value\":@}},",
            "\"planned_values\":{\"root_module\":{\"resources\":[",
            "{\"address\":\"aws_instance.i\",\"mode\":\"managed\",\"type\":\"aws_instance\",\"name\":\"i\",",
            "\"values\":{\"metadata_options\":@,\"user_data\":@},\"sensitive_values\":@}],",
            "\"child_modules\":[{\"address\":\"module.m\",\"resources\":[],\"child_modules\":@}]}},",
            "\"resource_changes\":[{\"address\":\"aws_iam_policy.p\",\"mode\":\"managed\",\"type\":\"aws_iam_policy\",",
            "\"name\":\"p\",\"change\":{\"actions\":[\"create\"],\"after\":{\"policy\":@,\"tags\":@},",
            "\"after_unknown\":{\"tags\":@},\"after_sensitive\":{\"tags\":@}}},",
            "{\"address\":\"helm_release.h\",\"mode\":\"managed\",\"type\":\"helm_release\",\"name\":\"h\",",
            "\"change\":{\"actions\":[\"update\"],\"after\":{\"set\":[{\"name\":\"adminPassword\",\"value\":@}]}}}],",
            "\"configuration\":{\"root_module\":{\"outputs\":{\"o\":@},\"variables\":{\"password\":@},",
            "\"resources\":[{\"address\":\"aws_iam_policy.p\",\"expressions\":@}],",
            "\"module_calls\":{\"m\":{\"module\":@}}}}}"
        ),
    },
    Doc {
        name: "tf.json",
        file: "deep.tf.json",
        kind: SourceKind::TfJson,
        template: "{\"resource\":{\"aws_iam_policy\":{\"p\":{\"policy\":@,\"statement\":@}}},\"variable\":{\"password\":{\"default\":@}},\"locals\":@}",
    },
    Doc {
        name: "tfvars.json",
        file: "deep.tfvars.json",
        kind: SourceKind::TfvarsJson,
        template: "{\"password\":@,\"c\":@}",
    },
    Doc {
        name: "heredoc policy in HCL",
        file: "deep.tf",
        kind: SourceKind::Hcl,
        template: "resource \"aws_iam_policy\" \"p\" {\n  policy = <<EOF\n{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":@}]}\nEOF\n}\n",
    },
];

#[test]
fn nesting_200000_deep_is_a_located_parse_error_and_the_other_files_are_checked() {
    let list = Shape { name: "lists", open: "[", close: "]", leaf: "1" };
    let cases = [
        (HCL_DOCS[0], "parse-error", "at most 64 nested levels", 2),
        (JSON_DOCS[0], "parse-error", "nest", 1),
        (JSON_DOCS[1], "parse-error", "nest", 1),
        (JSON_DOCS[4], "iam-malformed-policy", "nest", 3),
    ];
    for (doc, rule, says, line) in cases {
        let report = doc.check(&list, HOSTILE_DEPTH);
        let errors: Vec<_> = report.diagnostics.iter().filter(|d| d.location.path == doc.file).collect();
        let [error] = errors.as_slice() else { panic!("{}: one diagnostic expected: {errors:#?}", doc.name) };
        assert_eq!(error.rule, rule, "{}: {error:#?}", doc.name);
        assert!(error.message.contains(says), "{}: the message says why: {}", doc.name, error.message);
        // Located where the nesting goes past the limit, not at the start of the file.
        assert_eq!(error.location.start.line, line, "{}: {:?}", doc.name, error.location);
        assert!(error.location.span.start > 64, "{}: {:?}", doc.name, error.location);
        assert!(error.location.span.start < 20_000, "{}: {:?}", doc.name, error.location);
    }
    // JSON that is neither a plan nor a policy is not judged, however deep.
    let other = Doc { name: "other JSON", file: "deep.json", kind: SourceKind::OtherJson, template: "{\"a\":@}" };
    let report = other.check(&list, HOSTILE_DEPTH);
    assert!(report.diagnostics.iter().all(|d| d.location.path == WITNESS), "{:#?}", report.diagnostics);
}

#[test]
fn the_deepest_hcl_any_parser_accepts_is_checked_by_every_rule() {
    for doc in HCL_DOCS {
        for shape in HCL_SHAPES {
            let depth = deepest_accepted(doc, shape);
            // Not every shape fits every document; every shape fits a plain attribute.
            assert!(depth.is_some() || doc.name != "attribute", "{} / {}", doc.name, shape.name);
            assert!(depth.is_none_or(|d| d >= 30), "{} / {}: only {depth:?} levels parse", doc.name, shape.name);
        }
    }
    let depth = deepest_accepted(&BLOCK_DOC, &BLOCKS);
    assert!(depth.is_some_and(|d| d >= 30), "nested blocks: only {depth:?} levels parse");
}

/// Overflows a 2 MiB stack in an unoptimised build: hcl-edit alone needs about 2.1 MiB for
/// these (about 600 KiB optimised), and `check` parses on rayon's worker threads, whose stacks
/// are 2 MiB unless the pool says otherwise. Enable once they get a known, larger stack.
#[test]
fn the_deepest_for_expressions_hcl_accepts_are_checked() {
    for doc in HCL_DOCS {
        let depth = deepest_accepted(doc, &FOR_EXPRESSIONS);
        assert!(depth.is_none_or(|d| d >= 30), "{}: only {depth:?} levels parse", doc.name);
    }
}

#[test]
fn the_deepest_json_the_parser_accepts_is_checked_by_every_rule() {
    for doc in JSON_DOCS {
        for shape in JSON_SHAPES {
            let depth = deepest_accepted(doc, shape);
            assert!(depth.is_some_and(|d| d >= 60), "{} / {}: only {depth:?} levels parse", doc.name, shape.name);
        }
    }
}

/// The library reports a source above its size limit instead of parsing it (the CLI does not
/// even read such a file), and still checks the others.
#[test]
fn a_source_above_the_size_limit_is_reported_not_parsed() {
    let mut config = Config::strict();
    config.max_file_bytes = 1 << 10;
    let big = format!("locals {{\n{}}}\n", "  x = \"y\"\n".repeat(200));
    let sources = [
        Source::new("big.tf", big, SourceKind::Hcl),
        Source::new("small.tf", "resource \"aws_instance\" \"a\" {\n  ami = \"ami-1\"\n}\n", SourceKind::Hcl),
    ];
    let report = check(&sources, &config);
    let big = report.diagnostics.iter().find(|d| d.location.path == "big.tf").expect("big.tf is reported");
    assert_eq!(big.rule, "parse-error");
    assert!(big.message.contains("above the limit of 1 MiB"), "{}", big.message);
    assert!(report.diagnostics.iter().any(|d| d.location.path == "small.tf" && d.rule == "imdsv2-required"));
}

/// Checks `text` as `long.tf` beside the witness, which must still be checked.
fn check_long(text: String) -> Report {
    let sources = [Source::new("long.tf", text, SourceKind::Hcl), Source::new(WITNESS, WITNESS_TF, SourceKind::Hcl)];
    let report = check(&sources, &Config::strict());
    assert!(
        report.diagnostics.iter().any(|d| d.location.path == WITNESS && d.rule == "iam-wildcard-action"),
        "the other file was not checked: {:#?}",
        report.diagnostics
    );
    report
}

/// Long chains in one attribute, each shape past the limit on what one top-level structure may
/// hold (500,000 tokens, which bounds hcl-edit's tree at about 65 MB, where a 19 MiB chain took
/// 3.6 GB): a `parse-error` located on the chain's line, and the other files are still checked.
#[test]
fn an_attribute_too_long_to_parse_is_a_located_parse_error() {
    let shapes = [("b", ".c", ""), ("x", "[0]", ""), ("x", "[*].c", ""), ("[1", ", 1", "]"), ("1", " + 1", "")];
    for (head, link, tail) in shapes {
        let text = format!("locals {{\n  ok = 1\n}}\nlocals {{ a = {head}{}{tail} }}\n", link.repeat(300_000));
        let report = check_long(text);
        let errors: Vec<_> = report.diagnostics.iter().filter(|d| d.location.path == "long.tf").collect();
        let [error] = errors.as_slice() else { panic!("{link}: one diagnostic expected: {errors:#?}") };
        assert_eq!(error.rule, "parse-error", "{link}: {error:#?}");
        assert_eq!(error.location.start.line, 4, "{link}: {:?}", error.location);
        // Where the limit was reached, or (binary operators) where hcl-edit's own limit of 128
        // chained operators was.
        assert!(error.location.start.column > 100, "{link}: {:?}", error.location);
        assert!(
            error.message.contains("more than 500000 names") || error.message.contains("at most 128"),
            "{link}: {}",
            error.message
        );
    }
}

/// Long attributes under the limit are parsed a few at a time, and what follows them is located
/// as in a file parsed whole.
#[test]
fn long_attributes_under_the_limit_are_checked() {
    let list = format!("[1{}]", ", 1".repeat(200_000));
    let text = format!("locals {{ a = {list} }}\nlocals {{ b = {list} }}\nlocals {{ c = {list} }}\n{WITNESS_TF}");
    let report = check_long(text);
    let found: Vec<_> = report.diagnostics.iter().filter(|d| d.location.path == "long.tf").collect();
    assert!(found.iter().all(|d| d.rule != "parse-error"), "{found:#?}");
    let wildcard =
        found.iter().find(|d| d.rule == "iam-wildcard-action").expect("the policy after the lists is checked");
    assert_eq!(wildcard.location.start.line, 5, "{:?}", wildcard.location);
}

/// GitHub Actions workflows: nesting, aliases that expand without end ("billion laughs") and a
/// long file are bounded, each a located `parse-error` or a plain check, and the other files
/// are still checked.
#[test]
fn hostile_workflows_are_located_parse_errors() {
    let name = ".github/workflows/x.yml";
    let mut laughs = String::from("on: push\nx0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        laughs.push_str(&format!("x{i}: &x{i} [{}]\n", vec![format!("*x{}", i - 1); 10].join(", ")));
    }
    let block: String = (0..2_000).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
    let cases = [
        (format!("on: push\njobs: {}{}\n", "[".repeat(HOSTILE_DEPTH), "]".repeat(HOSTILE_DEPTH)), 2),
        (block, 65),
        (laughs, 6),
    ];
    for (text, line) in cases {
        let sources =
            [Source::new(name, text.as_str(), SourceKind::Workflow), Source::new(WITNESS, WITNESS_TF, SourceKind::Hcl)];
        let report = check(&sources, &Config::strict());
        let errors: Vec<_> = report.diagnostics.iter().filter(|d| d.location.path == name).collect();
        let [error] = errors.as_slice() else { panic!("one diagnostic expected: {errors:#?}") };
        assert_eq!((error.rule, error.location.start.line), ("parse-error", line), "{error:#?}");
        assert!(report.diagnostics.iter().any(|d| d.location.path == WITNESS));
    }
    // A long workflow of many jobs is read whole.
    let mut long = String::from("on: push\njobs:\n");
    for i in 0..20_000 {
        long.push_str(&format!(
            "  j{i}:\n    runs-on: ubuntu-latest\n    env:\n      TF_VAR_v{i}: ${{{{ vars.V }}}}\n    steps:\n      - run: terraform plan\n"
        ));
    }
    let report = check(&[Source::new(name, long.as_str(), SourceKind::Workflow)], &Config::strict());
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics.first());
}
