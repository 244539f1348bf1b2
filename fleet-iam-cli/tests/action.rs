//! The GitHub action (`action.yml` and the scripts it runs): every input documented and wired
//! to a real `fleet-iam check` flag, no input pasted into a script, the check step's flags and
//! exit codes, and the install steps' choice of binary and checksum verification.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{fleet_iam, repo_root};
use serde_norway::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

fn read(path: &str) -> String {
    std::fs::read_to_string(repo_root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn action() -> Value {
    serde_norway::from_str(&read("action.yml")).expect("action.yml is YAML")
}

fn string<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn steps(action: &Value) -> Vec<Value> {
    action["runs"]["steps"].as_sequence().unwrap().clone()
}

fn step(action: &Value, id: &str) -> Value {
    steps(action).into_iter().find(|s| string(s, "id") == id).unwrap_or_else(|| panic!("no step `{id}`"))
}

/// The check step's environment: variable -> the input it carries.
fn check_env(action: &Value) -> BTreeMap<String, String> {
    let input = regex::Regex::new(r"^\$\{\{ inputs\.([a-z-]+) \}\}$").unwrap();
    let check = step(action, "check");
    let mut env = BTreeMap::new();
    for (k, v) in check["env"].as_mapping().unwrap() {
        if let Some(m) = input.captures(v.as_str().unwrap()) {
            env.insert(k.as_str().unwrap().to_string(), m[1].to_string());
        }
    }
    env
}

/// The long flags that `fleet-iam check` accepts, from its `--help`.
fn check_flags() -> BTreeSet<String> {
    let help = fleet_iam(&["check", "--help"]);
    assert_eq!(help.code, 0);
    let flag = regex::Regex::new(r"(?m)^\s+(?:-\w, )?(--[a-z][a-z-]*)").unwrap();
    flag.captures_iter(&help.stdout).map(|c| c[1].to_string()).collect()
}

#[test]
fn every_input_is_documented_and_used_by_a_step() {
    let text = read("action.yml");
    let action = action();
    assert_eq!(string(&action["runs"], "using"), "composite");
    let inputs = action["inputs"].as_mapping().unwrap();
    let guide = read("docs/ci.md");
    for (name, input) in inputs {
        let name = name.as_str().unwrap();
        assert!(string(input, "description").len() > 15, "input `{name}` has no real description");
        // docs/ci.md's table of inputs: | `name` | `default` | what it does |
        let row = guide.lines().find(|l| l.starts_with(&format!("| `{name}` |")));
        let Some(row) = row else { panic!("docs/ci.md's table does not document the input `{name}`") };
        let documented = row.split('|').nth(2).unwrap().trim().trim_matches('`');
        assert_eq!(documented, string(input, "default"), "docs/ci.md gives `{name}` another default");
        // Used where the runner evaluates it (env, with, if), never inside a script.
        let used = steps(&action).iter().any(|s| {
            let yaml = serde_norway::to_string(&[&s["env"], &s["with"], &s["if"]]).unwrap();
            yaml.contains(&format!("inputs.{name} ")) || yaml.contains(&format!("inputs.{name}\n"))
        });
        assert!(used, "input `{name}` is declared but no step uses it");
    }
    for name in regex::Regex::new(r"inputs\.([a-z-]+)").unwrap().captures_iter(&text) {
        assert!(inputs.contains_key(&name[1]), "`inputs.{}` is not declared", &name[1]);
    }
    let script_path = regex::Regex::new(r"scripts/[a-z-]+\.sh").unwrap();
    for s in steps(&action) {
        let script = string(&s, "run");
        assert!(!script.contains("${{"), "an expression inside a script can inject code: {script}");
        if !script.is_empty() {
            assert_eq!(string(&s, "shell"), "bash", "a composite step needs a shell: {s:?}");
        }
        // Each variable a step sets from an input is read by what the step runs.
        let Some(env) = s["env"].as_mapping() else { continue };
        let body = match script_path.find(script) {
            Some(path) => read(path.as_str()),
            None => script.to_string(),
        };
        for var in env.keys().map(|k| k.as_str().unwrap()) {
            assert!(body.contains(var), "step {:?} sets {var} and never reads it", string(&s, "name"));
        }
    }
}

/// The flag each input of the check step becomes; a new input must be added here, with a test.
const CHECK_INPUTS: &[(&str, &str)] = &[
    ("paths", "PATH"),
    ("format", "--format"),
    ("config", "--config"),
    ("select", "--select"),
    ("ignore", "--ignore"),
    ("fail-on", "--fail-on"),
    ("baseline", "--baseline"),
    ("var-file", "--var-file"),
    ("exclude", "--exclude"),
    ("sarif-file", "--format sarif >FILE"),
    ("args", "ARGS"),
];

#[test]
fn each_check_input_becomes_a_real_flag() {
    let wired: BTreeSet<String> = check_env(&action()).into_values().collect();
    let tested: BTreeSet<String> = CHECK_INPUTS.iter().map(|(i, _)| i.to_string()).collect();
    assert_eq!(wired, tested, "the check step's inputs and this test's table differ");
    let flags = check_flags();
    for (input, flag) in CHECK_INPUTS {
        let flag = flag.split(' ').next().unwrap();
        assert!(!flag.starts_with("--") || flags.contains(flag), "input `{input}`: `fleet-iam check` has no {flag}");
    }
}

/// A stand-in for fleet-iam that logs its arguments and exits with FAKE_STATUS.
const FAKE: &str = r#"#!/usr/bin/env bash
{ printf '%s\n' "$@"; echo '<end>'; } >>"$FAKE_LOG"
case " $* " in *" --format sarif "*) echo '{"runs": []}' ;; *) echo "report for the log" ;; esac
exit "${FAKE_STATUS:-0}"
"#;

