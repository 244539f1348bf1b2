//! `check --fix`, `--diff` and `--unsafe-fixes` through the binary (issue 16): a snapshot of the
//! diff of each fix over `testdata/fix/`, untouched bytes (comments, spacing, line breaks, a
//! byte-order mark, a missing last line break) staying as they were, fixing twice changing
//! nothing, a check after `--fix` no longer reporting what was fixed, and no diff showing a
//! secret.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod safety;

use common::{fleet_iam, fleet_iam_in, repo_root};
use safety::{Lcg, Tree, leaks};
use serde_json::Value;
use std::fs;
use std::path::Path;

/// The fixture directories of `testdata/fix/`, sorted.
fn fixtures() -> Vec<String> {
    let mut dirs: Vec<String> = fs::read_dir(repo_root().join("testdata/fix"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    dirs
}

fn shown(run: &common::Run) -> String {
    format!("exit {}\n--- stdout\n{}--- stderr\n{}", run.code, run.stdout, run.stderr)
}

#[test]
fn diff_of_each_fix() {
    for dir in fixtures() {
        let path = format!("testdata/fix/{dir}");
        let run = fleet_iam(&["check", "--diff", "--unsafe-fixes", "--color", "never", &path]);
        insta::assert_snapshot!(format!("diff_{dir}"), shown(&run));
    }
}

#[test]
fn unsafe_fixes_need_the_flag() {
    for dir in ["eks-public-endpoint", "eks-public-cidr"] {
        let path = format!("testdata/fix/{dir}");
        let run = fleet_iam(&["check", "--diff", "--color", "never", &path]);
        assert_eq!(run.code, 0, "nothing safe to fix in {dir}:\n{}", shown(&run));
        assert_eq!(run.stdout, "", "{dir}");
        assert!(run.stderr.contains("would fix 0 findings"), "{}", run.stderr);
        assert!(run.stderr.contains("more fixable with --unsafe-fixes"), "{}", run.stderr);
    }
    let alone = fleet_iam(&["check", "--unsafe-fixes", "testdata/fix/eks-public-cidr"]);
    assert_eq!(alone.code, 2);
    assert!(alone.stderr.contains("--unsafe-fixes goes with --fix or --diff"), "{}", alone.stderr);
}

#[test]
fn a_report_in_a_pipe_has_no_fix_hint() {
    // The hint (`note: 5 findings fixable with --fix`) is for a terminal; see fixing.rs's tests.
    let run = fleet_iam(&["check", "--color", "never", "testdata/fix/secret-variable-not-sensitive"]);
    assert_eq!(run.stderr, "");
}

/// A copy of `testdata/fix/` in a temporary directory.
fn copy_fixtures() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for dir in fixtures() {
        let from = repo_root().join("testdata/fix").join(&dir);
        fs::create_dir_all(tmp.path().join(&dir)).unwrap();
        for entry in fs::read_dir(&from).unwrap() {
            let entry = entry.unwrap();
            fs::copy(entry.path(), tmp.path().join(&dir).join(entry.file_name())).unwrap();
        }
    }
    tmp
}

fn json_findings(dir: &Path, path: &str) -> Vec<Value> {
    let run = fleet_iam_in(dir, &["check", "--format", "json", path]);
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    doc["findings"].as_array().unwrap().clone()
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for sub in fixtures() {
        for entry in fs::read_dir(dir.join(&sub)).unwrap() {
            let entry = entry.unwrap();
            out.push((format!("{sub}/{}", entry.file_name().to_string_lossy()), fs::read(entry.path()).unwrap()));
        }
    }
    out.sort();
    out
}

#[test]
fn a_check_after_fix_no_longer_reports_what_was_fixed() {
    let tmp = copy_fixtures();
    for dir in fixtures() {
        let before = json_findings(tmp.path(), &dir);
        let fixable = before.iter().filter(|f| f.get("fix").is_some()).count();
        let unfixable: Vec<(Value, Value)> = before
            .iter()
            .filter(|f| f.get("fix").is_none())
            .map(|f| (f["rule"].clone(), f["message"].clone()))
            .collect();
        let run = fleet_iam_in(tmp.path(), &["check", "--fix", "--unsafe-fixes", "--format", "compact", &dir]);
        assert!(run.code == 0 || run.code == 1, "{dir}: {}", shown(&run));
        let after = json_findings(tmp.path(), &dir);
        for f in &after {
            assert!(f.get("fix").is_none(), "{dir}: still fixable after --fix: {f:#}");
            let key = (f["rule"].clone(), f["message"].clone());
            assert!(unfixable.contains(&key), "{dir}: a finding the fix brought out: {f:#}");
        }
        // A fix may also end an unfixable finding: a private endpoint has no open CIDR list.
        assert!(after.len() <= unfixable.len(), "{dir}: {after:#?}");
        assert!(
            run.stderr.contains(&format!("fixed {fixable} finding")),
            "{dir}: the summary counts {fixable} fixed:\n{}",
            run.stderr
        );
        assert!(run.stderr.contains(&format!("{} remain", after.len())), "{dir}:\n{}", run.stderr);
        // `--fix` reports what remains, as a check does.
        assert_eq!(run.stdout.lines().count(), after.len(), "{dir}:\n{}", run.stdout);
    }
}

#[test]
fn fixing_twice_changes_nothing() {
    let tmp = copy_fixtures();
    let first = fleet_iam_in(tmp.path(), &["check", "--fix", "--unsafe-fixes", "."]);
    assert!(first.stderr.contains("fixed "), "{}", first.stderr);
    let once = files(tmp.path());
    let again = fleet_iam_in(tmp.path(), &["check", "--fix", "--unsafe-fixes", "."]);
    assert!(again.stderr.contains("fixed 0 findings in 0 files"), "{}", again.stderr);
    assert_eq!(files(tmp.path()), once, "a second --fix changed a file");
    let diff = fleet_iam_in(tmp.path(), &["check", "--diff", "--unsafe-fixes", "."]);
    assert_eq!((diff.code, diff.stdout.as_str()), (0, ""), "{}", diff.stderr);
}

#[test]
fn diff_writes_nothing() {
    let tmp = copy_fixtures();
    let before = files(tmp.path());
    let run = fleet_iam_in(tmp.path(), &["check", "--diff", "--fix", "--unsafe-fixes", "."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.contains("+++ b/"), "{}", run.stdout);
    assert_eq!(files(tmp.path()), before);
}

/// The lines of `old` that a fix changed or removed.
fn changed_lines(old: &str, new: &str) -> Vec<String> {
    similar::TextDiff::from_lines(old, new)
        .iter_all_changes()
        .filter(|c| c.tag() == similar::ChangeTag::Delete)
        .map(|c| c.value().to_string())
        .collect()
}

#[test]
fn untouched_bytes_stay_identical() {
    let original = fs::read_to_string(repo_root().join("testdata/fix/formatting/main.tf")).unwrap();
    assert!(!original.ends_with('\n'), "the fixture ends without a line break");
    let fix = |bytes: &[u8]| {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("main.tf"), bytes).unwrap();
        let run = fleet_iam_in(tmp.path(), &["check", "--fix", "main.tf"]);
        assert!(run.stderr.contains("fixed 3 findings in 1 file"), "{}", run.stderr);
        fs::read(tmp.path().join("main.tf")).unwrap()
    };
    let fixed = String::from_utf8(fix(original.as_bytes())).unwrap();
    // Only the edited attribute changed; every other line (tabs, trailing spaces, comments,
    // the heredoc, unaligned `=`) is as it was, and the last line still has no line break.
    assert_eq!(changed_lines(&original, &fixed), ["    http_tokens = \"optional\" /* inline block comment */\n"]);
    let added: Vec<String> = similar::TextDiff::from_lines(&original, &fixed)
        .iter_all_changes()
        .filter(|c| c.tag() == similar::ChangeTag::Insert)
        .map(|c| c.value().to_string())
        .collect();
    assert_eq!(
        added,
        ["  sensitive = true\n", "    http_tokens = \"required\" /* inline block comment */\n", "  sensitive = true\n"]
    );
    assert!(fixed.ends_with("\n}") && !fixed.ends_with("\n}\n"));
    // CRLF line breaks and a byte-order mark are kept: the same fix, byte for byte.
    let crlf = original.replace('\n', "\r\n");
    let mut with_bom = vec![0xEF, 0xBB, 0xBF];
    with_bom.extend_from_slice(crlf.as_bytes());
    let mut expected = vec![0xEF, 0xBB, 0xBF];
    expected.extend_from_slice(fixed.replace('\n', "\r\n").as_bytes());
    assert_eq!(String::from_utf8_lossy(&fix(&with_bom)), String::from_utf8_lossy(&expected));
}

#[test]
fn plans_and_tf_json_are_not_fixable() {
    let run = fleet_iam(&["check", "--diff", "testdata/fix/not-fixable"]);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains("main.tf.json: 2 findings not fixable: only .tf files are edited, not plans or .tf.json"),
        "{}",
        run.stderr
    );
    let findings = json_findings(&repo_root(), "testdata/fix/not-fixable");
    assert!(!findings.is_empty() && findings.iter().all(|f| f.get("fix").is_none()));
}

