//! Credential formats: values recognised by their shape.
//!
//! Only formats with a distinctive shape are recognised; there is no entropy scanning (it floods
//! plans with base64 hashes and IDs: checkov#1768). The kinds:
//! - `AWS access key id`: `AKIA`, `ASIA`, `ABIA` or `ACCA` followed by 16 characters of AWS's
//!   base32 alphabet `[A-Z2-7]`, not inside a longer run of letters and digits. A secret access
//!   key (40 characters of base64) has no shape of its own: it is found by name only.
//! - `private key (PEM)`: `-----BEGIN PRIVATE KEY-----` with an optional `RSA`, `EC`, `DSA`,
//!   `OPENSSH`, `ENCRYPTED` or `PGP` (`... PRIVATE KEY BLOCK`), followed by a base64 body (at least
//!   20 characters, after optional `Proc-Type:`-style headers); the range runs to the matching
//!   `-----END ...-----` line when there is one. A header whose body is `${var.key}` is not a key;
//!   public keys and certificates are not secrets.
//! - `GitHub token`: `ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` + 36 letters or digits, and
//!   fine-grained `github_pat_` + 82 `[A-Za-z0-9_]`.
//! - `Slack token`: `xoxb-`, `xoxa-`, `xoxp-`, `xoxr-`, `xoxs-` followed by a numeric id and more
//!   segments (`xoxb-your-token` is not one).
//! - `Slack webhook URL`: `https://hooks.slack.com/services/T.../B.../<secret>`.
//! - `Stripe secret key`: `sk_live_` or `rk_live_` (restricted) + 24 or more letters or digits.
//!   Test-mode keys (`sk_test_`) cannot reach live data and fill documentation and test suites:
//!   they are not reported by value (a secret-named attribute holding one still is, by name).
//! - `Google API key`: `AIza` + 35 `[A-Za-z0-9_-]`.
//! - `JWT`: three base64url segments, the first two starting `eyJ` (`{"`), with a signature of
//!   16 or more characters (Kubernetes service-account and OIDC tokens are bearer credentials).
//! - `password in URL`: the password of a `scheme://user:password@host` URL (`redis://:pw@`
//!   too); the range is the password only.
//!
//! A match that [`is_placeholder`] accepts is skipped: `ghp_` + 36 `x`, Slack's documented
//! `T00000000/B00000000/XXXX...` webhook, a URL password `${var.db_password}` or `<password>`.
//! AWS's documented `AKIAIOSFODNN7EXAMPLE` is **not** skipped: a key committed in the
//! documentation's format is still a committed key (checkov's `CKV_AWS_41` and GitHub's secret
//! scanning report it too), and it teaches the pattern.
//!
//! [`is_placeholder`] says a value is obviously not a real secret: empty or blank; a template
//! (`${...}`, `%{...}`, `{{ ... }}`, `$(...)`, `$NAME`); wrapped in `<...>` or `{...}`
//! (`<password>`); only filler characters (`xxxx`, `****`, `...`, `???`, `•••`), or a run of four
//! or more `x`, `X`, `*`, `#`, `•` or `0` (`ghp_xxxx...`, `T00000000`); an ARN (`arn:...`, a
//! reference to where the secret lives); Terraform's display markers `(sensitive value)` and
//! `(known after apply)`; the words `true`, `false`, `null`, `nil`, `none`, `undefined`, `n/a`,
//! `tbd`, `todo`, `fixme`; anything containing `changeme`, `replaceme`, `replacewith`,
//! `placeholder`, `example`, `sample`, `dummy`, `fake`, `redacted`, `notreal`, `notasecret`
//! (ignoring case and punctuation: `REPLACE_ME`, `change-me`); or starting with `your`, `insert`,
//! `enteryour`, `putyour`, `addyour` (`YOUR_TOKEN_HERE`). These words make a placeholder of a
//! value that reads as words, not of one in a credential's format ([`is_credential_shaped`]):
//! AWS's documentation keys `AKIAIOSFODNN7EXAMPLE` and
//! `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY` are keys in the format AWS issues, and committed
//! as a provider's credentials they are a finding. Weak but real values (`password`, `secret`,
//! `admin`, `test`, `123456`) are **not** placeholders: written into code, they are the finding.
//!

use super::placeholder::is_placeholder;
use crate::model::Credential;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// Every [`Credential::kind`] that [`find_credentials`] can return.
#[cfg(test)]
const CREDENTIAL_KINDS: &[&str] = &[
    AWS_ACCESS_KEY_ID,
    PRIVATE_KEY_PEM,
    GITHUB_TOKEN,
    SLACK_TOKEN,
    SLACK_WEBHOOK,
    STRIPE_SECRET_KEY,
    GOOGLE_API_KEY,
    JWT,
    URL_PASSWORD,
];

