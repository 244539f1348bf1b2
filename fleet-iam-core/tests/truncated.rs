//! Every prefix of every rule fixture is checked without a panic, and no diagnostic points past
//! the end of the cut text. The fixtures themselves, and what each rule reports on them, are
//! pinned through the command line by `fleet-iam-cli/tests/fixtures.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use fleet_iam_core::{Config, Source, SourceKind, check};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every file under `testdata/rules` that fleet-iam reads, named relative to the repository root.
fn fixture_sources() -> Vec<Source> {
    let mut stack = vec![root().join("testdata/rules")];
    let mut files = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
        .into_iter()
        .filter_map(|p| {
            let name = p.strip_prefix(root()).unwrap().to_string_lossy().replace('\\', "/");
            let text = Source::decode(&std::fs::read(&p).unwrap()).unwrap();
            let kind = SourceKind::detect(&name, &text)?;
            Some(Source::new(name, text, kind))
        })
        .collect()
}

/// Every prefix of every fixture (cut at a char boundary, every 5 bytes) is checked without a
/// panic, with every rule on, and every diagnostic stays inside the cut text.
#[test]
fn truncated_fixtures_never_panic() {
    let sources = fixture_sources();
    assert!(sources.len() > 100, "only {} fixture files", sources.len());
    let config = Config::strict();
    let mut checks = 0;
    for source in sources {
        let text = &source.text;
        for cut in (0..text.len()).step_by(5).filter(|&i| text.is_char_boundary(i)) {
            let truncated = Source::new(source.name.clone(), &text[..cut], source.kind);
            let report = check(std::slice::from_ref(&truncated), &config);
            checks += 1;
            for d in &report.diagnostics {
                assert!(d.location.span.end <= cut, "{}: span past the end at cut {cut}", source.name);
            }
        }
    }
    assert!(checks > 1000, "only {checks} truncated inputs were checked");
}
