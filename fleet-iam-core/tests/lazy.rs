//! `check_with` reads lazy sources when a unit needs them: the report must be the one `check`
//! gives with every text in memory, and a file that cannot be read must not stop the others.
#![allow(clippy::unwrap_used, missing_docs)]

use fleet_iam_core::{Config, Load, Report, Source, SourceKind, check, check_with};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

/// Every file fleet-iam reads under `dir`, by name relative to the workspace.
fn files(dir: &Path, out: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if let Ok(bytes) = std::fs::read(&path)
            && let Ok(text) = Source::decode(&bytes)
        {
            let name = path.strip_prefix("..").unwrap().to_string_lossy().replace('\\', "/");
            if SourceKind::detect(&name, &text).is_some() {
                out.insert(name, text);
            }
        }
    }
}

/// Hands out texts by name, counting reads; the names in `broken` cannot be read.
struct Disk {
    texts: BTreeMap<String, String>,
    broken: Vec<String>,
    reads: Mutex<BTreeMap<String, usize>>,
}

impl Load for Disk {
    fn load(&self, source: &Source) -> Result<String, String> {
        *self.reads.lock().unwrap().entry(source.name.clone()).or_default() += 1;
        if self.broken.contains(&source.name) {
            return Err("permission denied".into());
        }
        self.texts.get(&source.name).cloned().ok_or_else(|| "it does not exist".into())
    }
}

fn both(texts: &BTreeMap<String, String>, config: &Config) -> (Report, Report, Disk) {
    let kind = |name: &String, text: &String| SourceKind::detect(name, text).unwrap();
    let given: Vec<Source> = texts.iter().map(|(n, t)| Source::new(n.clone(), t.clone(), kind(n, t))).collect();
    let lazy: Vec<Source> = texts.iter().map(|(n, t)| Source::lazy(n.clone(), kind(n, t))).collect();
    let disk = Disk { texts: texts.clone(), broken: Vec::new(), reads: Mutex::default() };
    (check(&given, config), check_with(&lazy, &disk, config), disk)
}

fn config() -> Config {
    let mut config = Config::recommended();
    config.today = Some("2026-11-26".into());
    config
}

#[test]
fn lazy_sources_give_the_report_of_sources_in_memory() {
    let mut texts = BTreeMap::new();
    files(Path::new("../testdata"), &mut texts);
    assert!(texts.len() > 100, "{}", texts.len());
    let (given, lazy, disk) = both(&texts, &config());
    assert!(given.diagnostics.len() > 100, "{}", given.diagnostics.len());
    assert_eq!(given, lazy);
    // Every file was read, and none is held for the whole check: a module directory's files are
    // read for its unit, and again only by the units that point into them.
    let reads = disk.reads.into_inner().unwrap();
    assert_eq!(reads.len(), texts.len());
}

#[test]
fn lazy_sources_give_the_same_roots_and_variables() {
    // With a `-var`, root modules are told from called ones: every file is looked at first.
    let mut texts = BTreeMap::new();
    files(Path::new("../testdata/projects"), &mut texts);
    let mut config = config();
    config.vars = vec![("db_password".into(), "Xk9#mPq2vR7!tL4wZ8nB".into())];
    let (given, lazy, _) = both(&texts, &config);
    assert_eq!(given, lazy);
}

#[test]
fn a_file_that_cannot_be_read_is_reported_and_the_others_are_checked() {
    let texts: BTreeMap<String, String> = [
        ("app/main.tf", "resource \"aws_instance\" \"web\" {\n  ami = \"ami-1\"\n}\n"),
        ("app/iam.tf", "data \"aws_iam_policy_document\" \"x\" {\n  statement {\n    actions = [\"*\"]\n    resources = [\"*\"]\n  }\n}\n"),
        ("app/terraform.tfvars", "region = \"eu-west-1\"\n"),
        ("policies/ci.json", "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}]}"),
    ]
    .into_iter()
    .map(|(n, t)| (n.to_string(), t.to_string()))
    .collect();
    let lazy: Vec<Source> =
        texts.iter().map(|(n, t)| Source::lazy(n.clone(), SourceKind::detect(n, t).unwrap())).collect();
    for broken in texts.keys() {
        let disk = Disk { texts: texts.clone(), broken: vec![broken.clone()], reads: Mutex::default() };
        let report = check_with(&lazy, &disk, &config());
        let unreadable: Vec<_> =
            report.diagnostics.iter().filter(|d| d.message.contains("could not be read")).collect();
        assert_eq!(unreadable.len(), 1, "{broken}: {:?}", report.diagnostics);
        assert_eq!(unreadable[0].location.path, *broken);
        assert_eq!(unreadable[0].message, "this file could not be read: permission denied");
        assert_eq!(unreadable[0].rule, "parse-error");
        let others: Vec<&str> = report.diagnostics.iter().map(|d| d.location.path.as_str()).collect();
        for (name, expected) in [("app/main.tf", "imds"), ("app/iam.tf", "iam"), ("policies/ci.json", "iam")] {
            if name != broken {
                let rules: Vec<&str> =
                    report.diagnostics.iter().filter(|d| d.location.path == name).map(|d| d.rule).collect();
                assert!(rules.iter().any(|r| r.starts_with(expected)), "{broken}: {name} {rules:?} {others:?}");
            }
        }
        assert_eq!(report.files, texts.len());
    }
}

