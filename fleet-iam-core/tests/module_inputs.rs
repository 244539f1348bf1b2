//! Policies that flow through module inputs: a caller's argument is read as the policy a local
//! module makes of it, once per call, where it is written; what does not depend on the caller is
//! reported once; the work stays linear in the calls however the modules call each other.
#![allow(clippy::unwrap_used, missing_docs)]

use fleet_iam_core::{Config, Report, Source, SourceKind, check};

const ROLE: &str = r#"
variable "name" {
  type = string
}

variable "policy" {
  type    = string
  default = null
}

resource "aws_iam_role" "this" {
  name               = var.name
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }] })
}

resource "aws_iam_role_policy" "this" {
  role   = aws_iam_role.this.id
  policy = var.policy
}
"#;

const ADMIN: &str =
    r#"jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })"#;
const SCOPED: &str = r#"jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::b/*" }] })"#;

fn run(files: &[(String, String)]) -> Report {
    let sources: Vec<Source> = files
        .iter()
        .map(|(name, text)| Source::new(name.as_str(), text.as_str(), SourceKind::detect(name, text).unwrap()))
        .collect();
    let mut config = Config::recommended();
    config.select(&["iam-wildcard-action".to_string(), "parse-error".to_string()]).unwrap();
    check(&sources, &config)
}

fn found(report: &Report) -> Vec<(String, usize)> {
    report.diagnostics.iter().map(|d| (d.location.path.clone(), d.location.start.line)).collect()
}

fn call(name: &str, source: &str, policy: Option<&str>) -> String {
    let policy = policy.map(|p| format!("  policy = {p}\n")).unwrap_or_default();
    format!("module \"{name}\" {{\n  source = \"{source}\"\n  name   = \"{name}\"\n{policy}}}\n")
}

fn file(name: &str, text: impl Into<String>) -> (String, String) {
    (name.to_string(), text.into())
}

#[test]
fn each_caller_is_judged_at_its_own_argument() {
    let report = run(&[
        file("modules/role/main.tf", ROLE),
        file("prod/main.tf", call("role", "../modules/role", Some(ADMIN))),
        file("staging/main.tf", call("role", "../modules/role", Some(SCOPED))),
    ]);
    assert_eq!(found(&report), [("prod/main.tf".to_string(), 4)]);
    let d = &report.diagnostics[0];
    assert_eq!(d.address.as_deref(), Some("module.role.aws_iam_role_policy.this"));
    let labels: Vec<(&str, usize, &str)> =
        d.labels.iter().map(|l| (l.location.path.as_str(), l.location.start.line, l.message.as_str())).collect();
    assert_eq!(
        labels,
        [("modules/role/main.tf", 18, "`module.role` makes `aws_iam_role_policy.this` from `var.policy` here")]
    );
}

#[test]
fn a_finding_that_does_not_depend_on_the_caller_is_reported_once() {
    let module = format!("{ROLE}\nresource \"aws_iam_policy\" \"admin\" {{\n  policy = {ADMIN}\n}}\n");
    let mut files = vec![file("modules/role/main.tf", module)];
    for i in 0..20 {
        files.push(file(&format!("live/{i}/main.tf"), call("role", "../../modules/role", Some(SCOPED))));
    }
    assert_eq!(found(&run(&files)), [("modules/role/main.tf".to_string(), 22)]);
}

#[test]
fn a_default_is_judged_where_it_is_written_when_a_call_leaves_it() {
    let module = ROLE.replace("default = null", &format!("default = {ADMIN}"));
    let passes = call("role", "../modules/role", Some(SCOPED));
    let leaves = call("role", "../modules/role", None);
    // Every call gives the variable: its default never applies.
    let report = run(&[file("modules/role/main.tf", module.clone()), file("a/main.tf", passes.clone())]);
    assert_eq!(found(&report), []);
    // One call leaves it: the default is judged once, in the module.
    let report =
        run(&[file("modules/role/main.tf", module.clone()), file("a/main.tf", passes), file("b/main.tf", leaves)]);
    assert_eq!(found(&report), [("modules/role/main.tf".to_string(), 8)]);
    // Nobody calls it: a root module, with its default.
    let report = run(&[file("modules/role/main.tf", module)]);
    assert_eq!(found(&report), [("modules/role/main.tf".to_string(), 8)]);
}

