//! Secrets inside documents embedded in a string: an ECS `container_definitions` JSON in a
//! heredoc, a `user_data` shell script, a YAML or HCL snippet, and any of them in base64
//! (`user_data_base64`, `base64encode(<<EOF ... EOF)`, a launch template's `user_data` in a
//! plan).
//!
//! A document is not parsed: it is read for the places where a name is given a value, which is
//! where a secret sits in every such format:
//! - JSON name/value pairs, the environment of a container definition or a Kubernetes manifest:
//!   `{"name": "DB_PASSWORD", "value": "..."}` (either order);
//! - assignments: JSON members `"password": "..."`, shell `DB_PASSWORD=...` and
//!   `export DB_PASSWORD="..."`, YAML `password: ...`, HCL `password = "..."`.
//!
//! [`assigned_values`] returns those whose name holds a secret and whose value is not a
//! placeholder nor built by an interpolation (`DB_PASSWORD=${db_password}`, `$(aws ssm ...)`):
//! the masking hides them all, and a rule reports the ones that
//! [`is_secret_value`](super::is_secret_value) takes for secrets.
//!
//! [`base64_document`] decodes a string that is wholly base64 of UTF-8 text, up to
//! [`MAX_DECODED`] bytes: EC2 takes at most 16 KB of user data, so a longer blob is not one and
//! is not decoded. A secret in a base64 document cannot be pointed at inside the encoding: the
//! whole string stands for it.
//!
//! Both are linear in the text: one pass of two regexes, and one decoding pass.

use super::names::holds_secret;
use super::placeholder::is_placeholder;
use crate::model::template::interpolations;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// The most bytes a base64 document is decoded to: four times EC2's 16 KB limit on user data.
pub const MAX_DECODED: usize = 64 * 1024;

/// A value given to a secret name inside a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assigned {
    /// The name, as written (`DB_PASSWORD`).
    pub name: String,
    /// Where the value is in the document, quotes excluded.
    pub range: Range<usize>,
}

/// `{"name": "N", "value": "V"}` in either order.
static PAIR: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r#""name"\s*:\s*"(?P<n1>[^"\\\n]*)"\s*,\s*"value"\s*:\s*"(?P<v1>(?:[^"\\\n]|\\.)*)"|"value"\s*:\s*"(?P<v2>(?:[^"\\\n]|\\.)*)"\s*,\s*"name"\s*:\s*"(?P<n2>[^"\\\n]*)""#,
    )
    .ok()
});

/// `NAME = value`, `"NAME": value`, `NAME: value` (a YAML colon is followed by a space, so
/// `arn:aws:...` and `${arn}:password::` are not assignments; `==` compares): the name, then
/// the value as a double- or single-quoted string or an unquoted word.
static ASSIGNMENT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r#"(?:"(?P<quoted>[^"\\\n]+)"[ \t]*[:=]|(?P<bare>[A-Za-z_][A-Za-z0-9_.\-]*)[ \t]*(?:=|:[ \t]))[ \t]*(?:"(?P<string>(?:[^"\\\n]|\\.)*)"|'(?P<single>[^'\n]*)'|(?P<word>[^\s,{}\[\]\#"';&|`=][^\s,{}\[\]\#"';&|`]*))"#,
    )
    .ok()
});

/// Pieces of which every name that holds a secret has one (`names::classify_name`'s hold-words,
/// compounds and plurals), ignoring case: a text without any assigns no secret, and is not read
/// further.
const HOLD_PIECES: &[&str] = &["pass", "pwd", "secret", "token", "cred", "key", "connection", "webhook"];

static HOLD_PREFILTER: LazyLock<Option<aho_corasick::AhoCorasick>> =
    LazyLock::new(|| aho_corasick::AhoCorasick::builder().ascii_case_insensitive(true).build(HOLD_PIECES).ok());