struct CheckRun {
    status: i32,
    stdout: String,
    calls: Vec<Vec<String>>,
    output: String,
}

/// Runs the check step's script as action.yml does, with `env` as the inputs' variables.
fn run_check(dir: &Path, bin: &Path, env: &[(&str, &str)]) -> CheckRun {
    let log = dir.join("calls.log");
    let out = dir.join("github-output");
    let _ = std::fs::remove_file(&log);
    std::fs::write(&out, "").unwrap();
    let mut command = Command::new("bash");
    command.arg(repo_root().join("scripts/action-check.sh")).current_dir(dir);
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("FLEET_IAM_") || k.starts_with("FAKE_")) {
        command.env_remove(k);
    }
    command.env("FLEET_IAM_BIN", bin).env("FAKE_LOG", &log).env("GITHUB_OUTPUT", &out);
    command.envs(env.iter().copied());
    let output = command.output().unwrap();
    let calls = std::fs::read_to_string(&log).unwrap_or_default();
    let calls =
        calls.split("<end>\n").filter(|c| !c.is_empty()).map(|c| c.lines().map(str::to_string).collect()).collect();
    CheckRun {
        status: output.status.code().unwrap(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        calls,
        output: std::fs::read_to_string(&out).unwrap(),
    }
}

fn fake(dir: &Path) -> std::path::PathBuf {
    let bin = dir.join("fake-fleet-iam");
    std::fs::write(&bin, FAKE).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    bin
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

#[test]
fn the_check_script_turns_every_input_into_its_flag() {
    let dir = tempfile::tempdir().unwrap();
    let bin = fake(dir.path());
    let env = [
        ("FLEET_IAM_PATHS", "infra\n  plan.json"),
        ("FLEET_IAM_FORMAT", "compact"),
        ("FLEET_IAM_CONFIG", "ci/fleet-iam.toml"),
        ("FLEET_IAM_SELECT", "H5, M5\niam-wildcard-action"),
        ("FLEET_IAM_IGNORE", "IMDS"),
        ("FLEET_IAM_FAIL_ON", "warning"),
        ("FLEET_IAM_BASELINE", ".fleet-iam-baseline.json"),
        ("FLEET_IAM_VAR_FILE", "env/prod.tfvars env/eu.tfvars"),
        ("FLEET_IAM_EXCLUDE", "examples/**\n*.tf.json"),
        ("FLEET_IAM_SARIF_FILE", "out.sarif"),
        ("FLEET_IAM_ARGS", "--var region=eu-west-1 --source-dir infra"),
        ("FAKE_STATUS", "1"),
    ];
    let run = run_check(dir.path(), &bin, &env);
    assert_eq!(run.status, 0, "findings leave the step to the upload: {}", run.stdout);
    assert_eq!(run.output, "exit-code=1\n");
    let common = strings(&[
        "check",
        "--fail-on",
        "warning",
        "--config",
        "ci/fleet-iam.toml",
        "--select",
        "H5,M5,iam-wildcard-action",
        "--ignore",
        "IMDS",
        "--baseline",
        ".fleet-iam-baseline.json",
        "--var-file",
        "env/prod.tfvars",
        "--var-file",
        "env/eu.tfvars",
        "--exclude",
        "examples/**",
        "--exclude",
        "*.tf.json",
        "--var",
        "region=eu-west-1",
        "--source-dir",
        "infra",
    ]);
    let with = |tail: &[&str]| [common.clone(), strings(tail)].concat();
    assert_eq!(
        run.calls,
        [
            with(&["--format", "compact", "--", "infra", "plan.json"]),
            with(&["--format", "sarif", "--", "infra", "plan.json"])
        ]
    );
    assert_eq!(run.stdout.trim(), "report for the log");
    assert_eq!(std::fs::read_to_string(dir.path().join("out.sarif")).unwrap(), "{\"runs\": []}\n");

    // The flags built from every input parse with the real binary.
    let mut real = assert_cmd::cargo::cargo_bin_cmd!("fleet-iam");
    let help = real.args(with(&["--format", "compact", "--help"])).output().unwrap();
    assert!(help.status.success(), "{}", String::from_utf8_lossy(&help.stderr));
}

#[test]
fn the_check_script_defaults_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let bin = fake(dir.path());
    // Defaults: annotations for the log, the whole tree, no SARIF when sarif-file is empty.
    let run = run_check(dir.path(), &bin, &[]);
    assert_eq!((run.status, run.output.as_str()), (0, "exit-code=0\n"));
    assert_eq!(run.calls, [strings(&["check", "--fail-on", "error", "--format", "github", "--", "."])]);

    // 2: fleet-iam could not check; the step fails and no SARIF run follows.
    let run = run_check(dir.path(), &bin, &[("FAKE_STATUS", "2"), ("FLEET_IAM_SARIF_FILE", "r.sarif")]);
    assert_eq!((run.status, run.output.as_str(), run.calls.len()), (2, "exit-code=2\n", 1));

    // A SARIF file that cannot be written is a failure to check, not a finding.
    let run = run_check(dir.path(), &bin, &[("FLEET_IAM_SARIF_FILE", "no/such/dir/r.sarif")]);
    assert_eq!((run.status, run.output.as_str()), (2, "exit-code=2\n"), "{}", run.stdout);
    assert!(run.stdout.contains("::error title=fleet-iam::cannot write the SARIF report"), "{}", run.stdout);

    // Nothing is glob-expanded or evaluated by the shell.
    std::fs::write(dir.path().join("a.tf"), "").unwrap();
    let run = run_check(dir.path(), &bin, &[("FLEET_IAM_PATHS", "*.tf $(touch pwned) `id`")]);
    assert_eq!(run.calls[0][6..], strings(&["*.tf", "$(touch", "pwned)", "`id`"]));
    assert!(!dir.path().join("pwned").exists());
}

