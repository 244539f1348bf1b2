//! Recording exceptions honestly: baselines, `[[ignore]]` entries, `exclude`, inline ignores
//! and `--show-suppressed`, end to end.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{fleet_iam_in, repo_root};
use std::path::Path;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

fn summary(dir: &Path, args: &[&str]) -> (i32, serde_json::Value) {
    let run = fleet_iam_in(dir, &[&["check", "--format", "json"], args].concat());
    (run.code, serde_json::from_str(&run.stdout).unwrap_or_else(|_| panic!("{}\n{}", run.stdout, run.stderr)))
}

#[test]
fn a_baseline_hides_known_findings_and_survives_moved_lines() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("testdata/projects/h5-sample"), &dir.path().join("infra"));
    let (code, before) = summary(dir.path(), &["--write-baseline", "baseline.json", "infra"]);
    assert_eq!(code, 1);
    let total = before["summary"]["findings"].as_u64().unwrap();
    assert!(total > 3);

    // Unrelated lines move: nothing new.
    let policy = dir.path().join("infra/ci_role_jsonencode.tf");
    let text = std::fs::read_to_string(&policy).unwrap();
    std::fs::write(&policy, format!("# moved\n\n\n{text}")).unwrap();
    let (code, after) = summary(dir.path(), &["--baseline", "baseline.json", "infra"]);
    assert_eq!(code, 0, "{after:#}");
    assert_eq!(after["summary"]["findings"], 0);
    assert_eq!(after["summary"]["suppressed"].as_u64().unwrap(), total);

    // A new finding is reported; a fixed one is listed as gone.
    std::fs::write(
        dir.path().join("infra/new.tf"),
        "resource \"aws_instance\" \"new\" {\n  ami           = \"ami-0c55b159cbfafe1f0\"\n  instance_type = \"t3.micro\"\n}\n",
    )
    .unwrap();
    std::fs::remove_file(dir.path().join("infra/broken.tf")).unwrap();
    let run = fleet_iam_in(dir.path(), &["check", "--format", "compact", "--baseline", "baseline.json", "infra"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
    assert!(run.stdout.contains("infra/new.tf") && run.stdout.contains("imdsv2-required"));
    assert!(
        run.stderr.contains("1 baseline entries no longer occur") && run.stderr.contains("parse-error infra/broken.tf"),
        "{}",
        run.stderr
    );
}

#[test]
fn config_ignores_and_excludes() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("testdata/projects/h5-sample"), &dir.path().join("infra"));
    // A repository: its root's configuration applies to `infra` below it (outside a repository,
    // only a `fleet-iam.toml` in `infra` itself would).
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::write(
        dir.path().join("fleet-iam.toml"),
        r#"extends = "recommended"
exclude = ["infra/broken.tf"]

[[ignore]]
paths = ["infra/policies/**"]
rules = ["iam-service-wildcard", "iam-sensitive-wildcard", "iam-wildcard-resource"]
reason = "ECR push policy owned by the registry team, tracked in SEC-7"
expires = 2099-01-31

[[ignore]]
paths = ["infra/deploy_heredoc.tf"]
rules = ["iam-service-wildcard"]
reason = "was accepted until the migration"
expires = 2020-01-01
"#,
    )
    .unwrap();
    let run = fleet_iam_in(dir.path(), &["check", "--format", "compact", "infra"]);
    let out = run.stdout;
    assert!(!out.contains("broken.tf"), "excluded:\n{out}");
    assert!(!out.contains("infra/policies/"), "ignored by path:\n{out}");
    assert!(
        out.contains("infra/deploy_heredoc.tf") && out.contains("iam-service-wildcard"),
        "expired entry does not apply:\n{out}"
    );
    assert!(
        out.contains("fleet-iam.toml:10:1: warning[suppression] this `[[ignore]]` entry expired on 2020-01-01"),
        "{out}"
    );

    let shown = fleet_iam_in(dir.path(), &["check", "--format", "compact", "--show-suppressed", "infra"]).stdout;
    assert!(shown.contains("infra/policies/ecr-push.json") && shown.contains("[suppressed]"), "{shown}");
}

#[test]
fn bad_ignore_entries_are_configuration_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), "locals {}\n").unwrap();
    for (config, expected) in [
        (
            "[[ignore]]\nrules = [\"iam-service-wildcard\"]\nreason = \"\"\n",
            "fleet-iam.toml:1: an `[[ignore]]` entry needs a `reason`",
        ),
        (
            "\n[[ignore]]\nrules = [\"iam-nope\"]\nreason = \"x\"\n",
            "fleet-iam.toml:2: `[[ignore]]` rules: unknown rule or finding `iam-nope`",
        ),
        ("[[ignore]]\nrules = [\"H5\"]\nreason = \"x\"\nowner = \"me\"\n", "unknown field `owner`"),
    ] {
        std::fs::write(dir.path().join("fleet-iam.toml"), config).unwrap();
        let run = fleet_iam_in(dir.path(), &["check", "."]);
        assert_eq!(run.code, 2, "{config}");
        assert!(run.stderr.contains(expected), "{config}\n{}", run.stderr);
    }
}
