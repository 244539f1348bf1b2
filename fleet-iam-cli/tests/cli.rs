//! The command line over the sample projects: one snapshot per output format, the exit codes,
//! `explain` and `rules`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{fleet_iam, fleet_iam_in, repo_root};
use fleet_iam_core::registry;

const SAMPLE: &str = "testdata/projects/h5-sample";
const CLEAN: &str = "testdata/projects/clean";

/// No output may leak the machine's directory layout.
fn assert_relative(text: &str) {
    let root = repo_root();
    assert!(!text.contains(root.to_string_lossy().as_ref()), "absolute path in output:\n{text}");
}

#[test]
fn text_report_of_the_sample() {
    let run = fleet_iam(&["check", "--color", "never", SAMPLE]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_relative(&run.stdout);
    insta::assert_snapshot!("h5_sample_text", run.stdout);
}

#[test]
fn compact_report_of_the_sample() {
    let run = fleet_iam(&["check", "--format", "compact", SAMPLE]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_relative(&run.stdout);
    for line in run.stdout.lines() {
        let (location, rest) = line.split_once(": ").expect("path:line:col: ...");
        let mut parts = location.rsplitn(3, ':');
        let column: usize = parts.next().unwrap().parse().expect("column");
        let line_number: usize = parts.next().unwrap().parse().expect("line");
        assert!(column >= 1 && line_number >= 1, "{line}");
        assert!(parts.next().unwrap().starts_with(SAMPLE), "{line}");
        assert!(rest.contains('[') && rest.contains("] "), "{line}");
    }
    insta::assert_snapshot!("h5_sample_compact", run.stdout);
}

#[test]
fn json_report_of_the_sample() {
    let run = fleet_iam(&["check", "--format", "json", SAMPLE]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_relative(&run.stdout);
    assert!(run.stdout.ends_with("}\n"));
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["tool"]["name"], "fleet-iam");
    assert_eq!(doc["tool"]["version"], env!("CARGO_PKG_VERSION"));
    let findings = doc["findings"].as_array().expect("findings");
    assert_eq!(doc["summary"]["findings"], findings.len());
    for key in ["files", "errors", "warnings", "notes", "suppressed"] {
        assert!(doc["summary"][key].is_u64(), "summary.{key}");
    }
    for finding in findings {
        for key in ["rule", "severity", "message", "path", "line", "column", "end_line", "end_column"] {
            assert!(!finding[key].is_null(), "{key} missing in {finding}");
        }
    }
    insta::assert_snapshot!("h5_sample_json", run.stdout);
}

#[test]
fn the_sample_shows_every_policy_form_and_the_syntax_error() {
    let run = fleet_iam(&["check", "--format", "compact", SAMPLE]);
    for file in ["ci_role_jsonencode.tf", "deploy_heredoc.tf", "terraform_policy_document.tf", "policies/ecr-push.json"]
    {
        assert!(run.stdout.contains(&format!("{SAMPLE}/{file}:")), "no finding in {file}:\n{}", run.stdout);
    }
    assert!(run.stdout.contains(&format!("{SAMPLE}/broken.tf:")), "{}", run.stdout);
    assert!(!run.stdout.contains("clean_scoped.tf"), "the clean policies fire:\n{}", run.stdout);
}

#[test]
fn clean_project_exits_zero() {
    let run = fleet_iam(&["check", "--color", "never", CLEAN]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "no findings in 2 files\n"), "{}", run.stderr);
}

#[test]
fn fail_on_never_exits_zero_despite_findings() {
    let run = fleet_iam(&["check", "--format", "compact", "--fail-on", "never", SAMPLE]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.is_empty());
}

#[test]
fn fail_on_warning_fails_on_errors_too() {
    assert_eq!(fleet_iam(&["check", "--format", "compact", "--fail-on", "warning", SAMPLE]).code, 1);
}

#[test]
fn missing_path_exits_two() {
    let run = fleet_iam(&["check", "testdata/projects/does-not-exist"]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("testdata/projects/does-not-exist"), "{}", run.stderr);
}

#[test]
fn unknown_selector_exits_two() {
    let run = fleet_iam(&["check", "--select", "iam-no-such-rule", SAMPLE]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("iam-no-such-rule"), "{}", run.stderr);
    assert_eq!(fleet_iam(&["check", "--ignore", "H6", SAMPLE]).code, 2);
}

#[test]
fn select_and_ignore_take_findings_and_ids() {
    let run_ids = |args: &[&str]| {
        let run = fleet_iam(&[&["check", "--format", "json", "--fail-on", "never"], args, &[SAMPLE]].concat());
        assert_eq!(run.code, 0, "{}", run.stderr);
        let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
        let rules: Vec<String> =
            doc["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap().to_string()).collect();
        rules
    };
    assert!(run_ids(&["--select", "parse-error"]).iter().all(|r| r == "parse-error"));
    // Selecting families without rules yet still reports the file that does not parse.
    assert_eq!(run_ids(&["--select", "M5,M8"]), ["parse-error"]);
    assert!(run_ids(&["--select", "M5", "--ignore", "parse-error"]).is_empty());
    assert!(run_ids(&["--ignore", "H5"]).iter().all(|r| r == "parse-error"));
}

#[test]
fn bad_config_exits_two_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), "locals {}\n").unwrap();
    std::fs::write(
        dir.path().join("fleet-iam.toml"),
        "extends = \"recommended\"\n\n[rules.iam-no-such-rule]\nseverity = \"error\"\n",
    )
    .unwrap();
    // Found upward from the path checked...
    let found = fleet_iam_in(dir.path(), &["check", "."]);
    assert_eq!(found.code, 2);
    assert!(found.stderr.contains("fleet-iam.toml:3:"), "{}", found.stderr);
    // ...or named with --config.
    std::fs::rename(dir.path().join("fleet-iam.toml"), dir.path().join("custom.toml")).unwrap();
    let named = fleet_iam_in(dir.path(), &["check", "--config", "custom.toml", "main.tf"]);
    assert_eq!(named.code, 2);
    assert!(named.stderr.contains("custom.toml:3:"), "{}", named.stderr);
}