#[test]
fn check_without_a_loader_reports_lazy_sources_as_unread() {
    let sources = [Source::lazy("main.tf", SourceKind::Hcl)];
    let report = check(&sources, &config());
    assert_eq!(report.diagnostics.len(), 1);
    assert_eq!(report.diagnostics[0].message, "this file could not be read: its text was not given");
}

#[test]
fn findings_on_a_file_several_modules_read_do_not_depend_on_the_order_units_ran_in() {
    // m1 and m3 have tfvars, so they are checked after m2; the policy file's findings must not
    // come out in that order, nor lose duplicates because of it.
    let policy = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "eks:*", "Resource": "*"}]}"#;
    let module = |name: &str| {
        format!(
            "resource \"aws_iam_policy\" \"{name}\" {{\n  policy = file(\"${{path.module}}/../policies/x.json\")\n}}\n"
        )
    };
    let mut files = vec![
        ("policies/x.json".to_string(), policy.to_string()),
        ("m1/main.tf".into(), module("p")),
        ("m1/terraform.tfvars".into(), "a = 1\n".into()),
        ("m2/main.tf".into(), module("q")),
        ("m3/main.tf".into(), module("p")),
        ("m3/terraform.tfvars".into(), "a = 1\n".into()),
    ];
    let run = |files: &[(String, String)], config: &Config| {
        let sources: Vec<Source> =
            files.iter().map(|(n, t)| Source::new(n.clone(), t.clone(), SourceKind::detect(n, t).unwrap())).collect();
        let report = check(&sources, config);
        let found: Vec<(String, Option<String>)> = report
            .diagnostics
            .iter()
            .filter(|d| d.rule == "iam-service-wildcard")
            .map(|d| (d.location.path.clone(), d.address.clone()))
            .collect();
        found
    };
    let expected = [
        ("policies/x.json".to_string(), Some("aws_iam_policy.p".to_string())),
        ("policies/x.json".to_string(), Some("aws_iam_policy.q".to_string())),
    ];
    assert_eq!(run(&files, &config()), expected);
    // The same when every directory is checked in one group (`--var`), or the files come in
    // another order.
    let mut with_var = config();
    with_var.vars = vec![("region".into(), "eu-west-1".into())];
    assert_eq!(run(&files, &with_var), expected);
    files.reverse();
    assert_eq!(run(&files, &config()), expected);
}

#[test]
fn a_plans_context_file_that_cannot_be_read_is_not_reported() {
    let plan = std::fs::read_to_string("../testdata/projects/plan-with-modules/plan.json").unwrap();
    let sources = [Source::lazy("plan.json", SourceKind::Plan), Source::lazy("broken.tf", SourceKind::Hcl)];
    let texts = [("plan.json".to_string(), plan)].into_iter().collect();
    let disk = Disk { texts, broken: vec!["broken.tf".into()], reads: Mutex::default() };
    let mut config = config();
    config.context_only = vec!["broken.tf".into()];
    let report = check_with(&sources, &disk, &config);
    assert!(report.diagnostics.iter().all(|d| d.location.path == "plan.json"), "{:?}", report.diagnostics);
    assert!(!report.diagnostics.is_empty());
    config.context_only.clear();
    let report = check_with(&sources, &disk, &config);
    assert!(report.diagnostics.iter().any(|d| d.location.path == "broken.tf"), "{:?}", report.diagnostics);
}