#[test]
fn a_file_that_does_not_parse_stops_no_other_fix() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("broken.tf"), "variable \"db_password\" {\n  type = string\n").unwrap();
    fs::write(tmp.path().join("ok.tf"), "variable \"api_token\" {\n  type = string\n}\n").unwrap();
    let run = fleet_iam_in(tmp.path(), &["check", "--fix", "--format", "compact", "."]);
    assert_eq!(run.code, 1, "the parse error remains: {}", shown(&run));
    assert!(run.stdout.contains("broken.tf:") && run.stdout.contains("parse-error"), "{}", run.stdout);
    assert_eq!(
        fs::read_to_string(tmp.path().join("ok.tf")).unwrap(),
        "variable \"api_token\" {\n  type = string\n  sensitive = true\n}\n",
        "`type` keeps its spacing: a name longer than its `=` allows is not aligned with it"
    );
    assert_eq!(
        fs::read_to_string(tmp.path().join("broken.tf")).unwrap(),
        "variable \"db_password\" {\n  type = string\n"
    );
}

#[test]
fn the_deepest_input_the_core_reads_is_fixed_too() {
    let tmp = tempfile::tempdir().unwrap();
    let deep = format!("{}[]{}", "[for x in ".repeat(63), " : x]".repeat(63));
    let text = format!("variable \"db_password\" {{\n  type = string\n}}\n\nlocals {{\n  deep = {deep}\n}}\n");
    fs::write(tmp.path().join("main.tf"), &text).unwrap();
    let run = fleet_iam_in(tmp.path(), &["check", "--fix", "main.tf"]);
    assert!(run.stderr.contains("fixed 1 finding in 1 file"), "{}", shown(&run));
    let fixed = fs::read_to_string(tmp.path().join("main.tf")).unwrap();
    assert_eq!(fixed, text.replace("  type = string\n", "  type = string\n  sensitive = true\n"));
}

