//! The ways fleet-iam reaches users without a Rust toolchain: the release workflow's archives
//! are the ones the action installs, and the container image runs as a non-root user on the
//! tree mounted at /src.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::repo_root;
use std::collections::BTreeSet;

fn read(path: &str) -> String {
    std::fs::read_to_string(repo_root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_release_builds_every_target_the_action_installs_under_the_same_names() {
    let workflow: serde_norway::Value = serde_norway::from_str(&read(".github/workflows/release.yml")).unwrap();
    let tags = workflow["on"]["push"]["tags"].as_sequence().unwrap();
    assert_eq!(tags.iter().map(|t| t.as_str().unwrap()).collect::<Vec<_>>(), ["v*"]);
    let matrix = workflow["jobs"]["build"]["strategy"]["matrix"]["include"].as_sequence().unwrap();
    let built: BTreeSet<&str> = matrix.iter().map(|m| m["target"].as_str().unwrap()).collect();
    for needed in [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(built.contains(needed), "the release does not build {needed}");
    }

    let install = read("scripts/action-install.sh");
    let target = regex::Regex::new(r"(?m)^\s+\w+/\w+\) echo ([a-z0-9_-]+) ;;$").unwrap();
    let installed: BTreeSet<&str> = target.captures_iter(&install).map(|c| c.get(1).unwrap().as_str()).collect();
    assert_eq!(built, installed, "the action looks for binaries the release does not build, or the reverse");

    // One archive name on both sides, and a .sha256 beside each archive.
    let text = read(".github/workflows/release.yml");
    assert!(text.contains(r#"name="fleet-iam-$TAG-$TARGET""#), "release.yml names its archives otherwise");
    assert!(install.contains(r#"name="fleet-iam-$tag-$target""#), "action-install.sh looks for other names");
    for ext in ["tar.gz", "zip"] {
        assert!(text.contains(&format!("archive=\"$name.{ext}\"")), "release.yml makes no .{ext}");
    }
    assert!(text.contains(r#"> "$archive.sha256""#) && install.contains("$name.$ext.sha256"));
    assert!(text.contains("SHA256SUMS") && text.contains("contents: write"));
}

#[test]
fn the_image_runs_as_a_non_root_user_on_the_mounted_tree() {
    let dockerfile = read("Dockerfile");
    let last_stage = dockerfile.rsplit("\nFROM ").next().unwrap();
    let value = |instruction: &str| -> String {
        let lines: Vec<&str> = last_stage.lines().filter(|l| l.starts_with(&format!("{instruction} "))).collect();
        assert_eq!(lines.len(), 1, "the image's stage has {} {instruction}", lines.len());
        lines[0][instruction.len() + 1..].trim().to_string()
    };
    let user = value("USER");
    let uid: u32 = user.split(':').next().unwrap().parse().expect("a numeric user, which runAsNonRoot can check");
    assert_ne!(uid, 0, "the image runs as root");
    assert_eq!(value("WORKDIR"), "/src");
    assert!(value("ENTRYPOINT").contains("fleet-iam"));
    assert!(dockerfile.matches("\nFROM ").count() >= 1 && dockerfile.contains(" AS build"), "a multi-stage build");
    assert!(dockerfile.contains("musl-tools"), "mimalloc's C needs musl-gcc in the build stage");

    // The build context: everything out, but for what the build reads.
    let dockerignore = read(".dockerignore");
    let ignore: Vec<&str> = dockerignore.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).collect();
    assert_eq!(ignore[0], "*");
    for needed in ["!Cargo.toml", "!Cargo.lock", "!fleet-iam-core/", "!fleet-iam-cli/"] {
        assert!(ignore.contains(&needed), ".dockerignore leaves out {needed}");
    }

    let run = r#"docker run --rm -v "$PWD:/src""#;
    for doc in ["Dockerfile", "README.md", "docs/ci.md"] {
        assert!(read(doc).contains(run), "{doc} does not show `{run} ...`");
    }
}

#[test]
fn the_readme_installs_the_binary_from_a_checkout() {
    let readme = read("README.md");
    assert!(readme.contains("cargo install --locked --path fleet-iam-cli"), "README.md lost its install command");
    let manifest = read("fleet-iam-cli/Cargo.toml");
    assert!(manifest.contains("[[bin]]\nname = \"fleet-iam\"\n"), "fleet-iam-cli no longer installs `fleet-iam`");
}

/// Release binaries and the image are built with the workspace's `rust-version`.
#[test]
fn release_and_image_build_with_the_workspace_toolchain() {
    let workspace = read("Cargo.toml");
    let version = regex::Regex::new(r#"(?m)^rust-version = "([0-9.]+)"$"#).unwrap();
    let version = &version.captures(&workspace).expect("rust-version in Cargo.toml")[1];
    let release = read(".github/workflows/release.yml");
    assert!(release.contains(&format!("toolchain: \"{version}\"")), "release.yml builds with another Rust");
    assert!(
        read("Dockerfile").contains(&format!("ARG RUST_VERSION={version}\n")),
        "the Dockerfile builds with another Rust"
    );
}
