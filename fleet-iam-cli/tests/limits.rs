//! Files above the size limits are reported, not parsed, and the others are still checked.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::fleet_iam_in;

#[test]
fn a_file_above_the_limit_is_reported_not_parsed() {
    let dir = tempfile::tempdir().unwrap();
    let big: String = (0..20_000).map(|i| format!("  l{i} = \"{}\"\n", "x".repeat(100))).collect();
    std::fs::write(dir.path().join("big.tf"), format!("locals {{\n{big}}}\n")).unwrap();
    std::fs::write(dir.path().join("small.tf"), "resource \"aws_instance\" \"a\" {\n  ami = \"ami-1\"\n}\n").unwrap();
    let run = fleet_iam_in(dir.path(), &["check", "--format", "compact", "--max-file-size", "1", "."]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("big.tf:1:1: error[parse-error] this file is 3 MiB, above the limit of 1 MiB"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("small.tf:1:1: error[imdsv2-required]"), "{}", run.stdout);
    // The default limit (20 MiB) lets it through.
    let run = fleet_iam_in(dir.path(), &["check", "--format", "compact", "."]);
    assert!(!run.stdout.contains("big.tf"), "{}", run.stdout);
}
