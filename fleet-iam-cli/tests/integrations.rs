//! The files that plug fleet-iam into other tools, checked against the real command line:
//! `docs/ci.md`, the pre-commit hook, and the VS Code task's problem matcher (the GitHub action
//! has its own tests, in `action.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{fleet_iam, fleet_iam_in, repo_root};
use fleet_iam_core::registry;
use serde_json::Value;
use std::collections::BTreeSet;

const SAMPLE: &str = "testdata/projects/h5-sample";

fn read(path: &str) -> String {
    std::fs::read_to_string(repo_root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn yaml(text: &str) -> serde_norway::Value {
    serde_norway::from_str(text).expect("valid YAML")
}

/// The long flags that `fleet-iam check` accepts, from its `--help`.
fn check_flags() -> BTreeSet<String> {
    let help = fleet_iam(&["check", "--help"]);
    assert_eq!(help.code, 0);
    let flag = regex::Regex::new(r"(?m)^\s+(?:-\w, )?(--[a-z][a-z-]*)").unwrap();
    let flags: BTreeSet<String> = flag.captures_iter(&help.stdout).map(|c| c[1].to_string()).collect();
    assert!(flags.contains("--format") && flags.contains("--fail-on"), "{flags:?}");
    flags
}

/// The long flags written in `text`.
fn flags_in(text: &str) -> BTreeSet<String> {
    let flag = regex::Regex::new(r"(?:^|[\s(])(--[a-z][a-z-]*)").unwrap();
    flag.captures_iter(text).map(|c| c[1].to_string()).collect()
}

fn assert_known_flags(used: &BTreeSet<String>, what: &str) {
    let known = check_flags();
    let unknown: Vec<_> = used.difference(&known).collect();
    assert!(unknown.is_empty(), "{what} uses flags `fleet-iam check` does not have: {unknown:?}");
}

fn string<'a>(value: &'a serde_norway::Value, key: &str) -> &'a str {
    value.get(key).and_then(serde_norway::Value::as_str).unwrap_or_default()
}

#[test]
fn the_ci_guide_uses_real_flags_and_action_inputs() {
    let guide = read("docs/ci.md");
    let action = yaml(&read("action.yml"));
    let inputs = action["inputs"].as_mapping().unwrap();
    let block = regex::Regex::new(r"(?s)```(yaml|sh)\n(.*?)```").unwrap();
    let mut commands = 0;
    let mut uses_action = false;
    for b in block.captures_iter(&guide) {
        let body = &b[2];
        if &b[1] == "yaml" {
            let workflow = yaml(body);
            for job in workflow["jobs"].as_mapping().unwrap().values() {
                for step in job["steps"].as_sequence().unwrap() {
                    if string(step, "uses").contains("/fleet-iam@") {
                        uses_action = true;
                        for key in step["with"].as_mapping().unwrap().keys() {
                            assert!(inputs.contains_key(key), "docs/ci.md passes an unknown input {key:?}");
                        }
                    }
                }
            }
        }
        for line in body.lines().filter(|l| l.contains("fleet-iam check")) {
            commands += 1;
            // What comes before is another command's (`docker run --rm ... fleet-iam check`).
            let command = &line[line.find("fleet-iam check").unwrap()..];
            assert_known_flags(&flags_in(command), "docs/ci.md");
        }
    }
    assert!(uses_action, "docs/ci.md shows no workflow using the action");
    assert!(commands >= 2, "docs/ci.md shows {commands} fleet-iam commands");
    assert!(guide.contains("--format github") && guide.contains("--format sarif"));
}

#[test]
fn the_pre_commit_hook_parses_and_its_entry_runs() {
    let hooks = yaml(&read(".pre-commit-hooks.yaml"));
    let hooks = hooks.as_sequence().expect("a list of hooks");
    let hook = hooks.iter().find(|h| string(h, "id") == "fleet-iam").expect("the fleet-iam hook");
    assert_eq!(string(hook, "entry"), "fleet-iam check");
    assert!(["system", "rust"].contains(&string(hook, "language")));
    assert_eq!(hook["pass_filenames"].as_bool(), Some(true));

    // pre-commit matches `files` with Python's `re.search`; this pattern means the same in Rust.
    let files = regex::Regex::new(string(hook, "files")).unwrap();
    for name in ["main.tf", "env/prod.tfvars", "stack.tf.json", "prod.tfvars.json", "policies/ecr-push.json"] {
        assert!(files.is_match(name), "{name} is not checked");
    }
    for name in ["README.md", "main.tf.bak", "tf", "scripts/x.py", "terraform.lock.hcl"] {
        assert!(!files.is_match(name), "{name} is checked");
    }

    // pre-commit runs the entry with the matching staged files appended.
    let entry: Vec<&str> = string(hook, "entry").split_whitespace().collect();
    assert_eq!(entry[0], "fleet-iam");
    let with_files = |files: &[&str]| fleet_iam(&[&entry[1..], files].concat());
    let bad = with_files(&[&format!("{SAMPLE}/ci_role_jsonencode.tf"), &format!("{SAMPLE}/policies/ecr-push.json")]);
    assert_eq!(bad.code, 1, "{}{}", bad.stdout, bad.stderr);
    assert!(bad.stdout.contains("iam-service-wildcard"), "{}", bad.stdout);
    let clean =
        with_files(&["testdata/projects/clean/main.tf", "testdata/projects/clean/policies/reporting-read.json"]);
    assert_eq!(clean.code, 0, "{}{}", clean.stdout, clean.stderr);

    // Any `.json` matches, so a JSON file that is not a policy must pass quietly.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("package.json"), "{\"name\": \"x\", \"version\": \"1.0.0\"}\n").unwrap();
    let other = fleet_iam_in(dir.path(), &[&entry[1..], &["package.json"]].concat());
    assert_eq!(other.code, 0, "{}{}", other.stdout, other.stderr);
}