#[test]
fn the_check_script_with_the_real_binary_annotates_and_writes_sarif() {
    let dir = tempfile::tempdir().unwrap();
    let sample = repo_root().join("testdata/projects/h5-sample");
    let sarif = dir.path().join("fleet-iam.sarif");
    let env = [
        ("FLEET_IAM_PATHS", sample.to_str().unwrap()),
        ("FLEET_IAM_SARIF_FILE", sarif.to_str().unwrap()),
        ("FLEET_IAM_SELECT", "H5"),
    ];
    let run = run_check(dir.path(), Path::new(env!("CARGO_BIN_EXE_fleet-iam")), &env);
    assert_eq!((run.status, run.output.as_str()), (0, "exit-code=1\n"), "{}", run.stdout);
    assert!(run.stdout.lines().any(|l| l.starts_with("::error file=") && l.contains("iam-service-wildcard")));
    let log: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["ruleId"] == "iam-service-wildcard"), "{results:?}");
    assert!(results.iter().all(|r| r["ruleId"] != "imdsv2-required"), "--select H5 reached the SARIF run too");
}

/// Runs `action-install.sh MODE` with a runner's environment; returns (status, GITHUB_OUTPUT).
fn install(mode: &str, action_path: &Path, env: &[(&str, &str)]) -> (i32, BTreeMap<String, String>, String) {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("github-output");
    std::fs::write(&out, "").unwrap();
    let output = Command::new("bash")
        .arg(repo_root().join("scripts/action-install.sh"))
        .arg(mode)
        .env("GITHUB_ACTION_PATH", action_path)
        .env("GITHUB_OUTPUT", &out)
        .env("RUNNER_TEMP", temp.path())
        .env_remove("FLEET_IAM_VERSION")
        .env_remove("FLEET_IAM_ACTION_REPOSITORY")
        .env_remove("FLEET_IAM_ACTION_REF")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let values = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let said = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    (output.status.code().unwrap(), values, said)
}

