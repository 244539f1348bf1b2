//! Issue 15, "Output that tools rank" and "Configuration": `--statistics`, `--format markdown`,
//! `-o`, `-q`, `check -` with `--stdin-filename`, and the configuration each file uses.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{fleet_iam, fleet_iam_in, fleet_iam_stdin, repo_root};
use std::fs;
use std::path::Path;

const SAMPLE: &str = "testdata/projects/h5-sample";
const EKS_PLAN: &str = "testdata/plans/realworld/eks-partial-values.tf-0.13.5.json";
const OIDC_PLAN: &str = "testdata/plans/realworld/github-oidc-trust.tf-1.5.7.json";
const FOR_EACH_PLAN: &str = "testdata/plans/realworld/for-each.tf-1.9.5.json";

/// The rule ids of a compact report, one per finding.
fn rules(compact: &str) -> Vec<&str> {
    compact.lines().filter_map(|l| l.split_once('[')?.1.split_once(']').map(|(rule, _)| rule)).collect()
}

#[test]
fn statistics_count_each_rule_most_first() {
    let run = fleet_iam(&["check", "--statistics", SAMPLE]);
    assert_eq!(run.code, 1, "the exit status is the check's: {}", run.stderr);
    let compact = fleet_iam(&["check", "--format", "compact", SAMPLE]).stdout;
    let found = rules(&compact);
    let report: serde_json::Value =
        serde_json::from_str(&fleet_iam(&["check", "--format", "json", SAMPLE]).stdout).unwrap();
    let fixable = |rule: &str| {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == rule && f["fix"]["applicability"] == "safe")
            .count()
    };
    let rows: Vec<(usize, &str, &str)> = run
        .stdout
        .lines()
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            assert_eq!(cells.len(), 5, "count, rule, finding, fixable, summary: {line:?}");
            let marker = if fixable(cells[1].trim()) > 0 { "[*]" } else { "" };
            assert_eq!(cells[3].trim(), marker, "{line:?}");
            (cells[0].trim().parse().unwrap(), cells[1].trim(), cells[2].trim())
        })
        .collect();
    // Every rule once, with its count, most first.
    assert_eq!(rows.iter().map(|r| r.0).sum::<usize>(), found.len());
    for (count, rule, _) in &rows {
        assert_eq!(found.iter().filter(|r| r == &rule).count(), *count, "{rule}");
    }
    assert!(rows.windows(2).all(|w| w[0].0 >= w[1].0), "{}", run.stdout);
    assert_eq!(rows[0], (4, "iam-service-wildcard", "H5"));
    assert!(rows.contains(&(1, "parse-error", "-")));
    let json = fleet_iam(&["check", "--statistics", "--format", "json", SAMPLE]);
    let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(
        json[0],
        serde_json::json!({"count": 4, "rule": "iam-service-wildcard", "finding": "H5", "fixable": 0, "summary": fleet_iam_core::registry::find("iam-service-wildcard").unwrap().summary})
    );
}

#[test]
fn statistics_mark_the_rules_fix_can_fix() {
    // The audit sample: a variable and an instance `--fix` fixes, a CIDR only `--unsafe-fixes` does.
    let run = fleet_iam(&["check", "--statistics", "testdata/projects/audit-sample"]);
    let marked: Vec<(&str, &str)> = run
        .stdout
        .lines()
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            (cells[1].trim(), cells[3])
        })
        .collect();
    assert!(marked.contains(&("secret-variable-not-sensitive", "[*]")), "{}", run.stdout);
    assert!(marked.contains(&("imdsv2-required", "[*]")), "{}", run.stdout);
    assert!(marked.contains(&("eks-public-cidr", "   ")), "{}", run.stdout);
    assert!(marked.contains(&("iam-service-wildcard", "   ")), "{}", run.stdout);
}