/// The fleet-iam task of `editors/vscode/tasks.json`.
fn vscode_task() -> Value {
    let tasks: Value = serde_json::from_str(&read("editors/vscode/tasks.json")).expect("strict JSON");
    assert_eq!(tasks["version"], "2.0.0");
    tasks["tasks"].as_array().unwrap().iter().find(|t| t["command"] == "fleet-iam").expect("a fleet-iam task").clone()
}

#[test]
fn the_vscode_problem_matcher_reads_real_compact_output() {
    let task = vscode_task();
    let args: Vec<&str> = task["args"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
    assert_eq!(&args[..3], ["check", "--format", "compact"]);
    assert_known_flags(&flags_in(&args.join(" ")), "tasks.json");
    assert_eq!(task["options"]["cwd"], "${workspaceFolder}");

    let matcher = &task["problemMatcher"];
    let pattern = &matcher["pattern"];
    // The regular expression exactly as VS Code reads it from the file.
    let regexp = regex::Regex::new(pattern["regexp"].as_str().unwrap()).unwrap();
    let group = |name: &str| pattern[name].as_u64().unwrap() as usize;

    // The task, run as VS Code would: in the workspace folder, with its arguments.
    let workspace = repo_root().join(SAMPLE);
    let run = fleet_iam_in(&workspace, &args);
    assert_eq!(run.code, 0, "the task fails despite --fail-on never: {}", run.stderr);
    let json = fleet_iam_in(&workspace, &["check", "--format", "json", "."]);
    let json: Value = serde_json::from_str(&json.stdout).unwrap();
    let findings = json["findings"].as_array().unwrap();

    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), findings.len());
    assert!(!lines.is_empty());
    for (line, finding) in lines.iter().zip(findings) {
        let m = regexp.captures(line).unwrap_or_else(|| panic!("the problem matcher misses: {line}"));
        let file = &m[group("file")];
        assert!(workspace.join(file).is_file(), "{file} is not relative to the workspace folder");
        assert_eq!(file, finding["path"]);
        assert_eq!(m[group("line")].parse::<u64>().unwrap(), finding["line"].as_u64().unwrap());
        assert_eq!(m[group("column")].parse::<u64>().unwrap(), finding["column"].as_u64().unwrap());
        assert_eq!(&m[group("severity")], finding["severity"]);
        let code = &m[group("code")];
        assert_eq!(code, finding["rule"]);
        assert!(registry::find(code).is_some(), "{code}");
        assert_eq!(&m[group("message")], finding["message"]);
    }
}

#[test]
fn the_vscode_problem_matcher_reads_notes_and_odd_paths() {
    let task = vscode_task();
    let pattern = &task["problemMatcher"]["pattern"];
    let regexp = regex::Regex::new(pattern["regexp"].as_str().unwrap()).unwrap();
    let group = |name: &str| pattern[name].as_u64().unwrap() as usize;
    for (line, file, severity) in [
        (
            "C:\\infra\\main.tf:3:7: note[iam-unknown-action] `eks:Foo` matches nothing: a typo?",
            "C:\\infra\\main.tf",
            "note",
        ),
        ("dir with: colon/a.tf:12:1: warning[iam-wildcard-resource] m [x] 1:2:3", "dir with: colon/a.tf", "warning"),
    ] {
        let m = regexp.captures(line).unwrap_or_else(|| panic!("the problem matcher misses: {line}"));
        assert_eq!((&m[group("file")], &m[group("severity")]), (file, severity));
    }
    assert!(!regexp.is_match("3 findings (2 errors, 1 warning) in 12 files"));
}
