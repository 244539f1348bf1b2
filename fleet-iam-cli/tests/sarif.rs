//! `--format sarif` over the sample project: valid against the vendored SARIF 2.1.0 schema, the
//! rules carried from the catalogue, logical locations, and fingerprints that do not move with
//! lines.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{fleet_iam, fleet_iam_in, repo_root};
use fleet_iam_core::{Config, registry};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};

const SAMPLE: &str = "testdata/projects/h5-sample";

/// The schema as vendored, with the upstream fix of its `language` pattern (see
/// `tests/data/README.md`).
fn schema() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::options().should_validate_formats(true).build(schema).expect("the schema compiles")
}

/// Every way `log` breaks the schema, one per line.
fn violations(log: &Value) -> String {
    let schema = schema();
    let validator = validator(&schema);
    validator.iter_errors(log).map(|e| format!("{} at {}\n", e, e.instance_path())).collect()
}

fn sarif(args: &[&str]) -> Value {
    let run = fleet_iam(&[&["check", "--format", "sarif"], args].concat());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.ends_with("}\n"));
    serde_json::from_str(&run.stdout).expect("valid JSON")
}

/// The log without its rules, which `rules_come_from_the_catalogue` checks against the registry:
/// a new rule or a documentation change does not touch the snapshot. (Keys come out sorted.)
fn without_rules(log: &Value) -> Value {
    let mut log = log.clone();
    log["runs"][0]["tool"]["driver"]["rules"] = "(every rule of the catalogue)".into();
    log
}

#[test]
fn sarif_report_of_the_sample_is_valid() {
    let log = sarif(&[SAMPLE]);
    assert_eq!(violations(&log), "");
    let root = repo_root();
    assert!(!log.to_string().contains(root.to_string_lossy().as_ref()), "absolute path in output");
    insta::assert_snapshot!("h5_sample_sarif", serde_json::to_string_pretty(&without_rules(&log)).unwrap());
}

#[test]
fn the_schema_rejects_what_is_not_sarif() {
    // A validator that accepts anything would make the test above pass on its own.
    let mut log = sarif(&[SAMPLE]);
    log["runs"][0]["results"][0]["level"] = "fatal".into();
    log["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0.into();
    log["runs"][0]["columnKind"] = "bytes".into();
    let found = violations(&log);
    assert_eq!(found.lines().count(), 3, "{found}");
}

#[test]
fn the_unfixed_language_pattern_is_what_the_fix_is_for() {
    let text = serde_json::to_string(&schema()).unwrap();
    let fixed = r#""pattern":"^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#;
    assert_eq!(text.matches(fixed).count(), 2, "the two `language` patterns carry the fix");
    let unfixed: Value =
        serde_json::from_str(&text.replace(fixed, r#""pattern":"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#)).unwrap();
    assert!(jsonschema::options().build(&unfixed).is_err(), "the validator now accepts the published pattern");
}

#[test]
fn rules_come_from_the_catalogue() {
    let log = sarif(&[SAMPLE]);
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "fleet-iam");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), registry::all().len());
    let recommended = Config::recommended();
    for (rule, meta) in rules.iter().zip(registry::all()) {
        assert_eq!(rule["id"], meta.id);
        assert_eq!(rule["name"], meta.id);
        assert_eq!(rule["shortDescription"]["text"], meta.summary);
        assert_eq!(rule["fullDescription"]["text"], meta.section("What it does").unwrap().as_str());
        assert_eq!(rule["help"]["markdown"], meta.documentation().as_str());
        let level = recommended.rule(meta.id).map_or("none", |r| r.severity.as_str());
        assert_eq!(rule["defaultConfiguration"]["level"], level, "{}", meta.id);
        // No public URL to point at yet, and SARIF wants an absolute one (see `output/sarif.rs`).
        assert!(rule.get("helpUri").is_none(), "{}: a helpUri needs the project's real URL", meta.id);
        if let Some(finding) = meta.finding {
            let tags = &rule["properties"]["tags"];
            assert_eq!(tags, &serde_json::json!([finding.as_str(), "security"]), "{}", meta.id);
        }
    }
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
}

#[test]
fn results_match_the_json_report() {
    let log = sarif(&[SAMPLE]);
    let json = fleet_iam(&["check", "--format", "json", SAMPLE]);
    let json: Value = serde_json::from_str(&json.stdout).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(results.len(), findings.len());
    for (result, finding) in results.iter().zip(findings) {
        assert_eq!(result["ruleId"], finding["rule"]);
        assert_eq!(result["level"], finding["severity"]);
        assert!(result["message"]["text"].as_str().unwrap().starts_with(finding["message"].as_str().unwrap()));
        let location = &result["locations"][0];
        let artifact = &location["physicalLocation"]["artifactLocation"];
        assert_eq!((&artifact["uri"], &artifact["uriBaseId"]), (&finding["path"], &"%SRCROOT%".into()));
        let region = &location["physicalLocation"]["region"];
        for (sarif_key, json_key) in
            [("startLine", "line"), ("startColumn", "column"), ("endLine", "end_line"), ("endColumn", "end_column")]
        {
            assert_eq!(region[sarif_key], finding[json_key], "{sarif_key}");
        }
        match finding.get("address") {
            Some(address) => assert_eq!(
                location["logicalLocations"],
                serde_json::json!([{ "fullyQualifiedName": address, "kind": "resource" }])
            ),
            None => assert!(location.get("logicalLocations").is_none()),
        }
        let labels = finding.get("labels").and_then(Value::as_array).map_or(0, Vec::len);
        assert_eq!(result.get("relatedLocations").and_then(Value::as_array).map_or(0, Vec::len), labels);
    }
}

/// The fingerprint of each result, by rule and address.
fn fingerprints(log: &Value) -> BTreeMap<String, (String, u64)> {
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let print = r["partialFingerprints"]["fleet-iam/v1"].as_str().unwrap().to_string();
            let line = r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64().unwrap();
            (print, (r["ruleId"].as_str().unwrap().to_string(), line))
        })
        .collect()
}

#[test]
fn fingerprints_are_unique_and_do_not_move_with_lines() {
    let dir = tempfile::tempdir().unwrap();
    let sample = repo_root().join(SAMPLE);
    for entry in ["ci_role_jsonencode.tf", "terraform_policy_document.tf"] {
        std::fs::copy(sample.join(entry), dir.path().join(entry)).unwrap();
    }
    let run = |dir: &std::path::Path| {
        let run = fleet_iam_in(dir, &["check", "--format", "sarif", "."]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        serde_json::from_str::<Value>(&run.stdout).unwrap()
    };
    let before = fingerprints(&run(dir.path()));
    assert_eq!(before.len(), 3, "one per result, none shared: {before:?}");

    // Unrelated lines above every finding: the lines change, the fingerprints do not.
    for entry in ["ci_role_jsonencode.tf", "terraform_policy_document.tf"] {
        let path = dir.path().join(entry);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("# moved down\n\nlocals {{\n  unrelated = true\n}}\n\n{text}")).unwrap();
    }
    let after = fingerprints(&run(dir.path()));
    assert_eq!(before.keys().collect::<HashSet<_>>(), after.keys().collect::<HashSet<_>>());
    for (print, (rule, line)) in &before {
        assert_eq!(after[print], (rule.clone(), line + 6), "{rule}");
    }
}