#[test]
#[cfg(unix)]
fn a_pipe_is_diffed_once_and_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let text = "variable \"db_password\" {\n  type = string\n  sensitive = false\n}\n";
    for (args, code) in
        [(&["check", "--diff", "main.tf"][..], 1), (&["check", "--fix", "--format", "compact", "main.tf"][..], 1)]
    {
        let fifo = dir.path().join("main.tf");
        let _ = fs::remove_file(&fifo);
        if !std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success()) {
            return;
        }
        let writer = std::thread::spawn(move || fs::write(fifo, text).unwrap());
        let run = fleet_iam_in(dir.path(), args);
        writer.join().unwrap();
        assert_eq!(run.code, code, "{args:?}: {}", shown(&run));
        if args.contains(&"--diff") {
            assert_eq!(run.stdout.matches("+  sensitive = true").count(), 1, "{}", run.stdout);
            assert!(run.stderr.contains("would fix 1 finding in 1 file; 0 would remain"), "{}", run.stderr);
        } else {
            assert!(run.stderr.contains("not a regular file: it cannot be rewritten (use --diff)"), "{}", run.stderr);
            assert!(run.stdout.contains("secret-variable-not-sensitive"), "{}", run.stdout);
        }
    }
}

/// A tree with a random secret in each shape a fix touches, next to the edit or inside it.
fn secret_tree(seed: u64) -> Tree {
    let mut lcg = Lcg::new(seed);
    let mut tree = Tree::new();
    let password = tree.secret(lcg.secret(20));
    let helm_block = tree.secret(lcg.secret(18));
    let helm_list = tree.secret(lcg.secret(22));
    let token = tree.secret(lcg.secret(24));
    let key_id = tree.secret(lcg.aws_key_id());
    let variables = format!(
        "variable \"db_password\" {{\n  type    = string\n  default = \"{password}\"\n}}\n\n\
         output \"db_password\" {{\n  value = var.db_password\n}}\n"
    );
    tree.write("app/variables.tf", &variables);
    let helm = format!(
        "resource \"helm_release\" \"grafana\" {{\n  name  = \"grafana\"\n  chart = \"grafana\"\n\n  set {{\n    name  = \"adminPassword\"\n    value = \"{helm_block}\"\n  }}\n}}\n\n\
         resource \"helm_release\" \"redis\" {{\n  name  = \"redis\"\n  chart = \"redis\"\n\n  set = [\n    {{ name = \"architecture\", value = \"standalone\" }},\n    {{ name = \"auth.password\", value = \"{helm_list}\" }},\n  ]\n}}\n"
    );
    tree.write("app/helm.tf", &helm);
    let compute = format!(
        "# deploy key {key_id}\nresource \"aws_instance\" \"web\" {{\n  ami           = \"ami-0c55b159cbfafe1f0\"\n  instance_type = \"t3.micro\"\n  tags = {{\n    api_token = \"{token}\"\n  }}\n}}\n\n\
         resource \"aws_eks_cluster\" \"x\" {{\n  name     = \"x\"\n  role_arn = \"arn:aws:iam::123456789012:role/eks\"\n  tags     = {{ token = \"{token}\" }}\n  vpc_config {{\n    subnet_ids          = [\"subnet-1\"]\n    public_access_cidrs = [\"0.0.0.0/0\", \"10.0.0.0/8\"]\n  }}\n}}\n"
    );
    tree.write("app/compute.tf", &compute);
    tree
}

