//! Placeholders: values that are obviously not a real secret.

use super::formats::is_credential_shaped;

/// Whole values (lowercase, letters and digits only) that are never secrets.
const PLACEHOLDER_WORDS: &[&str] = &[
    "true",
    "false",
    "null",
    "nil",
    "none",
    "undefined",
    "na",
    "tbd",
    "todo",
    "fixme",
    "sensitive",
    "sensitivevalue",
    "knownafterapply",
];

/// Fragments (lowercase, letters and digits only) that mark a value as a placeholder.
const PLACEHOLDER_FRAGMENTS: &[&str] = &[
    "changeme",
    "replaceme",
    "replacewith",
    "placeholder",
    "example",
    "sample",
    "dummy",
    "fake",
    "redacted",
    "notreal",
    "notasecret",
];

/// Beginnings (lowercase, letters and digits only) that mark a value as a placeholder.
const PLACEHOLDER_PREFIXES: &[&str] = &["your", "insert", "enteryour", "putyour", "addyour"];

/// Whether `value` is obviously not a real secret: empty, a template or reference, filler, an
/// ARN, or a documentation placeholder such as `REPLACE_ME` or `<password>`.
///
/// See the [module documentation](self) for the full list. Weak real values (`password`,
/// `admin`, `123456`) are not placeholders, and neither is a value in a credential's format
/// whatever word it holds: AWS's documented `AKIAIOSFODNN7EXAMPLE` and its secret key
/// `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY` are keys committed in the documentation's format.
pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() {
        return true;
    }
    if ["${", "%{", "{{", "$("].iter().any(|t| v.contains(t)) {
        return true;
    }
    // `$DB_PASSWORD`, Argo CD's `$slack-token`: a reference to a value kept elsewhere.
    if let Some(name) = v.strip_prefix('$')
        && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    {
        return true;
    }
    if is_wrapped(v, '<', '>') || is_wrapped(v, '{', '}') {
        return true;
    }
    if v.chars().all(|c| matches!(c, '*' | 'x' | 'X' | '.' | '#' | '\u{2022}' | '?' | '-' | '_' | ' ')) {
        return true;
    }
    if has_filler_run(v) {
        return true;
    }
    if v.starts_with("arn:") && !v.contains(char::is_whitespace) {
        return true;
    }
    // A key in a credential's format is one, whatever words it holds (`...EXAMPLEKEY`).
    if is_credential_shaped(v) {
        return false;
    }
    let normal: String = v.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    PLACEHOLDER_WORDS.contains(&normal.as_str())
        || PLACEHOLDER_FRAGMENTS.iter().any(|f| normal.contains(f))
        || PLACEHOLDER_PREFIXES.iter().any(|p| normal.starts_with(p))
}

/// `<password>`, `{token}`, `<%= @pw %>`: one bracketed name, not JSON or XML.
fn is_wrapped(v: &str, open: char, close: char) -> bool {
    v.strip_prefix(open)
        .and_then(|rest| rest.strip_suffix(close))
        .is_some_and(|inner| !inner.is_empty() && !inner.contains([open, close, '"', ':', ',', '\n']))
}

/// A run of four or more of the same filler character (eight for `0`, which real numeric ids
/// repeat).
fn has_filler_run(v: &str) -> bool {
    let mut run = 0;
    let mut last = None;
    for c in v.chars() {
        if Some(c) == last {
            run += 1;
        } else {
            run = 1;
            last = Some(c);
        }
        if (run >= 4 && matches!(c, 'x' | 'X' | '*' | '#' | '\u{2022}')) || (run >= 8 && c == '0') {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::secrets::formats::tests::{aws_key_id, random_alnum};

    #[test]
    fn placeholders() {
        let yes = [
            "",
            "   ",
            "changeme",
            "change-me",
            "CHANGE_ME",
            "REPLACE_ME",
            "replace-with-your-token",
            "<password>",
            "<YOUR_API_TOKEN>",
            "{password}",
            "${var.db_password}",
            "prefix-${random_password.db.result}",
            "%{ if x }a%{ endif }",
            "{{ .Values.password }}",
            "$(DB_PASSWORD)",
            "$DB_PASSWORD",
            "xxxx",
            "XXXXXXXX",
            "****",
            "...",
            "???",
            "dummy",
            "dummy-token",
            "example",
            "sample-key",
            "fake-password",
            "placeholder",
            "REDACTED",
            "your-api-key",
            "YOUR_TOKEN_HERE",
            "insert-token-here",
            "TODO",
            "null",
            "true",
            "n/a",
            "(sensitive value)",
            "(known after apply)",
            "$slack-token",
            "$oidc.github.clientSecret",
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf",
        ];
        let no = [
            "hunter2",
            "password",
            "secret",
            "admin",
            "test",
            "123456",
            "S3cr3t!Passw0rd",
            "!@#$%^&*()",
            "correct horse battery staple",
            "xoxo-gossip",
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "$",
            "$1password",
        ];
        let wrong_yes: Vec<_> = yes.iter().filter(|v| !is_placeholder(v)).collect();
        let wrong_no: Vec<_> = no.iter().filter(|v| is_placeholder(v)).collect();
        assert!(wrong_yes.is_empty(), "should be placeholders: {wrong_yes:?}");
        assert!(wrong_no.is_empty(), "should not be placeholders: {wrong_no:?}");
        let random = random_alnum(40, 40);
        assert!(!is_placeholder(&random));
        assert!(!is_placeholder(&aws_key_id()));
    }
}
