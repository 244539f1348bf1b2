//! Keeps the rule catalogue honest: ids, registration, documentation, packs, runnable doc
//! examples, and the generated `docs/rules.md`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use fleet_iam_core::{Config, RuleMeta, Source, SourceKind, check, registry};
use std::path::{Path, PathBuf};

const SECTIONS: &[&str] =
    &["What it does", "Why is this bad?", "Example", "Use instead", "Fix", "Options", "References"];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn ids_are_unique_and_kebab_case() {
    let mut ids: Vec<&str> = registry::all().iter().map(|m| m.id).collect();
    for id in &ids {
        assert!(
            id.split('-')
                .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())),
            "{id} is not kebab-case"
        );
    }
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "duplicate rule ids");
}

#[test]
fn every_rule_file_is_registered() {
    let rules = root().join("fleet-iam-core/src/rules");
    let mut stack = vec![rules.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let stem = path.file_stem().unwrap().to_string_lossy().replace('_', "-");
            // A family's list and doc, and what its rules share.
            if stem == "mod" || stem == "helpers" {
                continue;
            }
            let family = path.parent().unwrap().strip_prefix(&rules).unwrap().to_string_lossy().to_string();
            // The file is named for the rule without its family prefix (`iam/not_action.rs` is
            // `iam-not-action`, `secrets/literal.rs` is `secret-literal`), or for the whole rule id
            // (`imds/imdsv2_required.rs`, `secrets/helm_set_secret.rs`).
            let prefix = family.strip_suffix('s').unwrap_or(&family);
            let ids = [stem.clone(), format!("{family}-{stem}"), format!("{prefix}-{stem}")];
            assert!(
                ids.iter().any(|id| registry::find(id).is_some()),
                "{} defines no registered rule (one of {ids:?})",
                path.display()
            );
        }
    }
}

#[test]
fn every_rule_is_documented_with_every_section() {
    for meta in registry::all() {
        for section in SECTIONS {
            let text = meta.section(section).unwrap_or_default();
            assert!(!text.is_empty(), "{}: missing or empty section `## {section}`", meta.id);
        }
        assert!(!meta.summary.is_empty(), "{}: no summary", meta.id);
    }
}

/// The `## Fix` section says what the metadata says: "Safe", "Unsafe", or "None".
#[test]
fn fix_sections_agree_with_the_metadata() {
    for meta in registry::all() {
        let section = meta.section("Fix").unwrap_or_default();
        let first = section.split([':', ' ']).next().unwrap_or_default();
        let expected = match meta.fix {
            Some(fleet_iam_core::Applicability::Safe) => "Safe",
            Some(fleet_iam_core::Applicability::Unsafe) => "Unsafe",
            None => "None",
            Some(other) => panic!("{}: a fix kind this test does not know: {other}", meta.id),
        };
        assert_eq!(first, expected, "{}: the `## Fix` section does not start with `{expected}:`", meta.id);
        // Sections come in their order.
        let doc = meta.documentation();
        let at = |title: &str| doc.find(&format!("## {title}\n"));
        assert!(at("Use instead") < at("Fix") && at("Fix") < at("Options"), "{}: `## Fix` out of place", meta.id);
    }
}

#[test]
fn strict_enables_every_rule_and_recommended_only_known_ones() {
    let strict = Config::strict();
    for meta in registry::all() {
        assert!(strict.rule(meta.id).is_some(), "{} is not in policies/strict.toml", meta.id);
    }
    assert!(Config::recommended().enabled().count() > 0);
}

/// The code fences of a documentation section, with the file name they are checked as:
/// `hcl` fences as `.tf`, `json` fences as plan JSON, `yaml` fences as a GitHub Actions workflow
/// of the same repository.
fn examples(meta: &RuleMeta, section: &str) -> Vec<(String, String)> {
    let text = meta.section(section).unwrap_or_default();
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    let mut name = "example.tf";
    for line in text.lines() {
        match (&mut current, line.trim_start().strip_prefix("```")) {
            (None, Some(lang)) => {
                name = match lang.trim() {
                    "json" => "example.plan.json",
                    "yaml" => ".github/workflows/example.yml",
                    _ => "example.tf",
                };
                current = Some(String::new());
            }
            (Some(code), Some(_)) => {
                out.push((name.to_string(), std::mem::take(code)));
                current = None;
            }
            (Some(code), None) => {
                code.push_str(line);
                code.push('\n');
            }
            (None, None) => {}
        }
    }
    out
}

