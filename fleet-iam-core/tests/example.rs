//! `examples/embed.rs` builds (`cargo test` builds examples) and does what it says: it prints one
//! compact line per diagnostic, then the diagnostics as JSON.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::process::Command;

#[test]
fn the_embedding_example_runs() {
    // `cargo test` builds the examples into `target/<profile>/examples/`, beside `deps/` where
    // this test runs from.
    let test = std::env::current_exe().unwrap();
    let profile = test.parent().and_then(std::path::Path::parent).unwrap();
    let example = profile.join("examples").join(format!("embed{}", std::env::consts::EXE_SUFFIX));
    assert!(example.is_file(), "{} was not built: `cargo test` builds the examples", example.display());
    let output = Command::new(&example).output().expect("the example runs");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    // An error finding: exit status 1.
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert!(
        lines[0].starts_with("infra/ci.tf:4:") && lines[0].contains(": error[iam-service-wildcard] `eks:*`"),
        "{stdout}"
    );
    assert!(lines[1].starts_with("infra/ci.tf:8:1: error[imdsv2-required] "), "{stdout}");
    let json: serde_json::Value = serde_json::from_str(lines[2]).unwrap();
    assert_eq!(json.as_array().map(Vec::len), Some(2));
    assert_eq!(json[0]["rule"], "iam-service-wildcard");
    assert_eq!(json[0]["finding"], "H5");
    assert_eq!(json[1]["path"], "infra/ci.tf");
}
