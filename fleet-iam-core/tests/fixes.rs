//! Which diagnostics carry a fix, and what it points at: only `.tf` sources, only where the
//! value is written in place; never plans, `.tf.json`, or values set by a variable or a local.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use fleet_iam_core::{Applicability, Config, Diagnostic, FixEdit, Source, SourceKind, check};

fn diagnostics(files: &[(&str, &str)], rule: &str) -> Vec<Diagnostic> {
    let sources: Vec<Source> =
        files.iter().map(|(name, text)| Source::new(*name, *text, SourceKind::detect(name, text).unwrap())).collect();
    let mut config = Config::strict();
    config.select(&[rule.to_string()]).unwrap();
    let report = check(&sources, &config);
    assert!(!report.diagnostics.is_empty(), "{rule} does not fire on {files:?}");
    report.diagnostics
}

/// The text of each span a diagnostic's fix edits.
fn edited<'t>(text: &'t str, d: &Diagnostic) -> Vec<&'t str> {
    let fix = d.fix.as_ref().expect("a fix");
    fix.edits
        .iter()
        .map(|e| match e {
            FixEdit::Replace { span, .. } | FixEdit::SetAttribute { block: span, .. } => &text[span.range()],
            FixEdit::RemoveElement { element } | FixEdit::MoveElement { element, .. } => &text[element.range()],
            other => panic!("an edit this test does not know: {other:?}"),
        })
        .collect()
}

#[test]
fn a_secret_variable_gets_sensitive_in_tf_but_not_in_tf_json() {
    let tf = "variable \"db_password\" {\n  type = string\n}\n";
    let d = &diagnostics(&[("main.tf", tf)], "secret-variable-not-sensitive")[0];
    let fix = d.fix.as_ref().unwrap();
    assert_eq!(fix.applicability, Applicability::Safe);
    assert_eq!(edited(tf, d), [tf.trim_end()], "the edit is about the whole block");
    let json = r#"{ "variable": { "db_password": { "type": "string" } } }"#;
    let d = &diagnostics(&[("main.tf.json", json)], "secret-variable-not-sensitive")[0];
    assert!(d.fix.is_none(), "a .tf.json is not edited");
}

#[test]
fn a_plan_finding_has_no_fix() {
    let plan = r#"{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{"resources":[{"address":"aws_instance.web","mode":"managed","type":"aws_instance","name":"web","values":{"ami":"ami-1","metadata_options":[{"http_tokens":"optional"}]}}]}},"resource_changes":[]}"#;
    for d in diagnostics(&[("web.plan.json", plan)], "imdsv2-required") {
        assert!(d.fix.is_none(), "{d:?}");
    }
}

#[test]
fn values_set_elsewhere_get_no_fix() {
    let tokens = "variable \"tokens\" {\n  default = \"optional\"\n}\nresource \"aws_instance\" \"a\" {\n  metadata_options {\n    http_tokens = var.tokens\n  }\n}\n";
    assert!(diagnostics(&[("main.tf", tokens)], "imdsv2-required").iter().all(|d| d.fix.is_none()));
    let public = "variable \"public\" {\n  default = true\n}\nresource \"aws_eks_cluster\" \"a\" {\n  vpc_config {\n    endpoint_public_access = var.public\n    public_access_cidrs    = [\"10.0.0.0/8\"]\n  }\n}\n";
    assert!(diagnostics(&[("main.tf", public)], "eks-public-endpoint").iter().all(|d| d.fix.is_none()));
    let only = "resource \"aws_eks_cluster\" \"a\" {\n  vpc_config {\n    endpoint_public_access = true\n    public_access_cidrs    = [\"0.0.0.0/0\"]\n  }\n}\n";
    assert!(
        diagnostics(&[("main.tf", only)], "eks-public-cidr").iter().all(|d| d.fix.is_none()),
        "nothing would remain"
    );
}

#[test]
fn written_values_are_fixed_where_they_are() {
    let tokens =
        "resource \"aws_launch_template\" \"a\" {\n  metadata_options {\n    http_tokens = \"optional\"\n  }\n}\n";
    let d = &diagnostics(&[("main.tf", tokens)], "imdsv2-required")[0];
    assert_eq!(edited(tokens, d), ["\"optional\""]);
    let cidrs = "resource \"aws_eks_cluster\" \"a\" {\n  vpc_config {\n    endpoint_public_access = true\n    public_access_cidrs    = [\"0.0.0.0/0\", \"10.0.0.0/8\"]\n  }\n}\n";
    let d = &diagnostics(&[("main.tf", cidrs)], "eks-public-cidr")[0];
    assert_eq!(d.fix.as_ref().unwrap().applicability, Applicability::Unsafe);
    assert_eq!(edited(cidrs, d), ["\"0.0.0.0/0\""]);
    let endpoint = &diagnostics(&[("main.tf", cidrs)], "eks-public-endpoint")[0];
    // Public off where it is written, and private on in `vpc_config`.
    assert_eq!(edited(cidrs, endpoint)[0], "true");
    assert!(edited(cidrs, endpoint)[1].starts_with("resource \"aws_eks_cluster\""));
    let helm = "resource \"helm_release\" \"g\" {\n  name  = \"g\"\n  chart = \"g\"\n  set {\n    name  = \"adminPassword\"\n    value = var.pw\n  }\n}\n";
    let d = &diagnostics(&[("main.tf", helm)], "helm-set-secret")[0];
    assert_eq!(edited(helm, d), ["set"]);
}
