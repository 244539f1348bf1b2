//! The README's first commands: they set up and run the tool on the shipped sample, whose report
//! (pinned here) shows one finding of each family the audit asked for, and runs the tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{fleet_iam, repo_root};

const SAMPLE: &str = "testdata/projects/audit-sample";

#[test]
fn the_readme_opens_with_the_sample_run_and_the_tests() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let first_block = readme.split("```sh\n").nth(1).and_then(|b| b.split("```").next()).unwrap();
    let commands: Vec<&str> = first_block.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(
        commands,
        [format!("cargo run --release -p fleet-iam-cli -- check {SAMPLE}").as_str(), "cargo test --workspace"]
    );
    let ci = std::fs::read_to_string(repo_root().join(".ci/run")).unwrap();
    assert!(ci.contains("cargo test --workspace"), ".ci/run must run the README's test command");
}

#[test]
fn the_sample_shows_each_finding_of_the_audit() {
    let run = fleet_iam(&["check", SAMPLE, "--color", "never"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for finding in ["H5", "M5", "M8", "IMDS"] {
        assert!(run.stdout.contains(&format!("finding: {finding},")), "no {finding} in:\n{}", run.stdout);
    }
    assert!(!run.stdout.contains("parse-error"), "{}", run.stdout);
    // The excerpt the README shows is the tool's own output.
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let excerpt = readme.split("```text\n").nth(1).and_then(|b| b.split("```").next()).unwrap();
    assert!(run.stdout.contains(excerpt), "the README's sample output is stale:\n{excerpt}");
    insta::assert_snapshot!("audit_sample", run.stdout);
}
