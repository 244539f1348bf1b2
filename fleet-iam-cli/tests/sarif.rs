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
        assert_eq!(rule["help"]["text"], meta.documentation().as_str());
        // No documentation URL configured, and SARIF wants an absolute one (see `output/sarif.rs`).
        assert!(rule.get("helpUri").is_none(), "{}: a helpUri needs a configured docs URL", meta.id);
        let properties = &rule["properties"];
        assert_eq!(properties["precision"], meta.precision().as_str(), "{}", meta.id);
        let cwe = meta.cwe().iter().map(|c| format!("external/cwe/cwe-{}", c.trim_start_matches("CWE-")));
        match meta.finding {
            Some(finding) => {
                let tags: Vec<String> =
                    ["security".to_string(), finding.as_str().to_string()].into_iter().chain(cwe).collect();
                assert_eq!(properties["tags"], serde_json::json!(tags), "{}", meta.id);
                // A number as a string, as GitHub requires, in its range.
                let score = properties["security-severity"].as_str().unwrap().parse::<f64>().unwrap();
                assert!((0.1..=10.0).contains(&score), "{}: {score}", meta.id);
                let default = recommended.rule(meta.id).map(|r| r.severity);
                assert_eq!(score, f64::from(meta.security_severity(default).unwrap()), "{}", meta.id);
            }
            None => {
                assert!(properties.get("security-severity").is_none(), "{} is not a security rule", meta.id);
                assert!(properties.get("tags").is_none_or(|t| !t.to_string().contains("security")), "{}", meta.id);
            }
        }
    }
    // The documented mapping, on rules whose finding and default cover its rows.
    let score = |id: &str| rules.iter().find(|r| r["id"] == id).unwrap()["properties"]["security-severity"].clone();
    assert_eq!(score("iam-wildcard-action"), "8.5", "H5 error: high");
    assert_eq!(score("iam-wildcard-resource"), "8.0", "H5 warning: high");
    assert_eq!(score("eks-public-cidr"), "6.0", "M5 error: medium");
    assert_eq!(score("imds-hop-limit"), "5.5", "IMDS warning: medium");
    assert_eq!(score("secret-ci-variable-undeclared"), "3.5", "M8 note: low");
    let tags = |id: &str| rules.iter().find(|r| r["id"] == id).unwrap()["properties"]["tags"].clone();
    assert_eq!(tags("iam-privilege-escalation"), serde_json::json!(["security", "H5", "external/cwe/cwe-269"]));
    assert_eq!(tags("secret-literal"), serde_json::json!(["security", "M8", "external/cwe/cwe-798"]));
    assert_eq!(tags("imdsv2-required"), serde_json::json!(["security", "IMDS", "external/cwe/cwe-306"]));
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

#[test]
fn help_uris_come_from_the_configured_docs_url() {
    // From the flag.
    let log = sarif(&["--docs-url", "https://example.org/fleet-iam/docs/", SAMPLE]);
    assert_eq!(violations(&log), "");
    let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    for (rule, meta) in rules.iter().zip(registry::all()) {
        assert_eq!(rule["helpUri"], format!("https://example.org/fleet-iam/docs/rules.md#{}", meta.id));
    }
    // From `docs-url` in the configuration of the current directory.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("fleet-iam.toml"), "docs-url = \"https://docs.example.net/x\"\n").unwrap();
    std::fs::write(dir.path().join("main.tf"), "resource \"aws_instance\" \"a\" {\n  ami = \"ami-1\"\n}\n").unwrap();
    let run = fleet_iam_in(dir.path(), &["check", "--format", "sarif", "."]);
    let log: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(violations(&log), "");
    assert_eq!(
        log["runs"][0]["tool"]["driver"]["rules"][1]["helpUri"],
        "https://docs.example.net/x/rules.md#iam-wildcard-action"
    );
    // A relative URL would fail the schema: refused.
    let run = fleet_iam(&["check", "--format", "sarif", "--docs-url", "docs/", SAMPLE]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--docs-url"), "{}", run.stderr);
}

#[test]
fn rules_do_not_depend_on_the_input() {
    // `help.markdown` and every other part of a rule is the catalogue's: a tree full of crafted
    // names and a planted secret leaves them as an empty tree does.
    let secret = "ghp_Zq7Kx2Lm9Pw4Rt6Vy8Bn3Cd5Fg1Hj0Ks2Mx";
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        format!("variable \"api_token\" {{\n  default = \"{secret}\"\n}}\n# [x](javascript:alert(1)) <img src=x>\n"),
    )
    .unwrap();
    let empty = tempfile::tempdir().unwrap();
    let rules_of = |dir: &std::path::Path| {
        let run = fleet_iam_in(dir, &["check", "--format", "sarif", "--fail-on", "never", "."]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let log: Value = serde_json::from_str(&run.stdout).unwrap();
        log["runs"][0]["tool"]["driver"]["rules"].clone()
    };
    let with_input = rules_of(dir.path());
    assert_eq!(with_input, rules_of(empty.path()));
    let text = with_input.to_string();
    assert!(!text.contains(secret) && !text.contains("Zq7K") && !text.contains("javascript:"));
}
