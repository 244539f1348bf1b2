//! The rule fixtures, as a user sees them. Each `testdata/rules/<rule-id>/bad_*` or `ok_*` (a
//! file, or a directory checked as one tree) is its own case of one `insta::glob!`: the
//! `fleet-iam` binary checks it from the repository root with only its rule and `parse-error`
//! selected, and the text report it prints (colour off) is pinned by a snapshot at
//! `tests/snapshots/fixtures/<rule-id>/<fixture>.snap`, whose header holds the command that printed
//! it. A `bad_` fixture must give at least one finding of its rule, an `ok_` fixture none, and
//! neither may fail to parse unless its rule is `parse-error`. The `suppression` fixtures run with
//! every rule on: an ignore is about other rules' findings. "Today" is pinned (`FLEET_IAM_TODAY`)
//! so that `expires` dates give the same report every day.
//!
//! One fixture: `INSTA_GLOB_FILTER='secret-literal/bad_tfvars' cargo test -p fleet-iam-cli --test fixtures`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Run, repo_root};
use fleet_iam_core::{Config, registry};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The date the fixtures are checked on.
const TODAY: &str = "2026-06-01";

/// Where the fixture snapshots live, relative to this file; one folder per rule.
const SNAPSHOTS: &str = "snapshots/fixtures";

fn rules_dir() -> PathBuf {
    repo_root().join("testdata/rules")
}

/// Runs `fleet-iam args...` at the repository root on the fixed date, colours off.
fn fleet_iam(args: &[String]) -> Run {
    common::finish(common::command(&repo_root()).args(args).env("FLEET_IAM_TODAY", TODAY))
}

/// The `--select` of a rule's fixtures: the rule and `parse-error`; for `suppression`, every rule
/// (every finding, and the rules that belong to none).
fn selection(rule: &str) -> String {
    if rule != "suppression" {
        return format!("{rule},parse-error");
    }
    let mut findings: Vec<&str> = registry::all().iter().filter_map(|m| m.finding.map(|f| f.as_str())).collect();
    findings.sort();
    findings.dedup();
    let others = registry::all().iter().filter(|m| m.finding.is_none()).map(|m| m.id);
    findings.into_iter().chain(others).collect::<Vec<_>>().join(",")
}

/// The fake secrets planted in the fixtures, which no output may show.
fn fixture_secrets() -> Vec<String> {
    let text = std::fs::read_to_string(repo_root().join("testdata/fixture-secrets.txt")).unwrap();
    text.lines().filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_string).collect()
}