/// The diagnostics of the rule on the files of an example.
fn run_example(meta: &RuleMeta, files: &[(String, String)]) -> usize {
    let sources: Vec<Source> = files
        .iter()
        .map(|(name, code)| {
            let kind = SourceKind::detect(name, code).expect("a file kind fleet-iam reads");
            Source::new(name.as_str(), code.as_str(), kind)
        })
        .collect();
    let mut config = Config::strict();
    config.select(&[meta.id.to_string()]).unwrap();
    check(&sources, &config).diagnostics.len()
}

#[test]
fn documentation_examples_fire_and_fixes_do_not() {
    for meta in registry::all() {
        let bad = examples(meta, "Example");
        let good = examples(meta, "Use instead");
        assert!(!bad.is_empty() && !good.is_empty(), "{}: examples need code fences", meta.id);
        for files in together(bad) {
            assert!(run_example(meta, &files) > 0, "{}: the Example does not fire:\n{files:?}", meta.id);
        }
        for files in together(good) {
            assert_eq!(run_example(meta, &files), 0, "{}: the Use instead example fires:\n{files:?}", meta.id);
        }
    }
}

/// Each fence is an example of its own, but a workflow goes with the Terraform of its section.
fn together(fences: Vec<(String, String)>) -> Vec<Vec<(String, String)>> {
    if fences.iter().any(|(name, _)| name.ends_with(".yml")) {
        return vec![fences];
    }
    fences.into_iter().map(|fence| vec![fence]).collect()
}

/// `docs/rules.md`, generated from the rules' own documentation.
fn rules_markdown() -> String {
    let mut out = String::from(
        "# Rules\n\n<!-- Generated from the rules' doc comments by fleet-iam-core/tests/catalogue.rs. \
         Do not edit: run `FLEET_IAM_BLESS=1 cargo test -p fleet-iam-core --test catalogue`. -->\n\n\
         | id | finding | fix | what it finds |\n|---|---|---|---|\n",
    );
    for meta in registry::all() {
        let finding = meta.finding.map_or("-", |f| f.as_str());
        let fix = meta.fix.map_or("-", |f| f.as_str());
        out.push_str(&format!("| [`{}`](#{}) | {finding} | {fix} | {} |\n", meta.id, meta.id, meta.summary));
    }
    for meta in registry::all() {
        out.push_str(&format!("\n## {}\n\n", meta.id));
        // Sections become third-level headings under the rule's own.
        for line in meta.documentation().lines() {
            match line.strip_prefix("## ") {
                Some(title) => out.push_str(&format!("### {title}\n")),
                None => out.push_str(&format!("{line}\n")),
            }
        }
    }
    out
}

#[test]
fn docs_rules_md_is_fresh() {
    let path = root().join("docs/rules.md");
    let expected = rules_markdown();
    if std::env::var_os("FLEET_IAM_BLESS").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/rules.md is stale: run `FLEET_IAM_BLESS=1 cargo test -p fleet-iam-core --test catalogue`"
    );
}

#[test]
fn readme_rule_table_is_fresh() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let recommended = Config::recommended();
    let rows: Vec<String> = registry::all()
        .iter()
        .map(|meta| {
            let default = recommended.rule(meta.id).map_or("off", |r| r.severity.as_str());
            format!("| `{}` | {} | {default} | {} |", meta.id, meta.finding.map_or("-", |f| f.as_str()), meta.summary)
        })
        .collect();
    let in_readme: Vec<&str> =
        readme.lines().filter(|l| l.starts_with("| `") && l.matches(" | ").count() == 3).collect();
    assert_eq!(in_readme, rows, "README.md's rule table differs from the registry (fleet-iam rules)");
}