const AWS_ACCESS_KEY_ID: &str = "AWS access key id";
const PRIVATE_KEY_PEM: &str = "private key (PEM)";
const GITHUB_TOKEN: &str = "GitHub token";
const SLACK_TOKEN: &str = "Slack token";
const SLACK_WEBHOOK: &str = "Slack webhook URL";
const STRIPE_SECRET_KEY: &str = "Stripe secret key";
const GOOGLE_API_KEY: &str = "Google API key";
const JWT: &str = "JWT";
const URL_PASSWORD: &str = "password in URL";

/// The formats: a kind and a regex whose group `m` is the credential. The boundaries are
/// consumed characters (the regex crate has no look-around), so the search restarts at the end
/// of `m`.
const FORMAT_PATTERNS: &[(&str, &str)] = &[
    (AWS_ACCESS_KEY_ID, r"(?:^|[^A-Za-z0-9])(?P<m>(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?:$|[^A-Za-z0-9])"),
    (
        PRIVATE_KEY_PEM,
        r"(?P<m>-----BEGIN (?:(?:RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY(?: BLOCK)?-----(?:\s|\\[nr])*(?:[A-Za-z-]+:[^\n\\]*(?:\s|\\[nr])+)*[A-Za-z0-9+/=]{20})",
    ),
    (GITHUB_TOKEN, r"(?:^|[^A-Za-z0-9_])(?P<m>gh[pousr]_[A-Za-z0-9]{36})(?:$|[^A-Za-z0-9_])"),
    (GITHUB_TOKEN, r"(?:^|[^A-Za-z0-9_])(?P<m>github_pat_[A-Za-z0-9_]{82})(?:$|[^A-Za-z0-9_])"),
    (SLACK_TOKEN, r"(?:^|[^A-Za-z0-9_-])(?P<m>xox[baprs]-[0-9]{6,}-[A-Za-z0-9-]{8,})"),
    (
        SLACK_WEBHOOK,
        r"(?P<m>https://hooks\.slack\.com/(?:services|workflows|triggers)/T[A-Z0-9]{6,}/[A-Z0-9]{6,}/[A-Za-z0-9]{16,})",
    ),
    (STRIPE_SECRET_KEY, r"(?:^|[^A-Za-z0-9_])(?P<m>(?:sk|rk)_live_[A-Za-z0-9]{24,})(?:$|[^A-Za-z0-9_])"),
    (GOOGLE_API_KEY, r"(?:^|[^A-Za-z0-9_-])(?P<m>AIza[A-Za-z0-9_-]{35})(?:$|[^A-Za-z0-9_-])"),
    (
        JWT,
        r"(?:^|[^A-Za-z0-9_.-])(?P<m>eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,})(?:$|[^A-Za-z0-9_.-])",
    ),
    (URL_PASSWORD, r"[A-Za-z][A-Za-z0-9+.-]*://[^\s/?#@:]*:(?P<m>[^\s/?#@]+)@"),
];

static FORMATS: LazyLock<Vec<(&'static str, Option<Regex>)>> =
    LazyLock::new(|| FORMAT_PATTERNS.iter().map(|(kind, pattern)| (*kind, Regex::new(pattern).ok())).collect());

/// A literal that a format's match contains, with the index of that format in
/// [`FORMAT_PATTERNS`]: a string is only searched for the formats whose literal it contains.
const LITERALS: &[(&str, usize)] = &[
    ("AKIA", 0),
    ("ASIA", 0),
    ("ABIA", 0),
    ("ACCA", 0),
    ("PRIVATE KEY", 1),
    ("ghp_", 2),
    ("gho_", 2),
    ("ghu_", 2),
    ("ghs_", 2),
    ("ghr_", 2),
    ("github_pat_", 3),
    ("xox", 4),
    ("hooks.slack.com", 5),
    ("_live_", 6),
    ("AIza", 7),
    ("eyJ", 8),
    ("://", 9),
];

static PREFILTER: LazyLock<Option<aho_corasick::AhoCorasick>> = LazyLock::new(|| {
    aho_corasick::AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(LITERALS.iter().map(|(literal, _)| literal))
        .ok()
});

static PEM_END: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----").ok());

/// Whether `value` as a whole has a credential's format: one of the formats above (placeholder
/// words or not; a private key from its BEGIN line), or the shape of an AWS secret access key (40 characters of base64 with upper
/// and lower case letters and digits).
pub fn is_credential_shaped(value: &str) -> bool {
    let v = value.trim();
    let aws_secret = v.len() == 40
        && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'/' || b == b'+')
        && v.bytes().any(|b| b.is_ascii_uppercase())
        && v.bytes().any(|b| b.is_ascii_lowercase())
        && v.bytes().any(|b| b.is_ascii_digit());
    if aws_secret {
        return true;
    }
    let Some(prefilter) = PREFILTER.as_ref() else { return false };
    let wanted = prefilter
        .find_overlapping_iter(v)
        .filter_map(|m| LITERALS.get(m.pattern().as_usize()))
        .fold(0u32, |set, (_, format)| set | 1 << format);
    FORMATS
        .iter()
        .enumerate()
        .filter(|(i, _)| wanted & (1 << i) != 0)
        .filter_map(|(_, (kind, re))| Some((*kind, re.as_ref()?)))
        .any(|(kind, re)| {
            // A PEM block's match is its header and the start of its body.
            let whole = |m: regex::Match<'_>| m.start() == 0 && (m.end() == v.len() || kind == PRIVATE_KEY_PEM);
            re.captures(v).and_then(|c| c.name("m")).is_some_and(whole)
        })
}