#[test]
fn an_ignore_comment_at_the_callers_argument_suppresses_it() {
    let caller = call("role", "../modules/role", Some(ADMIN)).replace(
        "  policy =",
        "  # fleet-iam-ignore: iam-wildcard-action -- break-glass role, reviewed in SEC-42\n  policy =",
    );
    let report = run(&[file("modules/role/main.tf", ROLE), file("live/main.tf", caller)]);
    assert_eq!((report.diagnostics.len(), report.suppressed.len()), (0, 1), "{:?}", found(&report));
}

#[test]
fn a_module_called_a_thousand_times_reads_each_call_once() {
    let mut files = vec![file("modules/role/main.tf", ROLE)];
    let mut callers = String::new();
    for i in 0..1000 {
        let policy = if i % 10 == 0 { ADMIN } else { SCOPED };
        callers.push_str(&call(&format!("role_{i}"), "./modules/role", Some(policy)));
    }
    files.push(file("main.tf", callers));
    let report = run(&files);
    assert_eq!(report.diagnostics.len(), 100);
    let mut lines: Vec<usize> = report.diagnostics.iter().map(|d| d.location.start.line).collect();
    lines.dedup();
    assert_eq!(lines.len(), 100);
}

/// A module that passes `var.policy` on to `next` (twice when `fan`).
fn relay(next: &str, fan: bool) -> String {
    let mut text = "variable \"name\" {\n  type = string\n}\n\nvariable \"policy\" {\n  type = string\n}\n".to_string();
    text.push_str(&call("a", next, Some("var.policy")));
    if fan {
        text.push_str(&call("b", next, Some("var.policy")));
    }
    text
}

#[test]
fn chains_are_followed_to_a_bound_and_cycles_end() {
    // root -> m0 -> m1 -> ... -> role: found through a few modules, with a step at each.
    let chain = |depth: usize| {
        let mut files = vec![file("modules/role/main.tf", ROLE)];
        for i in 0..depth {
            let next = if i + 1 == depth { "../role".to_string() } else { format!("../m{}", i + 1) };
            files.push(file(&format!("modules/m{i}/main.tf"), relay(&next, false)));
        }
        files.push(file("main.tf", call("top", "./modules/m0", Some(ADMIN))));
        run(&files)
    };
    let report = chain(4);
    assert_eq!(found(&report), [("main.tf".to_string(), 4)]);
    assert_eq!(
        report.diagnostics[0].address.as_deref(),
        Some("module.top.module.a.module.a.module.a.module.a.aws_iam_role_policy.this")
    );
    assert_eq!(report.diagnostics[0].labels.len(), 5);
    // Deeper than the bound: not followed, and no stack is spent on the depth.
    assert_eq!(found(&chain(300)), []);
    // A cycle of calls (Terraform refuses it) ends.
    let report = run(&[
        file("modules/x/main.tf", relay("../y", false)),
        file("modules/y/main.tf", relay("../x", false)),
        file("main.tf", call("x", "./modules/x", Some(ADMIN))),
    ]);
    assert_eq!(found(&report), []);
}

#[test]
fn modules_that_call_a_module_twice_at_every_level_are_read_once_each() {
    // 2^30 paths from the root to the role; each module is read once, and the root's argument
    // is judged once.
    let mut files = vec![file("modules/role/main.tf", ROLE)];
    for i in 0..30 {
        let next = if i == 29 { "../role".to_string() } else { format!("../m{}", i + 1) };
        files.push(file(&format!("modules/m{i}/main.tf"), relay(&next, true)));
    }
    files.push(file("main.tf", call("top", "./modules/m0", Some(ADMIN))));
    let report = run(&files);
    assert_eq!(found(&report), []);
    let shallow: Vec<(String, String)> = files
        .iter()
        .filter(|(name, _)| !name.starts_with("modules/m") || name.as_str() < "modules/m3")
        .map(|(name, text)| (name.clone(), text.replace("../m3", "../role")))
        .collect();
    assert_eq!(found(&run(&shallow)), [("main.tf".to_string(), 4)]);
}

#[test]
fn a_caller_passing_what_is_not_known_stays_silent() {
    for value in ["module.policies.admin_json", "var.policy", "data.aws_iam_policy_document.x[0].json", "null", "\"\""]
    {
        let caller =
            format!("variable \"policy\" {{\n  type = string\n}}\n{}", call("role", "./modules/role", Some(value)));
        let report = run(&[file("modules/role/main.tf", ROLE), file("main.tf", caller)]);
        assert_eq!(found(&report), [], "{value}");
    }
}
