//! The layering of the core, held by a test: each folder of `src/` may use only the layers below
//! it. Edges go one way: engine -> project -> parse -> model, and rules -> model, semantic,
//! iam, secrets. The test reads every `crate::` and `super::` path outside comments, resolves
//! it to the top-level module it names, and fails on an edge the table forbids.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::{Path, PathBuf};

/// Each layer (a folder of `src/`) and the top-level modules it must not use.
const FORBIDDEN: &[(&str, &[&str])] = &[
    (
        "model",
        &[
            "parse",
            "project",
            "semantic",
            "secrets",
            "iam",
            "rules",
            "engine",
            "rule",
            "registry",
            "suppress",
            "config",
            "diagnostic",
        ],
    ),
    ("parse", &["project", "semantic", "secrets", "iam", "rules", "engine", "rule", "registry", "suppress"]),
    ("project", &["semantic", "rules", "engine", "registry"]),
    ("semantic", &["parse", "project", "rules", "engine", "rule", "registry", "suppress"]),
    ("secrets", &["parse", "project", "semantic", "rules", "engine", "rule", "registry", "suppress"]),
    ("iam", &["parse", "project", "semantic", "secrets", "rules", "engine", "rule", "registry", "suppress"]),
    ("rules", &["parse", "project", "engine", "registry", "suppress", "config"]),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`, as paths relative to `src/` with `/` separators.
fn rust_files(dir: &Path, out: &mut Vec<String>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path.strip_prefix(src()).unwrap().to_string_lossy().replace('\\', "/"));
        }
    }
}

/// The module path of a file: `rules/iam/mod.rs` is `rules::iam`, `rules/iam/x.rs` is
/// `rules::iam::x`, `engine.rs` is `engine`.
fn module_path(file: &str) -> Vec<String> {
    let mut parts: Vec<String> = file.trim_end_matches(".rs").split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

/// The top-level modules that `text` (the file `file`) uses, with their line numbers: every
/// `crate::NAME` and `super::...::NAME` outside `//` comments.
fn uses(file: &str, text: &str) -> Vec<(usize, String)> {
    let here = module_path(file);
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or_default();
        let mut rest = code;
        while let Some(i) = rest.find(['c', 's']) {
            let tail = &rest[i..];
            let boundary = i == 0 || !rest[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_');
            let target = if !boundary {
                None
            } else if let Some(after) = tail.strip_prefix("crate::") {
                ident(after).map(str::to_string)
            } else if tail.starts_with("super::") {
                let mut path = here.clone();
                let mut after = tail;
                while let Some(next) = after.strip_prefix("super::") {
                    path.pop();
                    after = next;
                }
                match path.first() {
                    Some(top) => Some(top.clone()),
                    None => ident(after).map(str::to_string),
                }
            } else {
                None
            };
            if let Some(target) = target {
                out.push((n + 1, target));
            }
            rest = &rest[i + 1..];
        }
    }
    out
}

fn ident(text: &str) -> Option<&str> {
    let end = text.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(text.len());
    (end > 0).then(|| &text[..end])
}

/// The forbidden edges of one file: `file:line: layer -> module`.
fn violations(file: &str, text: &str) -> Vec<String> {
    let layer = file.split('/').next().unwrap_or_default();
    let Some((_, forbidden)) = FORBIDDEN.iter().find(|(l, _)| *l == layer) else { return Vec::new() };
    uses(file, text)
        .into_iter()
        .filter(|(_, target)| forbidden.contains(&target.as_str()))
        .map(|(line, target)| format!("src/{file}:{line}: `{layer}` must not use `{target}`"))
        .collect()
}

#[test]
fn layers_depend_only_on_the_layers_below() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    assert!(files.len() > 40, "{files:?}");
    let mut found = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(src().join(file)).unwrap();
        found.extend(violations(file, &text));
    }
    assert!(found.is_empty(), "layering broken:\n{}", found.join("\n"));
    // Every folder of src/ is a layer of the table.
    let folders: std::collections::BTreeSet<&str> =
        files.iter().filter(|f| f.contains('/')).filter_map(|f| f.split('/').next()).collect();
    for folder in folders {
        assert!(FORBIDDEN.iter().any(|(l, _)| *l == folder), "src/{folder}/ is on no layer of FORBIDDEN");
    }
}

#[test]
fn the_check_catches_what_it_forbids() {
    // A rule that parses, by a `use` line, by a path in code, and through `super::`.
    let rule = "use crate::model::Value;\nuse crate::parse::hcl;\nfn f() { crate::project::paths::dir_of(\"x\"); }\nuse super::super::super::engine;\n";
    let found = violations("rules/iam/x.rs", rule);
    assert_eq!(
        found,
        [
            "src/rules/iam/x.rs:2: `rules` must not use `parse`",
            "src/rules/iam/x.rs:3: `rules` must not use `project`",
            "src/rules/iam/x.rs:4: `rules` must not use `engine`",
        ]
    );
    // A parser that reaches up; a comment that only names a layer is not an edge.
    let parser = "//! See [`crate::project`].\nuse crate::semantic::resolve::Resolver;\nuse super::ParseError;\n";
    assert_eq!(violations("parse/hcl.rs", parser), ["src/parse/hcl.rs:2: `parse` must not use `semantic`"]);
    // `super::` inside a layer stays in it.
    assert!(violations("rules/iam/x.rs", "use super::helpers::literal;\n").is_empty());
    assert_eq!(module_path("rules/iam/mod.rs"), ["rules", "iam"]);
}
