//! No diagnostic shows a secret: every M8 fixture is checked with every rule on, and no fake
//! secret of `testdata/fixture-secrets.txt` (nor a piece of one) may appear in a message, help,
//! label, address or pointer, nor in the sanitised text of a fixture file that excerpts are cut
//! from. Masks (`"****"`) are expected instead.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use fleet_iam_core::{Config, Diagnostic, Source, SourceKind, check};
use std::path::{Path, PathBuf};

const M8_RULES: &[&str] = &[
    "secret-variable-not-sensitive",
    "secret-output-not-sensitive",
    "helm-set-secret",
    "secret-literal",
    "plan-secret-exposed",
];

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
        } else {
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

/// Whether `shown` holds 8 characters of the secret that the text `around` it does not hold
/// (`https:` is not a piece of a webhook's secret).
fn leaks(shown: &str, secret: &str, around: &str) -> bool {
    let chars: Vec<char> = secret.chars().collect();
    chars
        .windows(8)
        .map(|w| w.iter().collect::<String>())
        .any(|piece| !around.contains(&piece) && shown.contains(&piece))
}

/// The texts with every secret taken out.
fn around(texts: &[&str], secrets: &[String]) -> String {
    let all = texts.join("\n");
    secrets.iter().fold(all, |text, secret| text.replace(secret.as_str(), " "))
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
        for path in &entries {
            let sources = load(path);
            fixture_text.extend(sources.iter().map(|s| s.text.as_str()));
            let report = check(&sources, &Config::strict());
            let texts: Vec<&str> = sources.iter().map(|s| s.text.as_str()).collect();
            let around = around(&texts, &secrets);
            for source in &sources {
                let excerpt = report.secrets.mask_source(&source.name, &source.text, true).text;
                for secret in &secrets {
                    assert!(
                        !leaks(&excerpt, secret, &around),
                        "{}: the excerpt shows a secret:\n{excerpt}",
                        source.name
                    );
                }
            }
            for d in &report.diagnostics {
                diagnostics += 1;
                masked += usize::from(d.message.contains("****"));
                for text in shown(d) {
                    for secret in &secrets {
                        assert!(
                            !leaks(text, secret, &around),
                            "{}: `{}` shows a secret: {text}",
                            path.display(),
                            d.rule
                        );
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
