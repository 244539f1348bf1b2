//! Which files are read: `.gitignore` outside git, skipped directories, `--exclude`, files named
//! on the command line, and files that cannot be read, which never stop the others.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{compact_paths, fleet_iam_in};
use std::fs;
use std::path::Path;

/// Every file here has a syntax error, so each file read shows up as one `parse-error`,
/// whatever the other rules do.
const BROKEN: &str = "resource \"aws_iam_policy\" {\n";

fn write(root: &Path, path: &str, content: &[u8]) {
    let path = root.join(path);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, content).unwrap();
}

#[test]
fn walks_honouring_gitignore_and_skipping_tool_directories() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for file in [
        "main.tf",
        "modules/iam/main.tf",
        "env/prod.tfvars",
        "stack.tf.json",
        ".ci/hidden.tf",
        ".terraform/modules/vpc/main.tf",
        ".git/hooks/x.tf",
        "generated/out.tf",
        "examples/demo.tf",
        "README.md",
        "notes.txt",
    ] {
        write(root, file, BROKEN.as_bytes());
    }
    write(root, ".gitignore", b"generated/\n");
    let run = fleet_iam_in(root, &["check", "--format", "compact", "--exclude", "examples", "."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        compact_paths(&run.stdout),
        [".ci/hidden.tf", "env/prod.tfvars", "main.tf", "modules/iam/main.tf", "stack.tf.json"],
        "{}",
        run.stdout
    );
}

#[test]
fn paths_keep_the_form_they_were_given_in() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "infra/main.tf", BROKEN.as_bytes());
    let run = fleet_iam_in(dir.path(), &["check", "--format", "compact", "./infra/"]);
    assert_eq!(compact_paths(&run.stdout), ["infra/main.tf"], "{}", run.stdout);
    let run = fleet_iam_in(&dir.path().join("infra"), &["check", "--format", "compact"]);
    assert_eq!(compact_paths(&run.stdout), ["main.tf"], "{}", run.stdout);
}

#[test]
fn a_file_named_on_the_command_line_is_always_read() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "policy.txt", b"{ \"Statement\": [ }");
    write(dir.path(), "generated/out.tf", BROKEN.as_bytes());
    write(dir.path(), ".gitignore", b"generated/\n");
    let run = fleet_iam_in(dir.path(), &["check", "--format", "compact", "policy.txt", "generated/out.tf"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(compact_paths(&run.stdout), ["generated/out.tf", "policy.txt"], "{}", run.stdout);
}

#[test]
fn an_empty_directory_is_clean_but_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let run = fleet_iam_in(dir.path(), &["check"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout, "no findings in 0 files\n");
    assert!(run.stderr.contains("no Terraform or IAM policy files"), "{}", run.stderr);
}

#[test]
fn unreadable_files_get_a_diagnostic_and_the_others_are_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "binary.tf", b"\x7fELF\x02\x01\x01\x00\x00");
    write(root, "latin1.tf", b"# caf\xe9\nlocals {}\n");
    write(root, "policies/utf16.json", &utf16le_with_bom("{\"Version\": \"2012-10-17\", \"Statement\": []}"));
    write(root, "main.tf", BROKEN.as_bytes());
    write(root, "x.tf/inside.tf", BROKEN.as_bytes());
    #[cfg(unix)]
    std::os::unix::fs::symlink("missing.tf", root.join("dangling.tf")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("..", root.join("x.tf/loop")).unwrap();

    let run = fleet_iam_in(root, &["check", "--format", "compact", "."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let mut expected = vec!["binary.tf", "latin1.tf", "main.tf", "x.tf/inside.tf"];
    if cfg!(unix) {
        expected.insert(1, "dangling.tf");
    }
    assert_eq!(compact_paths(&run.stdout), expected, "{}", run.stdout);
    insta::assert_snapshot!("unreadable_compact", run.stdout);
}

#[test]
#[cfg(unix)]
fn a_file_without_read_permission_gets_a_diagnostic() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "secret.tf", b"locals {}\n");
    write(dir.path(), "main.tf", BROKEN.as_bytes());
    let locked = dir.path().join("secret.tf");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&locked).is_ok() {
        return; // running as root: permissions do not apply
    }
    let run = fleet_iam_in(dir.path(), &["check", "--format", "compact", "."]);
    assert_eq!(compact_paths(&run.stdout), ["main.tf", "secret.tf"], "{}", run.stdout);
    assert!(
        run.stdout.contains("secret.tf:1:1: error[parse-error] this file could not be read: permission denied"),
        "{}",
        run.stdout
    );
}

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