/// Every credential of a known format in `value`, in order, without overlaps, skipping
/// placeholders. Use it to mask each one in a long string (a plan value, a template).
pub fn find_credentials(value: &str) -> Vec<Credential> {
    // Every format contains one of its literals: most strings are ruled out in one pass, and
    // the others are searched only for the formats whose literal they contain.
    let wanted: u32 = match PREFILTER.as_ref() {
        Some(prefilter) => prefilter
            .find_overlapping_iter(value)
            .filter_map(|m| LITERALS.get(m.pattern().as_usize()))
            .fold(0, |set, (_, format)| set | 1 << format),
        None => u32::MAX,
    };
    if wanted == 0 {
        return Vec::new();
    }
    let mut found: Vec<Credential> = Vec::new();
    let formats = FORMATS.iter().enumerate().filter(|(i, _)| wanted & (1 << i) != 0);
    for (kind, re) in formats.filter_map(|(_, (kind, re))| Some((kind, re.as_ref()?))) {
        let mut at = 0;
        let mut ends = PemEnds::default();
        while at <= value.len() {
            let Some(m) = re.captures_at(value, at).and_then(|c| c.name("m")) else { break };
            at = m.end().max(at + 1);
            let mut range = m.range();
            if *kind == PRIVATE_KEY_PEM {
                if let Some(end) = ends.after(value, range.end) {
                    range.end = end;
                }
                at = range.end.max(at);
            }
            let text = value.get(range.clone()).unwrap_or_default();
            if !is_placeholder(text) {
                found.push(Credential { kind, range });
            }
        }
    }
    found.sort_by_key(|c| (c.range.start, std::cmp::Reverse(c.range.end)));
    let mut kept: Vec<Credential> = Vec::with_capacity(found.len());
    for c in found {
        if kept.last().is_none_or(|last| c.range.start >= last.range.end) {
            kept.push(c);
        }
    }
    kept
}

/// The `-----END ... PRIVATE KEY-----` lines of a text, searched forward only once: many BEGIN
/// lines without an END must not each search the rest of the text again (which is quadratic).
#[derive(Default)]
struct PemEnds {
    /// The last END found, and the offset its search started from.
    last: Option<(usize, Option<Range<usize>>)>,
}

impl PemEnds {
    /// The end offset of the first END line at or after `from`.
    fn after(&mut self, text: &str, from: usize) -> Option<usize> {
        if let Some((searched_from, found)) = &self.last {
            // A search that found nothing from an earlier offset finds nothing from a later one;
            // one that found an END past `from` finds the same END.
            match found {
                None if *searched_from <= from => return None,
                Some(end) if *searched_from <= from && end.start >= from => return Some(end.end),
                _ => {}
            }
        }
        let found = PEM_END.as_ref().and_then(|re| re.find_at(text, from)).map(|m| m.range());
        self.last = Some((from, found.clone()));
        found.map(|r| r.end)
    }
}