#[test]
fn markdown_summary_of_the_sample_and_of_real_plans() {
    let run = fleet_iam(&["check", "--format", "markdown", SAMPLE]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    insta::assert_snapshot!("h5_sample_markdown", run.stdout);
    // A real plan that makes an EKS endpoint public, and one that creates roles whose inline
    // policies allow actions and whose trust policies come from data sources.
    let run = fleet_iam(&["check", "--format", "markdown", EKS_PLAN, OIDC_PLAN]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let out = &run.stdout;
    assert!(out.contains("**New public endpoints**\n\n- `true` in `module.child.module.a.aws_eks_cluster.cluster.vpc_config.endpoint_public_access`"), "{out}");
    assert!(out.contains("- `s3:ListBucket` in `module.poc.aws_iam_role.r1[\"p1\"].inline_policy.policy`"), "{out}");
    assert!(
        out.contains(
            "**Policies known only after apply**\n\n- `module.poc.aws_iam_role.r1[\"p1\"].assume_role_policy`"
        ),
        "{out}"
    );
    insta::assert_snapshot!("real_plans_markdown", run.stdout);
    // A real plan whose security groups open every port to the internet.
    let run = fleet_iam(&["check", "--format", "markdown", "--fail-on", "never", FOR_EACH_PLAN]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let opened = "- `0.0.0.0/0 ports 0-65535/-1` in `module.sg[\"bad_example\"].aws_security_group.bad.ingress`";
    assert!(run.stdout.contains(opened), "{}", run.stdout);
    assert_eq!(run.stdout.matches("aws_security_group.bad.ingress`").count(), 3, "{}", run.stdout);
}

#[test]
fn markdown_escapes_crafted_names_and_messages() {
    let dir = tempfile::tempdir().unwrap();
    let name = "x` <img src=y onerror=alert(1)> [l](javascript:evil) @admin #1.tf";
    fs::write(dir.path().join(name), "resource \"aws_instance\" \"a\" {\n  ami = \"ami-1\"\n}\n").unwrap();
    let run = fleet_iam_in(dir.path(), &["check", "--format", "markdown", "."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let line = run.stdout.lines().find(|l| l.starts_with("- **error**")).unwrap();
    // The name sits in one code span whose fence is longer than the backtick it holds.
    assert!(line.contains(&format!(" at ``{name}:1:1``: ")), "{line}");
    assert_eq!(run.stdout.matches("<img").count(), 1, "{}", run.stdout);
}

#[test]
fn output_writes_the_report_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.json");
    let run = fleet_iam(&["check", "--format", "json", "-o", file.to_str().unwrap(), SAMPLE]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stdout, "", "nothing on stdout");
    let written = fs::read_to_string(&file).unwrap();
    assert_eq!(written, fleet_iam(&["check", "--format", "json", SAMPLE]).stdout);
    // An unwritable path: exit 2, naming it.
    let missing = dir.path().join("no-such-dir/report.json");
    let run = fleet_iam(&["check", "--output", missing.to_str().unwrap(), SAMPLE]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("cannot write the report to") && run.stderr.contains("no-such-dir/report.json"),
        "{}",
        run.stderr
    );
}

#[test]
fn quiet_prints_the_findings_without_the_summary() {
    let loud = fleet_iam(&["check", "--color", "never", SAMPLE]);
    let quiet = fleet_iam(&["check", "--color", "never", "-q", SAMPLE]);
    assert_eq!(quiet.code, loud.code);
    let summary = loud.stdout.lines().last().unwrap();
    assert!(summary.starts_with("8 findings"), "{summary}");
    assert_eq!(format!("{}{summary}\n", quiet.stdout), loud.stdout);
    assert!(!quiet.stdout.contains(" findings ("));
    // And no notes on stderr.
    let empty = tempfile::tempdir().unwrap();
    assert!(fleet_iam_in(empty.path(), &["check", "."]).stderr.contains("warning: no Terraform"));
    assert_eq!(fleet_iam_in(empty.path(), &["check", "--quiet", "."]).stderr, "");
}

#[test]
fn stdin_is_checked_as_the_file_it_names() {
    let text = fs::read(repo_root().join(SAMPLE).join("ci_role_jsonencode.tf")).unwrap();
    let name = format!("{SAMPLE}/ci_role_jsonencode.tf");
    let on_disk = fleet_iam(&["check", "--format", "json", &name]);
    let run = fleet_iam_stdin(&repo_root(), &["check", "--format", "json", "--stdin-filename", &name, "-"], &text);
    assert_eq!(run.code, on_disk.code, "{}", run.stderr);
    assert_eq!(run.stdout, on_disk.stdout, "the same findings, at the same path");
    // The name gives the kind: the same text as a policy file is not Terraform.
    let policy = br#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"eks:*","Resource":"*"}]}"#;
    let run = fleet_iam_stdin(
        &repo_root(),
        &["check", "--format", "compact", "--stdin-filename", "not/on/disk/ci.json", "-"],
        policy,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.starts_with("not/on/disk/ci.json:1:"), "{}", run.stdout);
    assert_eq!(rules(&run.stdout), ["iam-service-wildcard"]);
    // Without a name, `-` and the kind from the content.
    let run = fleet_iam_stdin(&repo_root(), &["check", "--format", "compact", "-"], policy);
    assert!(run.stdout.starts_with("-:1:"), "{}", run.stdout);
    // Misuse is an error.
    let run = fleet_iam_stdin(&repo_root(), &["check", "-", SAMPLE], policy);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = fleet_iam(&["check", "--stdin-filename", "a.tf", SAMPLE]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn stdin_uses_the_configuration_and_module_of_the_name() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join(".git")).unwrap();
    fs::create_dir_all(dir.path().join("infra")).unwrap();
    fs::write(dir.path().join("infra/fleet-iam.toml"), "[rules.imdsv2-required]\nseverity = \"off\"\n").unwrap();
    // Siblings: one with a finding of its own (not reported: context), one that declares the
    // variable the input uses (read: the input's module).
    fs::write(dir.path().join("infra/other.tf"), "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({ Statement = [{ Effect = \"Allow\", Action = \"*\", Resource = \"*\" }] })\n}\n").unwrap();
    fs::write(dir.path().join("infra/variables.tf"), "variable \"public\" {\n  default = true\n}\n").unwrap();
    // The file at the name on disk is not read: the input takes its place.
    fs::write(dir.path().join("infra/eks.tf"), "resource \"aws_instance\" \"old\" {}\n").unwrap();
    let input = b"resource \"aws_eks_cluster\" \"c\" {\n  name     = \"c\"\n  role_arn = \"arn:aws:iam::123456789012:role/eks\"\n  vpc_config {\n    subnet_ids             = [\"subnet-1\"]\n    endpoint_public_access = var.public\n    public_access_cidrs    = [\"10.0.0.0/8\"]\n  }\n}\nresource \"aws_instance\" \"a\" {\n  ami = \"ami-1\"\n}\n";
    let args =
        |name: &'static str| ["check", "--format", "compact", "--fail-on", "never", "--stdin-filename", name, "-"];
    let run = fleet_iam_stdin(dir.path(), &args("infra/eks.tf"), input);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // infra/'s configuration turns imdsv2-required off; the variable's default comes from the
    // sibling; other.tf's wildcard is not reported.
    assert_eq!(rules(&run.stdout), ["eks-public-endpoint"], "{}", run.stdout);
    assert!(run.stdout.starts_with("infra/eks.tf:6:"), "{}", run.stdout);
    // Elsewhere: the recommended pack, and no module around it (the variable is unknown).
    let run = fleet_iam_stdin(dir.path(), &args("elsewhere/eks.tf"), input);
    assert_eq!(rules(&run.stdout), ["imdsv2-required"], "{}", run.stdout);
    // Unless a `--var-file` gives it.
    fs::write(dir.path().join("public.tfvars"), "public = true\n").unwrap();
    let mut with_var_file = args("elsewhere/eks.tf").to_vec();
    with_var_file.splice(0..1, ["check", "--var-file", "public.tfvars"]);
    let run = fleet_iam_stdin(dir.path(), &with_var_file, input);
    assert_eq!(rules(&run.stdout), ["eks-public-endpoint", "imdsv2-required"], "{}\n{}", run.stdout, run.stderr);
}

/// A repository with two directories, each with its own configuration.
fn two_configs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join(".git")).unwrap();
    let instance = "resource \"aws_instance\" \"a\" {\n  ami = \"ami-1\"\n}\n";
    for sub in ["a", "b"] {
        fs::create_dir_all(root.join(sub)).unwrap();
        fs::write(root.join(sub).join("main.tf"), instance).unwrap();
    }
    fs::write(root.join("a/fleet-iam.toml"), "[rules.imdsv2-required]\nseverity = \"note\"\n").unwrap();
    fs::write(root.join("b/fleet-iam.toml"), "fail-on = \"never\"\nexclude = [\"skipped.tf\"]\n").unwrap();
    fs::write(root.join("b/skipped.tf"), instance).unwrap();
    dir
}

fn compact_in(dir: &Path, args: &[&str]) -> (i32, String) {
    let run = fleet_iam_in(dir, &[&["check", "--format", "compact"], args].concat());
    assert!(run.code <= 1, "{}", run.stderr);
    (run.code, run.stdout)
}

#[test]
fn each_file_uses_its_own_configuration_whatever_the_order() {
    let dir = two_configs();
    let forward = compact_in(dir.path(), &["a", "b"]);
    let backward = compact_in(dir.path(), &["b", "a"]);
    assert_eq!(forward, backward);
    let lines: Vec<&str> = forward.1.lines().collect();
    assert_eq!(lines.len(), 2, "{}", forward.1);
    assert!(lines[0].starts_with("a/main.tf:1:1: note[imdsv2-required]"), "a's configuration: {}", lines[0]);
    assert!(lines[1].starts_with("b/main.tf:1:1: error[imdsv2-required]"), "b's: {}", lines[1]);
    // b's `exclude` drops b/skipped.tf; b's `fail-on = never` keeps its error from failing, and
    // a's note does not reach the default threshold.
    assert_eq!(forward.0, 0);
    // Alone, each directory gives what it gives in the pair.
    assert_eq!(compact_in(dir.path(), &["a"]).1, format!("{}\n", lines[0]));
    assert_eq!(compact_in(dir.path(), &["b"]).1, format!("{}\n", lines[1]));
    // `--config` is every file's configuration, and flags override the files.
    let (_, all_a) = compact_in(dir.path(), &["--config", "a/fleet-iam.toml", "b", "a"]);
    assert_eq!(all_a.matches("note[imdsv2-required]").count(), 3, "b/skipped.tf is not excluded by a's: {all_a}");
    assert_eq!(compact_in(dir.path(), &["--fail-on", "error", "a", "b"]).0, 1);
}

#[test]
fn configuration_sets_format_fail_on_and_var_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join(".git")).unwrap();
    fs::write(
        root.join("fleet-iam.toml"),
        "format = \"compact\"\nfail-on = \"warning\"\nvar-files = [\"env/dev.tfvars\"]\n",
    )
    .unwrap();
    fs::create_dir_all(root.join("env")).unwrap();
    fs::write(root.join("env/dev.tfvars"), "public = true\n").unwrap();
    fs::write(
        root.join("eks.tf"),
        "variable \"public\" {\n  default = false\n}\n\nresource \"aws_eks_cluster\" \"c\" {\n  name     = \"c\"\n  role_arn = \"arn:aws:iam::123456789012:role/eks\"\n  vpc_config {\n    subnet_ids              = [\"subnet-1\"]\n    endpoint_public_access  = var.public\n    public_access_cidrs     = [\"10.0.0.0/8\"]\n  }\n}\n",
    )
    .unwrap();
    let run = fleet_iam_in(root, &["check", "eks.tf"]);
    // compact, from the file; the warning fails at `fail-on = "warning"`; the var file's value.
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.starts_with("eks.tf:10:"), "{}", run.stdout);
    assert!(run.stdout.contains("warning[eks-public-endpoint]"), "{}", run.stdout);
    // Flags override the file.
    let run = fleet_iam_in(root, &["check", "--format", "json", "--fail-on", "error", "eks.tf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with('{'));
}

#[test]
fn an_unknown_configuration_key_names_the_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join(".git")).unwrap();
    fs::write(dir.path().join("fleet-iam.toml"), "fail-on = \"error\"\n\nfial-on = \"warning\"\n").unwrap();
    fs::write(dir.path().join("main.tf"), "locals {}\n").unwrap();
    let run = fleet_iam_in(dir.path(), &["check", "."]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("fleet-iam.toml:3:"), "{}", run.stderr);
    assert!(run.stderr.contains("`fial-on`"), "{}", run.stderr);
    // A bad format value, too, with its line.
    fs::write(dir.path().join("fleet-iam.toml"), "\nformat = \"xml\"\n").unwrap();
    let run = fleet_iam_in(dir.path(), &["check", "."]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("fleet-iam.toml:2: unknown `format` `xml`"), "{}", run.stderr);
}
