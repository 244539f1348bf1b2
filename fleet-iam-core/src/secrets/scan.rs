//! The line-level scan, for text that could not be parsed: a file with a syntax error still
//! shows lines in its `parse-error` excerpt, and no model says where its secrets are.
//!
//! It finds, line by line: assignments whose name holds a secret (`db_password = "..."`,
//! `"password": "..."`, `token: ...`), where the value is masked up to its closing quote or, when
//! there is none, to the end of the line; and the body of a PEM private key, from its BEGIN line
//! to its END line or to the first line that is not base64. Credential formats anywhere are found
//! by [`super::find_credentials`], which the caller runs on every text. Time is linear in the
//! text.

use super::names::holds_secret;
use super::placeholder::is_placeholder;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// `name = value` or `"name": value`: the name, then the value to the end of the string or
/// of the unquoted word.
static ASSIGNMENT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r#"(?:"(?P<quoted>[^"\\\n]+)"|(?P<bare>[A-Za-z_][A-Za-z0-9_.\-]*))[ \t]*[:=][ \t]*(?:"(?P<string>(?:[^"\\\n]|\\.)*)"?|(?P<word>[^\s,{}\[\]\#"'][^\s,{}\[\]\#"']*))"#,
    )
    .ok()
});

/// The byte ranges of `text` that the scan takes for secrets.
pub fn line_secrets(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let Some(assignment) = ASSIGNMENT.as_ref() else { return found };
    let mut in_key = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim();
        if trimmed.contains("PRIVATE KEY") && trimmed.contains("-----BEGIN") {
            in_key = true;
            continue;
        }
        if in_key {
            let is_body = !trimmed.is_empty()
                && trimmed.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='));
            let is_header = trimmed.contains(':') && !trimmed.contains("-----");
            if is_body || is_header {
                found.push(start..start + body.len());
                continue;
            }
            in_key = false;
        }
        for captures in assignment.captures_iter(body) {
            let Some(name) = captures.name("quoted").or_else(|| captures.name("bare")) else { continue };
            let Some(value) = captures.name("string").or_else(|| captures.name("word")) else { continue };
            if value.is_empty() || !holds_secret(name.as_str()) || is_placeholder(value.as_str()) {
                continue;
            }
            found.push(start + value.start()..start + value.end());
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str) -> Vec<&str> {
        line_secrets(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn secret_named_assignments_in_every_syntax() {
        assert_eq!(shown("db_password = \"Zq8vLm\"\n"), ["Zq8vLm"]);
        assert_eq!(shown("  \"password\": \"Zq8\\\"vLm\", \"user\": \"bob\"\n"), ["Zq8\\\"vLm"]);
        assert_eq!(shown("api_token = unquoted-Zq8 # comment\n"), ["unquoted-Zq8"]);
        assert_eq!(shown("resource \"x\" { password = \"Zq8vLm\n"), ["Zq8vLm"]);
        assert_eq!(shown("x = { a = 1, client_secret = \"Zq8vLm\" }}}\n"), ["Zq8vLm"]);
        let json = "{\"resource\": {\"aws_db_instance\": {\"b\": {\"password\": \"Zq8vLm\",}}}}";
        assert_eq!(shown(json), ["Zq8vLm"]);
    }

    #[test]
    fn names_about_secrets_and_placeholders_are_left() {
        assert!(shown("password_length = 16\nsecret_name = \"db\"\n").is_empty());
        assert!(shown("db_password = \"${var.db_password}\"\n").is_empty());
        assert!(shown("token = \"CHANGEME\"\n").is_empty());
    }

    #[test]
    fn pem_bodies_are_found_line_by_line() {
        let text = "k = <<EOT\n-----BEGIN RSA PRIVATE KEY-----\nMIIEZq8vLmQ2\nAbCd+/==\n-----END RSA PRIVATE KEY-----\nx = 1\n";
        assert_eq!(shown(text), ["MIIEZq8vLmQ2", "AbCd+/=="]);
    }
}