#[test]
fn diff_never_shows_a_secret_and_fix_keeps_the_real_bytes() {
    for seed in [1, 2, 3, 16, 2026] {
        let tree = secret_tree(seed);
        let diff = fleet_iam_in(tree.root(), &["check", "--diff", "--unsafe-fixes", "--color", "never", "."]);
        assert_eq!(diff.code, 1, "{}", shown(&diff));
        for needle in
            ["set_sensitive {", "+  sensitive = true", "+    http_tokens = \"required\"", "-    public_access_cidrs"]
        {
            assert!(diff.stdout.contains(needle), "seed {seed}: the diff shows `{needle}`:\n{}", diff.stdout);
        }
        assert!(diff.stdout.contains("****"), "seed {seed}: masked values are shown as ****:\n{}", diff.stdout);
        let mut all = vec![("--diff stdout".to_string(), diff.stdout.clone()), ("--diff stderr".into(), diff.stderr)];
        let fix = fleet_iam_in(tree.root(), &["check", "--fix", "--unsafe-fixes", "--color", "never", "."]);
        all.push(("--fix stdout".into(), fix.stdout));
        all.push(("--fix stderr".into(), fix.stderr));
        let found = leaks(&all, &tree.secrets, &tree.background());
        assert!(found.is_empty(), "seed {seed}: secrets shown:\n{}\n{}", found.join("\n"), diff.stdout);
        // The files on disk keep the secrets themselves: a fix masks nothing it writes.
        let written: String = ["app/variables.tf", "app/helm.tf", "app/compute.tf"]
            .iter()
            .map(|p| fs::read_to_string(tree.root().join(p)).unwrap())
            .collect();
        for secret in &tree.secrets {
            assert!(written.contains(secret.as_str()), "seed {seed}: --fix lost a value");
        }
        assert!(written.contains("set_sensitive = [") && !written.contains("****"), "{written}");
    }
}

