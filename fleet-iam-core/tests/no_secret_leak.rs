//! No diagnostic shows a secret: every M8 fixture is checked with every rule on, and no fake
//! secret of `testdata/fixture-secrets.txt` (nor a piece of one) may appear in a message, help,
//! label, address or pointer. Masks (`"hu****"`) are expected instead.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use fleet_iam_core::{Config, Diagnostic, Source, SourceKind, check};
use std::path::{Path, PathBuf};

const M8_RULES: &[&str] =
    &["secret-variable-not-sensitive", "secret-output-not-sensitive", "helm-set-secret", "secret-literal"];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn fixture_secrets() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("testdata/fixture-secrets.txt")).unwrap();
    text.lines().filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_string).collect()
}

/// A fixture file, or the files of a fixture directory, as sources.
fn load(path: &Path) -> Vec<Source> {
    let mut files = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            stack.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
        } else if !p.to_string_lossy().contains(".snap") {
            files.push(p);
        }
    }
    files.sort();
    files
        .into_iter()
        .filter_map(|p| {
            let name = p.strip_prefix(root()).unwrap().to_string_lossy().replace('\\', "/");
            let text = std::fs::read_to_string(&p).unwrap();
            let kind = SourceKind::detect(&name, &text)?;
            Some(Source::new(name, text, kind))
        })
        .collect()
}

/// Whether `shown` holds the secret, or 8 characters of it past the two a mask may show.
fn leaks(shown: &str, secret: &str) -> bool {
    let chars: Vec<char> = secret.chars().collect();
    shown.contains(secret)
        || chars.get(2..).unwrap_or_default().windows(8).any(|w| shown.contains(&w.iter().collect::<String>()))
}

fn shown(d: &Diagnostic) -> Vec<&str> {
    let mut out = vec![d.message.as_str()];
    out.extend(d.help.as_deref());
    out.extend(d.address.as_deref());
    out.extend(d.pointer.as_deref());
    out.extend(d.labels.iter().map(|l| l.message.as_str()));
    out
}

#[test]
fn no_fixture_secret_appears_in_any_diagnostic() {
    let secrets = fixture_secrets();
    assert!(secrets.len() >= 10);
    let mut fixture_text = String::new();
    let mut diagnostics = 0;
    let mut masked = 0;
    for rule in M8_RULES {
        let dir = root().join("testdata/rules").join(rule);
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for path in entries.iter().filter(|p| !p.to_string_lossy().contains(".snap")) {
            let sources = load(path);
            fixture_text.extend(sources.iter().map(|s| s.text.as_str()));
            let report = check(&sources, &Config::strict());
            for d in &report.diagnostics {
                diagnostics += 1;
                masked += usize::from(d.message.contains("****"));
                for text in shown(d) {
                    for secret in &secrets {
                        assert!(!leaks(text, secret), "{}: `{}` shows a secret: {text}", path.display(), d.rule);
                    }
                }
            }
        }
    }
    for secret in &secrets {
        assert!(fixture_text.contains(secret.as_str()), "{secret} is in no fixture: keep the list honest");
    }
    assert!(diagnostics >= 30, "only {diagnostics} diagnostics");
    assert!(masked >= 10, "only {masked} messages show a masked secret");
}
