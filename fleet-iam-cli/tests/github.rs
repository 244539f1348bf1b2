//! `--format github` over the sample project: one workflow command per finding, matching the
//! JSON report once unescaped.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::fleet_iam;
use serde_json::Value;

const SAMPLE: &str = "testdata/projects/h5-sample";

/// Reverses GitHub's escaping of a workflow command's message.
fn unescape(text: &str) -> String {
    text.replace("%0A", "\n").replace("%0D", "\r").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")
}

#[test]
fn github_report_of_the_sample() {
    let run = fleet_iam(&["check", "--format", "github", SAMPLE]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    insta::assert_snapshot!("h5_sample_github", run.stdout);

    let json = fleet_iam(&["check", "--format", "json", SAMPLE]);
    let json: Value = serde_json::from_str(&json.stdout).unwrap();
    let findings = json["findings"].as_array().unwrap();
    let command = regex::Regex::new(
        r"^::(error|warning|notice) file=([^,:]+),line=(\d+),col=(\d+),endLine=(\d+),endColumn=(\d+),title=([a-z0-9-]+)::(.+)$",
    )
    .unwrap();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), findings.len());
    for (line, finding) in lines.iter().zip(findings) {
        let parts = command.captures(line).unwrap_or_else(|| panic!("not a workflow command: {line}"));
        let severity = match &parts[1] {
            "notice" => "note",
            other => other,
        };
        assert_eq!(severity, finding["severity"]);
        assert_eq!(&parts[2], finding["path"]);
        for (group, key) in [(3, "line"), (4, "column"), (5, "end_line"), (6, "end_column")] {
            assert_eq!(parts[group].parse::<u64>().unwrap(), finding[key].as_u64().unwrap(), "{key}");
        }
        assert_eq!(&parts[7], finding["rule"]);
        let expected = format!("{}\nhelp: {}", finding["message"].as_str().unwrap(), finding["help"].as_str().unwrap());
        assert_eq!(unescape(&parts[8]), expected);
    }
}

#[test]
fn github_report_of_a_clean_project_is_empty() {
    let run = fleet_iam(&["check", "--format", "github", "testdata/projects/clean"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
}