/// The action checked out as the runner does it: `<work>/_actions/OWNER/REPO/REF`.
fn checkout(work: &Path, reference: &str) -> std::path::PathBuf {
    let path = work.join("_actions/acme/fleet-iam").join(reference);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(repo_root(), &path).unwrap();
    path
}

#[cfg(unix)]
#[test]
fn the_install_plan_follows_the_reference_and_the_runner() {
    let work = tempfile::tempdir().unwrap();
    let tagged = checkout(work.path(), "v0.1.0");
    let (status, plan, said) = install("plan", &tagged, &[("RUNNER_OS", "Linux"), ("RUNNER_ARCH", "X64")]);
    assert_eq!(status, 0, "{said}");
    assert_eq!(plan["repository"], "acme/fleet-iam");
    assert_eq!(plan["tag"], "v0.1.0");
    assert_eq!(plan["target"], "x86_64-unknown-linux-musl");
    assert!(plan["bin"].ends_with("/bin/fleet-iam") && plan["bin"].starts_with(&plan["dir"]), "{plan:?}");
    let version = env!("CARGO_PKG_VERSION");
    assert!(plan["key"].starts_with(&format!("fleet-iam-Linux-X64-source-{version}-")), "{plan:?}");

    // A branch: no release to take; the build's cache key follows the sources, not the name.
    let branch = checkout(work.path(), "main");
    let (_, plan_main, _) = install("plan", &branch, &[("RUNNER_OS", "macOS"), ("RUNNER_ARCH", "ARM64")]);
    assert_eq!((plan_main["tag"].as_str(), plan_main["target"].as_str()), ("", "aarch64-apple-darwin"));
    assert_eq!(plan_main["key"].rsplit('-').next(), plan["key"].rsplit('-').next());

    // The `version` input wins; Windows gets the .exe; a local action (`uses: ./`) has no release.
    let (_, plan_win, _) =
        install("plan", &branch, &[("RUNNER_OS", "Windows"), ("RUNNER_ARCH", "X64"), ("FLEET_IAM_VERSION", "0.3.1")]);
    assert_eq!(plan_win["tag"], "v0.3.1");
    assert_eq!(plan_win["key"], "fleet-iam-Windows-X64-release-v0.3.1");
    assert!(plan_win["bin"].ends_with("/bin/fleet-iam.exe"));
    let (_, local, _) = install("plan", &repo_root(), &[("RUNNER_OS", "Linux"), ("RUNNER_ARCH", "ARM64")]);
    assert_eq!((local["repository"].as_str(), local["tag"].as_str()), ("", ""));
    assert_eq!(local["target"], "aarch64-unknown-linux-musl");
}

/// A release as the release workflow publishes it, served from the file system.
fn release(server: &Path, tag: &str, target: &str, checksum: Option<&str>) {
    let name = format!("fleet-iam-{tag}-{target}");
    let assets = server.join("acme/fleet-iam/releases/download").join(tag);
    let staging = server.join("staging").join(&name);
    std::fs::create_dir_all(&assets).unwrap();
    std::fs::create_dir_all(&staging).unwrap();
    std::fs::write(staging.join("fleet-iam"), "#!/bin/sh\necho fleet-iam from the release\n").unwrap();
    let archive = assets.join(format!("{name}.tar.gz"));
    let tar =
        Command::new("tar").arg("-C").arg(staging.parent().unwrap()).arg("-czf").arg(&archive).arg(&name).status();
    assert!(tar.unwrap().success());
    let sum = Command::new("sha256sum").arg(&archive).output().unwrap();
    let sum = String::from_utf8(sum.stdout).unwrap();
    let sum = checksum.unwrap_or_else(|| sum.split(' ').next().unwrap()).to_string();
    std::fs::write(assets.join(format!("{name}.tar.gz.sha256")), format!("{sum}  {name}.tar.gz\n")).unwrap();
}

