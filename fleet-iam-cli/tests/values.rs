//! Variable values from `--var-file` and `--var`, and plan findings pointed back at the
//! Terraform sources with `--source-dir`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::fleet_iam;

const PLATFORM: &str = "testdata/projects/platform";

#[test]
fn defaults_alone_keep_the_platform_private() {
    let run = fleet_iam(&["check", "--format", "compact", PLATFORM]);
    // Only the bastion, which has no `metadata_options` at all.
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
    assert!(run.stdout.contains("aws_instance.bastion"), "{}", run.stdout);
}

#[test]
fn a_var_file_decides_and_is_labelled() {
    let run =
        fleet_iam(&["check", "--color", "never", "--var-file", "testdata/projects/platform/dev.tfvars", PLATFORM]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!("platform_dev_tfvars_text", run.stdout);
}

#[test]
fn var_overrides_var_file_and_defaults() {
    let ids = |args: &[&str]| {
        let run = fleet_iam(&[&["check", "--format", "compact", "--select", "M5"], args, &[PLATFORM]].concat());
        run.stdout.lines().map(|l| l.split(['[', ']']).nth(1).unwrap_or_default().to_string()).collect::<Vec<_>>()
    };
    assert_eq!(ids(&["--var", "public_api=true"]), ["eks-public-endpoint"]);
    assert_eq!(
        ids(&["--var", "public_api=true", "--var", r#"api_allowed_cidrs=["::/0"]"#]),
        ["eks-public-endpoint", "eks-public-cidr"]
    );
    let with_file = ["--var-file", "testdata/projects/platform/dev.tfvars"];
    assert_eq!(ids(&[&with_file[..], &["--var", "public_api=false"]].concat()), Vec::<String>::new());
    assert_eq!(fleet_iam(&["check", "--var", "novalue", PLATFORM]).code, 2);
    assert_eq!(fleet_iam(&["check", "--var-file", "testdata/projects/platform/missing.tfvars", PLATFORM]).code, 2);
}

#[test]
fn plan_findings_point_at_the_terraform_block() {
    let run = fleet_iam(&["check", "--format", "json", "testdata/pairs/m5/plan.json"]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    for finding in doc["findings"].as_array().unwrap() {
        assert_eq!(finding["path"], "testdata/pairs/m5/plan.json");
        let label = &finding["labels"][0];
        assert_eq!(label["path"], "testdata/pairs/m5/main.tf", "{finding:#}");
        assert_eq!(label["line"], 1);
    }
    // The sources are read for context only: their own findings are not reported twice.
    assert!(
        common::compact_paths(&fleet_iam(&["check", "--format", "compact", "testdata/pairs/m5/plan.json"]).stdout)
            .iter()
            .all(|p| *p == "testdata/pairs/m5/plan.json")
    );
    // Sources elsewhere: `--source-dir` says where.
    let run =
        fleet_iam(&["check", "--format", "json", "--source-dir", "testdata/pairs/imds", "testdata/pairs/m5/plan.json"]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(doc["findings"].as_array().unwrap().iter().all(|f| f["labels"].is_null()), "no m5 block in imds");
}

#[test]
fn plan_findings_in_modules_point_at_local_and_downloaded_sources() {
    let run = fleet_iam(&["check", "--format", "json", "testdata/projects/plan-with-modules/plan.json"]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let labels = |address: &str| -> Vec<String> {
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["address"] == address)
            .flat_map(|f| f["labels"].as_array().cloned().unwrap_or_default())
            .map(|l| format!("{}:{}", l["path"].as_str().unwrap(), l["line"]))
            .collect()
    };
    let root = "testdata/projects/plan-with-modules";
    // A local module: its resource block.
    assert_eq!(labels("module.app.aws_instance.web"), [format!("{root}/modules/app/main.tf:1")]);
    // A registry module: the resource in the downloaded copy, and the module call to change.
    let eks = labels("module.eks.aws_eks_cluster.this[0]");
    assert!(eks.contains(&format!("{root}/.terraform/modules/eks/main.tf:3")), "{eks:?}");
    assert!(eks.contains(&format!("{root}/main.tf:1")), "{eks:?}");
    // The sources were context: only the plan's findings are reported, and counted.
    assert!(doc["findings"].as_array().unwrap().iter().all(|f| f["path"] == format!("{root}/plan.json")));
    assert_eq!(doc["summary"]["files"], 1);
}

/// `.terraform/modules/modules.json` is input like any other: a `Dir` that leads out of the
/// repository (`/`, `../../..`, an absolute path) would walk and read the disk, so it is skipped
/// with a note; a `Dir` elsewhere in the repository is read.
#[test]
fn downloaded_modules_outside_the_repository_are_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let top = dir.path();
    let fixture = common::repo_root().join("testdata/projects/plan-with-modules");
    let copy = |from: &str, to: &std::path::Path| {
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(fixture.join(from), to).unwrap();
    };
    let repo = top.join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    for file in ["plan.json", "main.tf", "modules/app/main.tf"] {
        copy(file, &repo.join("infra").join(file));
    }
    copy(".terraform/modules/eks/main.tf", &repo.join("shared/eks/main.tf"));
    copy(".terraform/modules/eks/main.tf", &top.join("outside/eks/main.tf"));
    let outside = top.join("outside/eks").display().to_string();

    let labels_for = |eks_dir: &str| {
        let manifest = serde_json::json!({"Modules": [
            {"Key": "", "Source": "", "Dir": "."},
            {"Key": "app", "Source": "./modules/app", "Dir": "modules/app"},
            {"Key": "eks", "Source": "registry.terraform.io/terraform-aws-modules/eks/aws", "Dir": eks_dir},
        ]});
        let path = repo.join("infra/.terraform/modules/modules.json");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, manifest.to_string()).unwrap();
        let run = common::fleet_iam_in(&repo, &["check", "--format", "json", "infra/plan.json"]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let labels: Vec<String> = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|f| f["labels"].as_array().cloned().unwrap_or_default())
            .map(|l| l["path"].as_str().unwrap().to_string())
            .collect();
        (labels, run.stderr)
    };

    let (labels, stderr) = labels_for("../shared/eks");
    assert!(labels.contains(&"infra/../shared/eks/main.tf".to_string()), "{labels:?}");
    assert!(!stderr.contains("note:"), "{stderr}");
    // A module not downloaded any more has nothing to read; the plan is still checked.
    let (labels, stderr) = labels_for(".terraform/modules/gone");
    assert!(labels.iter().all(|l| !l.contains("eks")), "{labels:?}");
    assert!(!stderr.contains("note:"), "{stderr}");
    for eks_dir in ["../../outside/eks", "../../..", &outside] {
        let (labels, stderr) = labels_for(eks_dir);
        assert!(labels.iter().all(|l| !l.contains("outside") && !l.contains("eks")), "{eks_dir}: {labels:?}");
        let note = format!(
            "note: skipped the module directory {eks_dir:?} of infra/.terraform/modules/modules.json: \
             it is outside the checked tree\n"
        );
        assert!(stderr.contains(&note), "{eks_dir}: {stderr}");
    }
}
