//! The module-library corpus (`testdata/corpus/module-library`): code in the forms
//! terraform-aws-modules and the AWS documentation use, checked as one tree with the default
//! pack. Every finding (rule, file and line) must be one `expected.txt` lists, and every line
//! there must still be found: a new false positive and a lost finding both fail. On such code
//! `iam-malformed-policy` never fires.
//!
//! After a reviewed change: `FLEET_IAM_BLESS=1 cargo test -p fleet-iam-cli --test corpus`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{fleet_iam, repo_root};

const CORPUS: &str = "testdata/corpus/module-library";

/// `rule path:line` of every finding, sorted.
fn findings() -> Vec<String> {
    let run = fleet_iam(&["check", CORPUS, "--format", "json", "--fail-on", "never"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let mut out: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let path = f["path"].as_str().unwrap();
            let line = f["line"].as_u64().unwrap();
            format!("{} {}:{line}", f["rule"].as_str().unwrap(), path.trim_start_matches(&format!("{CORPUS}/")))
        })
        .collect();
    out.sort();
    out
}

#[test]
fn the_module_library_gives_exactly_the_expected_findings() {
    let found = findings();
    assert!(!found.iter().any(|f| f.starts_with("iam-malformed-policy ")), "{found:#?}");
    let path = repo_root().join(CORPUS).join("expected.txt");
    let mut text = String::from("# rule path:line of every finding fleet-iam gives on this tree (see corpus.rs)\n");
    found.iter().for_each(|f| text.push_str(&format!("{f}\n")));
    if std::env::var_os("FLEET_IAM_BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    let expected: Vec<&str> = expected.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).collect();
    let missing: Vec<&&str> = expected.iter().filter(|e| !found.iter().any(|f| f == **e)).collect();
    let new: Vec<&String> = found.iter().filter(|f| !expected.contains(&f.as_str())).collect();
    assert!(
        missing.is_empty() && new.is_empty(),
        "lost findings: {missing:#?}\nnew findings: {new:#?}\nreview them, then FLEET_IAM_BLESS=1 cargo test -p fleet-iam-cli --test corpus"
    );
}