#[test]
fn config_turns_rules_off() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("broken.tf"), "resource {\n").unwrap();
    std::fs::write(dir.path().join("fleet-iam.toml"), "[rules.parse-error]\nseverity = \"warning\"\n").unwrap();
    let run = fleet_iam_in(dir.path(), &["check", "--format", "compact", "."]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.starts_with("broken.tf:1:"), "{}", run.stdout);
    assert!(run.stdout.contains(": warning[parse-error] "), "{}", run.stdout);
}

/// A `fleet-iam.toml` above the repository (in `/tmp`, a home directory) is not the project's,
/// and could turn every rule off: discovery stops at the repository root, and outside a
/// repository looks only in the checked directory. `--config` still reaches anywhere.
#[test]
fn a_configuration_above_the_repository_does_not_apply() {
    let dir = tempfile::tempdir().unwrap();
    let top = dir.path();
    let write = |path: &std::path::Path, text: &str| {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    // Applied, it makes the broken file a warning, and the check pass.
    let lenient = "[rules.parse-error]\nseverity = \"warning\"\n";
    write(&top.join("fleet-iam.toml"), lenient);
    let repo = top.join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    write(&repo.join("infra/broken.tf"), "resource {\n");
    let plain = top.join("plain");
    write(&plain.join("infra/broken.tf"), "resource {\n");
    let code = |cwd: &std::path::Path, args: &[&str]| {
        let run = fleet_iam_in(cwd, &[&["check", "--format", "compact"], args].concat());
        assert_ne!(run.code, 2, "{}", run.stderr);
        run.code
    };

    assert_eq!(code(&repo, &["infra"]), 1, "above the repository");
    assert_eq!(code(&repo.join("infra"), &[]), 1, "above the repository");
    assert_eq!(code(&plain, &["infra"]), 1, "above the directory checked, outside a repository");
    assert_eq!(code(&plain, &["infra/broken.tf"]), 1, "above the file checked, outside a repository");
    assert_eq!(code(&repo, &["--config", "../fleet-iam.toml", "infra"]), 0, "named, it applies");

    // Up to the repository root, and in the directory checked outside one, the nearest applies.
    write(&repo.join("fleet-iam.toml"), lenient);
    assert_eq!(code(&repo, &["infra"]), 0, "at the repository root");
    assert_eq!(code(&repo.join("infra"), &["broken.tf"]), 0, "at the repository root");
    write(&plain.join("infra/fleet-iam.toml"), lenient);
    assert_eq!(code(&plain, &["infra"]), 0, "in the directory checked");
    assert_eq!(code(&plain, &["infra/broken.tf"]), 0, "in the directory of the file checked");
}

#[test]
fn explain_prints_the_documentation() {
    let run = fleet_iam(&["explain", "iam-service-wildcard"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("# iam-service-wildcard\n"), "{}", run.stdout);
    assert!(run.stdout.contains("## What it does"), "{}", run.stdout);
}

#[test]
fn explain_unknown_rule_suggests_the_closest() {
    let run = fleet_iam(&["explain", "iam-servce-wildcard"]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("did you mean `iam-service-wildcard`"), "{}", run.stderr);
    let far = fleet_iam_in(&repo_root(), &["explain", "zzz"]);
    assert_eq!(far.code, 2);
    assert!(!far.stderr.contains("did you mean"), "{}", far.stderr);
}

#[test]
fn rules_lists_the_catalogue() {
    let run = fleet_iam(&["rules"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for meta in registry::all() {
        assert!(run.stdout.lines().any(|l| l.starts_with(&format!("{} ", meta.id))), "{} missing", meta.id);
    }
    insta::assert_snapshot!("rules_text", run.stdout);
}

#[test]
fn rules_as_json() {
    let run = fleet_iam(&["rules", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let ids: Vec<&str> = doc["rules"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    let expected: Vec<&str> = registry::all().iter().map(|m| m.id).collect();
    assert_eq!(ids, expected);
}

#[test]
fn bad_arguments_exit_two() {
    assert_eq!(fleet_iam(&["check", "--format", "yaml", SAMPLE]).code, 2);
    assert_eq!(fleet_iam(&["frobnicate"]).code, 2);
    assert_eq!(fleet_iam(&["check", "--exclude", "[", SAMPLE]).code, 2);
}

/// The commands other than `check` that write to stdout.
const WRITERS: &[&[&str]] = &[
    &["rules"],
    &["rules", "--format", "json"],
    &["explain", "iam-service-wildcard"],
    &["man"],
    &["completions", "bash"],
];

/// Runs `fleet-iam args...` at the workspace root with its stdout on `stdout`; the exit code and
/// stderr.
fn with_stdout(args: &[&str], stdout: std::process::Stdio) -> (i32, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_fleet-iam"))
        .args(args)
        .current_dir(repo_root())
        .stdout(stdout)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    let Some(code) = output.status.code() else { panic!("fleet-iam {args:?} ended by a signal: {:?}", output.status) };
    (code, String::from_utf8(output.stderr).unwrap())
}

/// A report that cannot be written (a full disk, an I/O error) is a check that did not happen:
/// exit 2, and say why.
#[test]
#[cfg(target_os = "linux")]
fn a_report_that_cannot_be_written_is_exit_2() {
    let full = || std::process::Stdio::from(std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap());
    for format in ["text", "compact", "json", "sarif", "github"] {
        let (code, stderr) = with_stdout(&["check", "--format", format, SAMPLE], full());
        assert_eq!(code, 2, "{format}: {stderr}");
        assert_eq!(stderr, "error: cannot write the report: No space left on device (os error 28)\n", "{format}");
    }
    let (code, stderr) = with_stdout(&["check", CLEAN], full());
    assert_eq!(code, 2, "{stderr}");
    for args in WRITERS {
        let (code, stderr) = with_stdout(args, full());
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains("No space left on device"), "{args:?}: {stderr}");
    }
}

/// `fleet-iam check | head -1`: the reader stopped reading, which is not the tool's trouble.
/// Nothing is said, and the exit status is still the check's, so that a pipeline under
/// `set -o pipefail` still fails on findings.
#[test]
#[cfg(unix)]
fn a_reader_that_stops_reading_ends_the_output_quietly() {
    // The read end is closed before the program starts: every write to stdout is a broken pipe.
    let closed = || {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        std::process::Stdio::from(writer)
    };
    for format in ["text", "compact", "json", "sarif", "github"] {
        assert_eq!(with_stdout(&["check", "--format", format, SAMPLE], closed()), (1, String::new()), "{format}");
    }
    assert_eq!(with_stdout(&["check", "--fail-on", "never", SAMPLE], closed()), (0, String::new()));
    assert_eq!(with_stdout(&["check", CLEAN], closed()), (0, String::new()));
    for args in WRITERS {
        assert_eq!(with_stdout(args, closed()), (0, String::new()), "{args:?}");
    }

    // `2>&1 | head -1`: stderr is gone too. Notes, warnings and errors cannot be said, but they
    // do not panic, and the exit status still tells.
    let both = |args: &[&str]| {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_fleet-iam"))
            .args(args)
            .current_dir(repo_root())
            .stdout(writer.try_clone().unwrap())
            .stderr(writer)
            .status()
            .unwrap();
        status.code()
    };
    assert_eq!(both(&["check", SAMPLE]), Some(1));
    assert_eq!(both(&["check", "testdata/projects/does-not-exist"]), Some(2));
    let empty = tempfile::tempdir().unwrap();
    assert_eq!(both(&["check", empty.path().to_str().unwrap()]), Some(0), "warns that no file was found");
}

/// `FLEET_IAM_TODAY` is the date `expires` is compared with, and it must be a date.
#[test]
fn the_pinned_date_decides_what_has_expired() {
    // The fixture's ignore expires on 2026-03-31.
    let fixture = "testdata/rules/suppression/bad_expired.tf";
    let run = |today: &str| {
        assert_cmd::cargo::cargo_bin_cmd!("fleet-iam")
            .args(["check", fixture, "--select", "imdsv2-required,suppression", "--format", "compact"])
            .current_dir(repo_root())
            .env("FLEET_IAM_TODAY", today)
            .output()
            .unwrap()
    };
    let before = run("2026-03-31");
    assert_eq!(before.status.code(), Some(0), "{}", String::from_utf8_lossy(&before.stderr));
    assert!(before.stdout.is_empty(), "{}", String::from_utf8_lossy(&before.stdout));
    let after = String::from_utf8(run("2026-04-01").stdout).unwrap();
    assert!(after.contains("[suppression] this ignore comment expired on 2026-03-31"), "{after}");
    assert!(after.contains("[imdsv2-required]"), "{after}");
    let wrong = run("1 April 2026");
    assert_eq!(wrong.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("FLEET_IAM_TODAY must be a date, YYYY-MM-DD"));
}