#[cfg(test)]
fn first_credential(value: &str) -> Option<Credential> {
    find_credentials(value).into_iter().next()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn aws_key_id() -> String {
        format!("AKIA{}", "Q2RZ7".repeat(3) + "M")
    }

    pub(crate) fn random_alnum(len: usize, seed: u64) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWYZabcdefghijkmnopqrstuvwyz23456789";
        let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (0..len)
            .map(|_| {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                ALPHABET[((state >> 33) % ALPHABET.len() as u64) as usize] as char
            })
            .collect()
    }

    fn pem(kind: &str) -> String {
        let label = if kind.is_empty() { "PRIVATE KEY".to_string() } else { format!("{kind} PRIVATE KEY") };
        let body = format!("MII{}\n{}", random_alnum(61, 1), random_alnum(40, 2));
        format!("-----BEGIN {label}-----\n{body}\n-----END {label}-----\n")
    }

    fn kind_of(value: &str) -> Option<&'static str> {
        first_credential(value).map(|c| c.kind)
    }

    #[test]
    fn finds_credential_formats() {
        let key = aws_key_id();
        let value = format!("export AWS_ACCESS_KEY_ID={key}\n");
        let found = first_credential(&value);
        assert_eq!(found, Some(Credential { kind: AWS_ACCESS_KEY_ID, range: 25..45 }));
        assert_eq!(&value[25..45], key);
        for prefix in ["ASIA", "ABIA", "ACCA"] {
            assert_eq!(kind_of(&format!("{prefix}{}", "B".repeat(16))), Some(AWS_ACCESS_KEY_ID));
        }

        for kind in ["", "RSA", "EC", "OPENSSH", "DSA", "ENCRYPTED"] {
            let key = pem(kind);
            let c = first_credential(&key);
            assert_eq!(c.as_ref().map(|c| c.kind), Some(PRIVATE_KEY_PEM), "{kind}");
            let end = key.trim_end().len();
            assert_eq!(c.map(|c| c.range), Some(0..end), "{kind}");
        }
        let escaped = pem("RSA").replace('\n', "\\n");
        assert_eq!(kind_of(&escaped), Some(PRIVATE_KEY_PEM));
        let pgp = format!(
            "-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG\n\nlQ{}\n-----END PGP PRIVATE KEY BLOCK-----",
            random_alnum(60, 3)
        );
        assert_eq!(kind_of(&pgp), Some(PRIVATE_KEY_PEM));

        for p in ["ghp", "gho", "ghu", "ghs", "ghr"] {
            assert_eq!(kind_of(&format!("token = \"{p}_{}\"", random_alnum(36, 4))), Some(GITHUB_TOKEN), "{p}");
        }
        let pat = format!("github_pat_{}_{}", random_alnum(22, 5), random_alnum(59, 6));
        assert_eq!(kind_of(&pat), Some(GITHUB_TOKEN));

        let slack = format!("xoxb-{}-{}-{}", "1234567890", "9876543210", random_alnum(24, 7));
        assert_eq!(kind_of(&slack), Some(SLACK_TOKEN));
        let hook = format!("https://hooks.slack.com/services/T{}/B{}/{}", "A1B2C3D4", "Z9Y8X7W6", random_alnum(24, 8));
        assert_eq!(kind_of(&hook), Some(SLACK_WEBHOOK));

        assert_eq!(kind_of(&format!("sk_live_{}", random_alnum(24, 9))), Some(STRIPE_SECRET_KEY));
        assert_eq!(kind_of(&format!("rk_live_{}", random_alnum(99, 10))), Some(STRIPE_SECRET_KEY));
        assert_eq!(kind_of(&format!("AIza{}", random_alnum(35, 11))), Some(GOOGLE_API_KEY));
        let jwt = format!("eyJ{}.eyJ{}.{}", random_alnum(30, 12), random_alnum(60, 13), random_alnum(43, 14));
        assert_eq!(kind_of(&format!("Bearer {jwt}")), Some(JWT));

        let pw = random_alnum(12, 15);
        let url = format!("postgres://app:{pw}@db.internal:5432/app");
        let c = first_credential(&url);
        assert_eq!(c.as_ref().map(|c| c.kind), Some(URL_PASSWORD));
        assert_eq!(c.map(|c| &url[c.range]), Some(pw.as_str()));
        assert_eq!(kind_of(&format!("redis://:{pw}@cache:6379")), Some(URL_PASSWORD));
    }

    #[test]
    fn finds_every_credential_in_order() {
        let a = aws_key_id();
        let g = format!("ghp_{}", random_alnum(36, 20));
        let text = format!("{a} {a} and {g}");
        let found = find_credentials(&text);
        let kinds: Vec<_> = found.iter().map(|c| c.kind).collect();
        assert_eq!(kinds, [AWS_ACCESS_KEY_ID, AWS_ACCESS_KEY_ID, GITHUB_TOKEN]);
        assert!(found.iter().all(|c| !text[c.range.clone()].contains(' ')));
        for kind in CREDENTIAL_KINDS {
            assert!(!kind.is_empty());
        }
    }

    #[test]
    fn look_alikes_are_not_credentials() {
        let sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        let negatives = [
            format!("AKIA{}", "Q".repeat(15)),
            format!("AKIA{}", "Q".repeat(17)),
            format!("akia{}", "q".repeat(16)),
            format!("AKIA{}", "Q1Q8Q0Q9".repeat(2)),
            format!("XAKIA{}", "Q".repeat(16)),
            format!("arn:aws:iam::123456789012:role/AKIA{}", "ROLENAMETHATISVERYLONG"),
            format!("dGhpcyBpcyBub3Qgc2VjcmV0AKIA{}b2s=", "Q".repeat(16)),
            "c29tZSBiYXNlNjQgZW5jb2RlZCBibG9iIHRoYXQgaXMgbm90IGEgc2VjcmV0IGF0IGFsbA==".to_string(),
            "3f2504e0-4f89-11d3-9a0c-0305e82c3301".to_string(),
            sha256.to_string(),
            format!("-----BEGIN PUBLIC KEY-----\nMII{}\n-----END PUBLIC KEY-----", random_alnum(60, 30)),
            format!("-----BEGIN CERTIFICATE-----\nMII{}\n-----END CERTIFICATE-----", random_alnum(60, 31)),
            "-----BEGIN RSA PRIVATE KEY-----\n${var.key_body}\n-----END RSA PRIVATE KEY-----".to_string(),
            "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----".to_string(),
            format!("ghp_{}", random_alnum(20, 32)),
            format!("ghp_{}", random_alnum(37, 33)),
            format!("ghx_{}", random_alnum(36, 34)),
            format!("ghp_{}", "x".repeat(36)),
            format!("xoxb{}", random_alnum(40, 35)),
            "xoxb-your-bot-token".to_string(),
            "set the sk_live key in the dashboard".to_string(),
            format!("sk_test_{}", random_alnum(24, 36)),
            format!("sk_live_{}", random_alnum(10, 37)),
            format!("https://hooks.slack.com/services/T{0}/B{0}/{1}", "0".repeat(8), "X".repeat(24)),
            "eyJhbGciOiJIUzI1NiJ9".to_string(),
            "postgres://app:${var.db_password}@db:5432/app".to_string(),
            "mongodb+srv://admin:<password>@cluster0.mongodb.net".to_string(),
            "git::https://github.com/org/repo.git?ref=v1.2.0".to_string(),
            "ssh://git@github.com/org/repo.git".to_string(),
            "jdbc:mysql://db:3306/app?user=a@b".to_string(),
            "http://proxy.internal:3128".to_string(),
            String::new(),
        ];
        let wrong: Vec<_> = negatives.iter().filter_map(|v| first_credential(v).map(|c| (v.clone(), c))).collect();
        assert!(wrong.is_empty(), "{wrong:?}");
    }

    #[test]
    fn documented_example_keys_are_credentials() {
        assert_eq!(kind_of("access_key = \"AKIAIOSFODNN7EXAMPLE\""), Some(AWS_ACCESS_KEY_ID));
        assert!(is_credential_shaped("AKIAIOSFODNN7EXAMPLE"));
        assert!(is_credential_shaped("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
        assert!(is_credential_shaped(&format!("ghp_{}", random_alnum(36, 40))));
        for not in ["example", "sample-key", "AKIAIOSFODNN7EXAMPLE and more", "REPLACE_ME", &"a".repeat(40)] {
            assert!(!is_credential_shaped(not), "{not}");
        }
    }

    #[test]
    fn every_pattern_compiles() {
        assert_eq!(FORMATS.len(), FORMAT_PATTERNS.len());
        assert!(FORMATS.iter().all(|(_, re)| re.is_some()));
        assert!(PEM_END.is_some());
        assert!(PREFILTER.is_some());
    }

    #[test]
    fn every_format_has_a_literal_that_its_matches_contain() {
        // A format without a literal would never be searched; a wrong index would search the
        // wrong format (the detection tests above would then miss it).
        for (i, (kind, _)) in FORMAT_PATTERNS.iter().enumerate() {
            assert!(LITERALS.iter().any(|(_, f)| *f == i), "{kind} has no literal");
        }
        assert!(LITERALS.iter().all(|(_, f)| *f < FORMAT_PATTERNS.len() && *f < 32));
    }
}