#[cfg(unix)]
#[test]
fn the_release_binary_is_installed_only_when_its_checksum_matches() {
    let work = tempfile::tempdir().unwrap();
    let server = work.path().join("server");
    let target = "x86_64-unknown-linux-musl";
    let action = checkout(work.path(), "v0.1.0");
    let url = format!("file://{}", server.display());
    let download = |tag: &str, dir: &Path| {
        let env = [
            ("GITHUB_SERVER_URL", url.as_str()),
            ("FLEET_IAM_TAG", tag),
            ("FLEET_IAM_TARGET", target),
            ("FLEET_IAM_DIR", dir.to_str().unwrap()),
        ];
        install("download", &action, &env)
    };

    release(&server, "v0.1.0", target, None);
    let good = work.path().join("good");
    let (status, out, said) = download("v0.1.0", &good);
    assert_eq!((status, out["installed"].as_str()), (0, "true"), "{said}");
    let ran = Command::new(good.join("bin/fleet-iam")).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&ran.stdout), "fleet-iam from the release\n");

    // No such release: build from source instead (the action caches that build).
    let (status, out, said) = download("v9.9.9", &work.path().join("none"));
    assert_eq!((status, out["installed"].as_str()), (0, "false"), "{said}");
    assert!(said.contains("::notice"), "{said}");

    // A binary that does not match its checksum is never installed, and the step fails.
    release(&server, "v0.2.0", target, Some(&"0".repeat(64)));
    let bad = work.path().join("bad");
    let (status, out, said) = download("v0.2.0", &bad);
    assert_eq!(status, 1, "{said}");
    assert!(!out.contains_key("installed") && !bad.join("bin/fleet-iam").exists());
    assert!(said.contains("does not match its SHA-256 checksum"), "{said}");
}

#[cfg(unix)]
#[test]
fn a_build_refuses_a_version_the_source_is_not() {
    let work = tempfile::tempdir().unwrap();
    let action = checkout(work.path(), "main");
    let dir = work.path().join("build");
    let env = [("FLEET_IAM_VERSION", "v99.0.0"), ("FLEET_IAM_DIR", dir.to_str().unwrap())];
    let (status, _, said) = install("build", &action, &env);
    assert_eq!(status, 1, "{said}");
    assert!(said.contains("no release binary of fleet-iam 99.0.0"), "{said}");
    assert!(!dir.exists());
}

/// The workflows docs/ci.md shows are the files CI checks with actionlint, word for word.
#[test]
fn the_ci_guide_shows_the_example_workflows_as_they_are() {
    let guide = read("docs/ci.md");
    let block = regex::Regex::new(r"(?s)```yaml\n(.*?)```").unwrap();
    let shown: Vec<&str> = block.captures_iter(&guide).map(|c| c.get(1).unwrap().as_str()).collect();
    let dir = repo_root().join("docs/examples/workflows");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() >= 3, "docs/examples/workflows holds {} workflows", files.len());
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        assert!(shown.contains(&text.as_str()), "docs/ci.md does not show {} as it is", file.display());
    }
    assert_eq!(shown.len(), files.len(), "docs/ci.md shows a workflow that is not in docs/examples/workflows");
    let name = |f: &str| files.iter().any(|p| p.file_name().unwrap() == f);
    assert!(name("code-scanning.yml") && name("plan.yml") && name("baseline.yml"));
    // The plan workflow does what the guide says: plan, show -json, check the JSON.
    let plan = std::fs::read_to_string(dir.join("plan.yml")).unwrap();
    for needed in
        ["terraform plan -input=false -out tfplan", "terraform show -json tfplan > plan.json", "paths: infra/plan.json"]
    {
        assert!(plan.contains(needed), "plan.yml lacks `{needed}`");
    }
    assert!(std::fs::read_to_string(dir.join("baseline.yml")).unwrap().contains("baseline: "));
}