/// Every value in the document `text` given to a name that holds a secret, in order, without
/// overlaps: not placeholders, and not built by an interpolation of `text` as a template.
pub fn assigned_values(text: &str) -> Vec<Assigned> {
    if !text.contains(['=', ':']) || HOLD_PREFILTER.as_ref().is_some_and(|p| !p.is_match(text)) {
        return Vec::new();
    }
    let interpolations = interpolations(text);
    let built = |range: &Range<usize>| {
        let at = interpolations.partition_point(|r| r.end <= range.start);
        interpolations.get(at).is_some_and(|r| r.start <= range.end)
    };
    let mut found = Vec::new();
    let mut keep = |name: &str, value: regex::Match<'_>| {
        let range = value.range();
        if !value.as_str().is_empty() && holds_secret(name) && !is_placeholder(value.as_str()) && !built(&range) {
            found.push(Assigned { name: name.to_string(), range });
        }
    };
    if text.contains("\"value\"")
        && let Some(pair) = PAIR.as_ref()
    {
        for c in pair.captures_iter(text) {
            let name = c.name("n1").or_else(|| c.name("n2"));
            let value = c.name("v1").or_else(|| c.name("v2"));
            if let (Some(name), Some(value)) = (name, value) {
                keep(name.as_str(), value);
            }
        }
    }
    if let Some(assignment) = ASSIGNMENT.as_ref() {
        for c in assignment.captures_iter(text) {
            let name = c.name("quoted").or_else(|| c.name("bare"));
            let value = c.name("string").or_else(|| c.name("single")).or_else(|| c.name("word"));
            if let (Some(name), Some(value)) = (name, value) {
                keep(name.as_str(), value);
            }
        }
    }
    found.sort_by_key(|a| (a.range.start, std::cmp::Reverse(a.range.end)));
    let mut kept: Vec<Assigned> = Vec::with_capacity(found.len());
    for a in found {
        if kept.last().is_none_or(|last| a.range.start >= last.range.end) {
            kept.push(a);
        }
    }
    kept
}

