//! The engine checks one unit at a time (a directory, a policy file, a plan, a tfvars file no
//! module loads); what crosses units must come out as if everything were checked at once.
#![allow(clippy::unwrap_used, missing_docs)]

use fleet_iam_core::{Config, Report, Source, SourceKind, check};

const SECRET: &str = "Xk9#mPq2vR7!tL4wZ8nB";

fn run(files: &[(&str, &str)], config: &mut Config) -> Report {
    let sources: Vec<Source> =
        files.iter().map(|(name, text)| Source::new(*name, *text, SourceKind::detect(name, text).unwrap())).collect();
    config.today = Some("2026-11-26".into());
    check(&sources, config)
}

fn found(report: &Report) -> Vec<(String, &'static str, usize)> {
    report.diagnostics.iter().map(|d| (d.location.path.clone(), d.rule, d.location.start.line)).collect()
}

#[test]
fn a_secret_in_tfvars_is_found_when_its_directory_does_not_parse() {
    let broken = "variable \"db_password\" {\n  type = string\n\nresource \"x\" {\n";
    let tfvars = format!("db_password = \"{SECRET}\"\n");
    let report = run(&[("app/main.tf", broken), ("app/terraform.tfvars", &tfvars)], &mut Config::recommended());
    let found = found(&report);
    assert!(found.iter().any(|(p, r, _)| p == "app/main.tf" && *r == "parse-error"), "{found:?}");
    assert!(found.contains(&("app/terraform.tfvars".into(), "secret-literal", 1)), "{found:?}");
}

#[test]
fn ignore_comments_count_in_files_that_do_not_parse() {
    let tf = "# fleet-iam-ignore: parse-error -- generated, fixed upstream\nresource \"x\" {\n";
    let report = run(&[("gen/main.tf", tf)], &mut Config::recommended());
    assert_eq!((report.diagnostics.len(), report.suppressed.len()), (0, 1), "{:?}", found(&report));
    let tfvars = "# fleet-iam-ignore: parse-error -- known broken\na = {\n";
    let report = run(&[("gen/terraform.tfvars", tfvars)], &mut Config::recommended());
    assert_eq!((report.diagnostics.len(), report.suppressed.len()), (0, 1), "{:?}", found(&report));
}

#[test]
fn a_context_directory_still_loads_the_tfvars_and_files_it_names() {
    // `check plan.json prod.tfvars policy.json --var-file prod.tfvars`: the plan's directory is
    // read as context, the tfvars file and the policy are checked.
    let main = r#"
variable "db_password" {
  sensitive = true
}

resource "aws_iam_policy" "p" {
  policy = file("${path.module}/policy.json")
}
"#;
    let policy = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]}"#;
    let tfvars = format!("db_password = \"{SECRET}\"\n");
    let mut config = Config::recommended();
    config.context_only = vec!["infra/main.tf".into()];
    config.var_files = vec!["infra/prod.tfvars".into()];
    let report =
        run(&[("infra/main.tf", main), ("infra/policy.json", policy), ("infra/prod.tfvars", &tfvars)], &mut config);
    let found = found(&report);
    assert!(found.contains(&("infra/prod.tfvars".into(), "secret-literal", 1)), "{found:?}");
    // The policy is read through `file()`: its findings name the resource that uses it.
    let wildcard = report.diagnostics.iter().find(|d| d.rule == "iam-service-wildcard").unwrap();
    assert_eq!(wildcard.address.as_deref(), Some("aws_iam_policy.p"));
    assert!(found.iter().all(|(p, _, _)| p != "infra/main.tf"), "{found:?}");
}