/// Checks one fixture; returns what is wrong with it, after pinning its text report.
fn check_fixture(path: &Path, secrets: &[String]) -> Vec<String> {
    let root = repo_root().canonicalize().unwrap();
    let shown = path.strip_prefix(&root).unwrap_or(path).to_string_lossy().replace('\\', "/");
    let relative = path.strip_prefix(rules_dir().canonicalize().unwrap()).unwrap();
    let rule = relative.components().next().unwrap().as_os_str().to_string_lossy().to_string();
    let name = relative.file_name().unwrap().to_string_lossy().to_string();
    if registry::find(&rule).is_none() {
        return vec![format!("{shown}: `{rule}` is not a rule id: fixture folders are named for their rule")];
    }
    let bad = name.starts_with("bad_");
    if !bad && !name.starts_with("ok_") {
        return vec![format!("{shown}: fixture names start with bad_ or ok_")];
    }

    let select = selection(&rule);
    let args = |format: &str| -> Vec<String> {
        ["check", &shown, "--select", &select, "--format", format, "--color", "never"].map(String::from).to_vec()
    };
    let json = fleet_iam(&args("json"));
    let text = fleet_iam(&args("text"));

    let mut problems = Vec::new();
    for (format, run) in [("json", &json), ("text", &text)] {
        if !matches!(run.code, 0 | 1) || !run.stderr.is_empty() {
            problems.push(format!("{shown}: --format {format} exited {} with:\n{}", run.code, run.stderr));
        }
        for secret in secrets.iter().filter(|s| run.stdout.contains(s.as_str())) {
            problems.push(format!("{shown}: --format {format} shows the fixture secret {secret:?}"));
        }
    }
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap_or_default();
    let Some(findings) = report["findings"].as_array() else {
        problems.push(format!("{shown}: no JSON report:\n{}", json.stdout));
        return problems;
    };
    let of = |id: &str| findings.iter().filter(|f| f["rule"] == id).count();
    if rule != "parse-error" && of("parse-error") > 0 {
        problems.push(format!("{shown}: does not parse:\n{}", text.stdout));
    }
    if bad && of(&rule) == 0 {
        problems.push(format!("{shown}: expected a `{rule}` finding, got none:\n{}", text.stdout));
    }
    if !bad && of(&rule) > 0 {
        problems.push(format!("{shown}: expected no `{rule}` finding, got:\n{}", text.stdout));
    }
    // Both runs are of the same check: the text report draws every finding of the JSON one.
    let summary = text.stdout.lines().last().unwrap_or_default();
    let counted = match findings.len() {
        0 => "no findings".to_string(),
        n => format!("{n} finding"),
    };
    if !summary.starts_with(&counted) {
        problems
            .push(format!("{shown}: {} findings in JSON, but the text report ends with `{summary}`", findings.len()));
    }
    // Each finding is drawn where the JSON report puts it.
    let drawn: Vec<&str> = text.stdout.lines().filter_map(|l| l.trim_start().strip_prefix("--> ")).collect();
    let placed: Vec<String> = findings
        .iter()
        .map(|f| format!("{}:{}:{}", f["path"].as_str().unwrap_or_default(), f["line"], f["column"]))
        .collect();
    if drawn != placed {
        problems.push(format!(
            "{shown}: the text report draws findings at {drawn:?}, the JSON one puts them at {placed:?}"
        ));
    }

    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(format!("{SNAPSHOTS}/{rule}"));
    settings.set_prepend_module_to_snapshot(false);
    settings.remove_snapshot_suffix();
    settings.set_omit_expression(true);
    settings.set_description(format!("FLEET_IAM_TODAY={TODAY} fleet-iam {}", args("text").join(" ")));
    settings.bind(|| insta::assert_snapshot!(name, text.stdout));
    problems
}

#[test]
fn rule_fixtures() {
    let secrets = fixture_secrets();
    assert!(secrets.len() >= 10, "{secrets:?}");
    let mut problems = Vec::new();
    let mut checked = 0;
    insta::glob!("../../testdata/rules", "*/*", |path| {
        checked += 1;
        let found = check_fixture(path, &secrets);
        // Printed as found: a failed snapshot ends the glob before the list below.
        found.iter().for_each(|p| eprintln!("{p}\n"));
        problems.extend(found);
    });
    assert!(checked > 100, "only {checked} fixtures under {}", rules_dir().display());
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// The names of the entries of a directory.
fn names(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .map(|d| d.map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect())
        .unwrap_or_default()
}

#[test]
fn every_rule_has_bad_and_ok_fixtures() {
    for meta in registry::all() {
        let names = names(&rules_dir().join(meta.id));
        assert!(names.iter().any(|n| n.starts_with("bad_")), "{}: no bad_ fixture", meta.id);
        assert!(names.iter().any(|n| n.starts_with("ok_")), "{}: no ok_ fixture", meta.id);
    }
}

/// The `suppression` fixtures are checked with every rule on; the others with their own rule and
/// `parse-error` only.
#[test]
fn suppression_fixtures_run_every_rule() {
    let mut config = Config::recommended();
    config.select(&[selection("suppression")]).unwrap();
    assert_eq!(config.enabled().count(), registry::all().len());
    let mut config = Config::strict();
    config.select(&[selection("iam-wildcard-action")]).unwrap();
    assert_eq!(config.enabled().collect::<Vec<_>>(), ["iam-wildcard-action", "parse-error"]);
}

/// Every snapshot is of a fixture that still exists: a renamed or deleted fixture takes its
/// snapshot with it.
#[test]
fn no_snapshot_outlives_its_fixture() {
    let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join(SNAPSHOTS);
    let mut seen = 0;
    for rule in names(&snapshots) {
        let fixtures = names(&rules_dir().join(&rule));
        for snapshot in names(&snapshots.join(&rule)) {
            let Some(fixture) = snapshot.strip_suffix(".snap") else { continue };
            seen += 1;
            assert!(
                fixtures.contains(fixture),
                "{SNAPSHOTS}/{rule}/{snapshot}: no fixture testdata/rules/{rule}/{fixture}"
            );
        }
    }
    assert!(seen > 100, "only {seen} snapshots in {}", snapshots.display());
}