/// The text that `text` encodes when it is wholly base64 (line breaks allowed) of UTF-8 text of
/// at most [`MAX_DECODED`] bytes: no control characters but tabs and line breaks, not
/// compressed.
pub fn base64_document(text: &str) -> Option<String> {
    let t = text.trim();
    if t.len() < 16 || t.len() > MAX_DECODED / 3 * 4 + MAX_DECODED / 32 {
        return None;
    }
    let mut sextets: Vec<u8> = Vec::with_capacity(t.len());
    let mut padding = 0;
    for b in t.bytes() {
        let value = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                padding += 1;
                continue;
            }
            b'\n' | b'\r' => continue,
            _ => return None,
        };
        if padding > 0 {
            return None;
        }
        sextets.push(value);
    }
    if padding > 2 || !(sextets.len() + padding).is_multiple_of(4) || sextets.len() % 4 == 1 {
        return None;
    }
    if sextets.len() / 4 * 3 > MAX_DECODED {
        return None;
    }
    let mut bytes = Vec::with_capacity(sextets.len() / 4 * 3 + 2);
    for chunk in sextets.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &s)| n | (u32::from(s) << (18 - 6 * i)));
        let [_, a, b, c] = n.to_be_bytes();
        bytes.extend_from_slice(&[a, b, c][..chunk.len() - 1]);
    }
    let decoded = String::from_utf8(bytes).ok()?;
    let text_like = !decoded.is_empty() && decoded.chars().all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'));
    text_like.then_some(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<&str> {
        assigned_values(text).into_iter().map(|a| text.get(a.range).unwrap_or_default()).collect()
    }

    fn encode(text: &str) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in text.as_bytes().chunks(3) {
            let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
            for i in 0..=chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            }
            out.push_str(&"=".repeat(3 - chunk.len()));
        }
        out
    }

    #[test]
    fn container_definition_environments() {
        let heredoc = r#"[
  {
    "name": "api",
    "image": "registry.internal/api:1.4.2",
    "environment": [
      { "name": "LOG_LEVEL", "value": "info" },
      { "name": "DB_PASSWORD", "value": "Zq8vLm-3kT" },
      { "value": "Xp2-wQ9r", "name": "API_TOKEN" },
      {
        "name": "STRIPE_SECRET",
        "value": "Rk7-mN2p"
      }
    ],
    "secrets": [{ "name": "DB_PASSWORD2", "valueFrom": "arn:aws:ssm:eu-west-1:123456789012:parameter/db" }]
  }
]"#;
        assert_eq!(values(heredoc), ["Zq8vLm-3kT", "Xp2-wQ9r", "Rk7-mN2p"]);
        let names: Vec<String> = assigned_values(heredoc).into_iter().map(|a| a.name).collect();
        assert_eq!(names, ["DB_PASSWORD", "API_TOKEN", "STRIPE_SECRET"]);
    }

    #[test]
    fn shell_yaml_and_json_assignments() {
        let script = "#!/bin/bash\nexport DB_PASSWORD=Zq8vLm3k\nAPI_TOKEN=\"Xp2 wQ9r\"\nexport SECRET_KEY='Rk7mN2p'; echo ok\nREGION=eu-west-1\n";
        assert_eq!(values(script), ["Zq8vLm3k", "Xp2 wQ9r", "Rk7mN2p"]);
        assert_eq!(values("auth:\n  password: Zq8vLm3k\n  username: app\n"), ["Zq8vLm3k"]);
        assert_eq!(values("{\"password\": \"Zq8\\\"vLm\", \"user\": \"bob\"}"), ["Zq8\\\"vLm"]);
    }

    #[test]
    fn references_placeholders_and_interpolations_are_left() {
        let script = "export DB_PASSWORD=$(aws ssm get-parameter --name /db/password)\nexport API_TOKEN=${api_token}\nTOKEN=\"prefix-${var.token}\"\nPASSWORD=CHANGEME\nSECRET_NAME=prod/db\n%{ if x }PASSWORD=${jsonencode({password = var.x})}%{ endif }\n";
        assert!(values(script).is_empty(), "{:?}", values(script));
        assert!(values("no assignment here").is_empty());
        let comparisons =
            "pass=true\n[[ $pass == \"true\" ]]\nif [ \"$PASSWORD\" = \"$EXPECTED\" ]; then\n) || pass=false\n";
        assert!(values(comparisons).is_empty(), "{:?}", values(comparisons));
        assert!(values("arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCd:password::").is_empty());
        assert_eq!(values("password:\tZq8vLm3k"), ["Zq8vLm3k"]);
    }

    #[test]
    fn every_hold_word_has_a_prefilter_piece() {
        use super::super::names::{HEAD_ONLY_HOLD_WORDS, HOLD_WORDS, SINGULARS};
        let plurals = SINGULARS.iter().map(|(plural, _)| plural);
        for word in HOLD_WORDS.iter().chain(HEAD_ONLY_HOLD_WORDS).chain(plurals) {
            assert!(HOLD_PREFILTER.as_ref().is_some_and(|p| p.is_match(word)), "{word}");
        }
    }

    #[test]
    fn base64_documents() {
        let script = "#!/bin/bash\nexport DB_PASSWORD=Zq8vLm3k\n";
        let encoded = encode(script);
        assert_eq!(base64_document(&encoded).as_deref(), Some(script));
        let wrapped: String = encoded.as_bytes().chunks(8).map(|c| String::from_utf8_lossy(c) + "\n").collect();
        assert_eq!(base64_document(&wrapped).as_deref(), Some(script));
        // Hashes, binary and things that are not base64.
        assert_eq!(base64_document("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="), None);
        assert_eq!(base64_document("not base64 at all, surely"), None);
        assert_eq!(base64_document(&encode("short")), None);
        assert_eq!(base64_document("QUJD=REVGR0hJSktMTU5PUA=="), None);
        assert_eq!(base64_document(&encode(&"x".repeat(MAX_DECODED + 3))), None);
        assert!(base64_document(&encode(&"x".repeat(MAX_DECODED))).is_some());
    }
}