/// A link out of the checked tree (to `/etc/shadow`, `~/.git-credentials`, a `.env`) would show
/// that file's erroring line: it is skipped with a note that names only the link.
#[test]
#[cfg(unix)]
fn symbolic_links_out_of_the_checked_tree_are_skipped() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("home");
    let secret = "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY {\n";
    write(&outside, "creds.tf", secret.as_bytes());
    write(&outside, "dotfiles/creds.tf", secret.as_bytes());
    let root = dir.path().join("work");
    write(&root, "infra/main.tf", BROKEN.as_bytes());
    symlink(outside.join("creds.tf"), root.join("infra/creds.tf")).unwrap();
    symlink("../../home/dotfiles", root.join("infra/dotfiles")).unwrap();
    symlink("/dev/zero", root.join("infra/zero.tf")).unwrap();
    // A link that stays inside the checked tree is followed.
    write(&root, "infra/modules/iam/main.tf", BROKEN.as_bytes());
    symlink("modules/iam", root.join("infra/iam")).unwrap();

    let run = fleet_iam_in(&root, &["check", "--format", "compact", "infra"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        compact_paths(&run.stdout),
        ["infra/iam/main.tf", "infra/main.tf", "infra/modules/iam/main.tf"],
        "{}",
        run.stdout
    );
    let notes: Vec<&str> = run.stderr.lines().filter(|l| l.starts_with("note: skipped")).collect();
    assert_eq!(
        notes,
        [
            "note: skipped infra/creds.tf: a symbolic link to a file outside the checked tree",
            "note: skipped infra/dotfiles: a symbolic link to a directory outside the checked tree",
            "note: skipped infra/zero.tf: a symbolic link to a file outside the checked tree",
        ],
        "{}",
        run.stderr
    );
    for output in [&run.stdout, &run.stderr] {
        assert!(!output.contains("wJalrXUtnFEMI") && !output.contains("home"), "{output}");
    }

    // Named on the command line, the link is read: the user chose it.
    let run = fleet_iam_in(&root, &["check", "--format", "compact", "infra/creds.tf"]);
    assert_eq!(compact_paths(&run.stdout), ["infra/creds.tf"], "{}", run.stdout);
}

/// Inside a repository, the checked tree is the repository: a link to a sibling directory (as
/// `source = "../shared"` modules are) is followed, a link out of the repository is not.
#[test]
#[cfg(unix)]
fn symbolic_links_stay_inside_the_repository_of_the_checked_paths() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "outside.tf", BROKEN.as_bytes());
    let repo = dir.path().join("repo");
    fs::create_dir_all(repo.join(".git")).unwrap();
    write(&repo, "shared/main.tf", BROKEN.as_bytes());
    write(&repo, "infra/main.tf", BROKEN.as_bytes());
    symlink("../shared", repo.join("infra/shared")).unwrap();
    symlink("../../outside.tf", repo.join("infra/outside.tf")).unwrap();

    let run = fleet_iam_in(&repo.join("infra"), &["check", "--format", "compact"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(compact_paths(&run.stdout), ["main.tf", "shared/main.tf"], "{}", run.stdout);
    assert!(
        run.stderr.contains("note: skipped outside.tf: a symbolic link to a file outside the checked tree\n"),
        "{}",
        run.stderr
    );
}

/// GitHub Actions workflows are read where GitHub reads them, `.github/workflows/*.yml` and
/// `*.yaml`, also in a tree that is not a git repository; YAML elsewhere is not, and
/// `.terraform/` stays skipped. A workflow that sets `TF_VAR_` from a secret marks the
/// variable of the module it runs Terraform in.
#[test]
fn workflows_are_read_from_dot_github_and_feed_their_modules() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let workflow = "on: push\njobs:\n  apply:\n    runs-on: ubuntu-latest\n    env:\n      TF_VAR_grafana_admin: ${{ secrets.GRAFANA_PASSWORD }}\n    steps:\n      - run: terraform apply -auto-approve\n        working-directory: infra\n";
    write(root, ".github/workflows/deploy.yml", workflow.as_bytes());
    write(root, ".github/workflows/broken.yaml", b"on: push\njobs:\n\tapply: {}\n");
    for not_a_workflow in
        [".github/dependabot.yml", ".github/workflows/old/x.yml", ".terraform/.github/workflows/x.yml"]
    {
        write(root, not_a_workflow, b"on: push\njobs:\n\tapply: {}\n");
    }
    write(root, "infra/main.tf", b"variable \"grafana_admin\" {\n  type = string\n}\n");
    let run = fleet_iam_in(root, &["check", "--format", "compact", "."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert!(
        lines[0].starts_with(".github/workflows/broken.yaml:3:1: error[parse-error] this workflow could not be parsed")
    );
    assert!(lines[1].starts_with("infra/main.tf:1:1: error[secret-variable-not-sensitive] `var.grafana_admin` is set from the CI secret `secrets.GRAFANA_PASSWORD`"));
    // The label points at the workflow's line.
    let run = fleet_iam_in(root, &["check", "--format", "json", "--select", "M8", "."]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let finding = &report["findings"][1];
    assert_eq!(finding["labels"][0]["path"], ".github/workflows/deploy.yml", "{finding}");
    assert_eq!(finding["labels"][0]["line"], 6, "{finding}");
    // Without the workflow the variable's name says nothing.
    let run = fleet_iam_in(root, &["check", "--format", "compact", "infra"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
}

#[test]
fn a_named_file_that_says_it_is_something_else_is_skipped_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    // A README whose example would parse as HCL up to a point, and an ignore comment in it.
    write(
        dir.path(),
        "README.md",
        b"# Infra\n\nRun `terraform plan`.\n# fleet-iam-ignore: iam-service-wildcard -- x\n",
    );
    write(dir.path(), "plan", b"resource \"aws_instance\" \"x\" {\n  ami = \"ami-1\"\n}\n");
    let run = fleet_iam_in(dir.path(), &["check", "--format", "compact", "README.md", "plan"]);
    assert_eq!(compact_paths(&run.stdout), ["plan"], "a name without extension is read: {}", run.stdout);
    assert!(run.stderr.contains("note: skipped README.md: its name says it is not Terraform"), "{}", run.stderr);
    let alone = fleet_iam_in(dir.path(), &["check", "README.md"]);
    assert_eq!((alone.code, alone.stdout.as_str()), (0, "no findings in 0 files\n"), "{}", alone.stderr);
}