/// Copies the tree `from` into `to`.
fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every rule fixture of `testdata/rules/`, fixed: no file stops parsing, nothing fixable is
/// left, and a second run changes nothing.
#[test]
fn every_rule_fixture_fixes_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&repo_root().join("testdata/rules"), &tmp.path().join("rules"));
    let parse_errors = |dir: &Path| json_findings(dir, "rules").iter().filter(|f| f["rule"] == "parse-error").count();
    let before = parse_errors(tmp.path());
    let run = fleet_iam_in(tmp.path(), &["check", "--fix", "--unsafe-fixes", "--format", "compact", "rules"]);
    assert!(run.code == 0 || run.code == 1, "{}", shown(&run));
    assert!(!run.stderr.contains("is not applied"), "{}", run.stderr);
    assert!(!run.stderr.contains("fixed 0 findings"), "{}", run.stderr);
    assert_eq!(parse_errors(tmp.path()), before, "a fix broke a file");
    let left: Vec<Value> = json_findings(tmp.path(), "rules").into_iter().filter(|f| f.get("fix").is_some()).collect();
    assert!(left.is_empty(), "fixable findings left: {left:#?}");
    let again = fleet_iam_in(tmp.path(), &["check", "--diff", "--unsafe-fixes", "rules"]);
    assert_eq!((again.code, again.stdout.as_str()), (0, ""), "{}", again.stderr);
}

#[test]
fn fix_follows_each_files_own_configuration() {
    // Two modules with the same secret variable; the nearest `fleet-iam.toml` of one turns the
    // rule off, so `--fix` over both (in either order) fixes only the other.
    let variable = "variable \"db_password\" {\n  type = string\n}\n";
    for order in [["quiet", "loud"], ["loud", "quiet"]] {
        let tmp = tempfile::tempdir().unwrap();
        fs::create_dir(tmp.path().join(".git")).unwrap();
        for dir in ["quiet", "loud"] {
            fs::create_dir(tmp.path().join(dir)).unwrap();
            fs::write(tmp.path().join(dir).join("variables.tf"), variable).unwrap();
        }
        fs::write(
            tmp.path().join("quiet/fleet-iam.toml"),
            "[rules.secret-variable-not-sensitive]\nseverity = \"off\"\n",
        )
        .unwrap();
        let run = fleet_iam_in(tmp.path(), &["check", "--fix", order[0], order[1]]);
        assert!(run.stderr.contains("fixed 1 finding in 1 file"), "{order:?}: {}", shown(&run));
        assert_eq!(fs::read_to_string(tmp.path().join("quiet/variables.tf")).unwrap(), variable, "{order:?}");
        let loud = fs::read_to_string(tmp.path().join("loud/variables.tf")).unwrap();
        assert!(loud.contains("sensitive = true"), "{order:?}: {loud}");
    }
}
