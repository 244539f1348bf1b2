//! No output format ever shows a secret of the inputs: the secrets project holds many secret
//! shapes (a variable default, a literal attribute, tfvars, a Helm value, credentials in
//! `user_data`, a PEM key, plan JSON values, a one-line plan of many secrets that excerpts must
//! cut) and every format's output is searched for them, and for any 8 characters of them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{fleet_iam, repo_root};

const FORMATS: &[&str] = &["text", "compact", "json", "sarif", "github"];

#[test]
fn no_format_prints_a_secret() {
    let secrets = std::fs::read_to_string(repo_root().join("testdata/projects/secrets/SECRETS.txt")).unwrap();
    let secrets: Vec<&str> = secrets.lines().filter(|l| !l.is_empty()).collect();
    assert!(secrets.len() >= 8);
    for format in FORMATS {
        let run = fleet_iam(&[
            "check",
            "--config",
            "policies/strict.toml",
            "--format",
            format,
            "--color",
            "never",
            "testdata/projects/secrets",
        ]);
        assert_eq!(run.code, 1, "{format}: the project has findings\n{}", run.stderr);
        for secret in &secrets {
            // Not the secret, nor any 8 characters of it (a line cut in the middle of one).
            let chars: Vec<char> = secret.chars().collect();
            for piece in chars.windows(8.min(chars.len())).map(|w| w.iter().collect::<String>()) {
                assert!(!run.stdout.contains(&piece), "{format} output shows `{piece}` of a secret:\n{}", run.stdout);
                assert!(!run.stderr.contains(&piece), "{format} stderr shows `{piece}` of a secret");
            }
        }
    }
}
