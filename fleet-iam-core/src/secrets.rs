//! The one place that decides what is a secret: by name, by value, and how to show one.
//!
//! Every M8 rule (`secret-variable-not-sensitive`, `secret-output-not-sensitive`,
//! `helm-set-secret`, `secret-literal`, `plan-secret-exposed`) and every output format asks this
//! module, so the vocabulary is written and tested once.
//!
//! # Names: [`classify_name`]
//!
//! Other tools match substrings (`*secret*`, `*token*`) and fire on `secret_name`,
//! `token_ttl` or `http_tokens`; their name checks are ignored all over public code. Here a name
//! is read as an English compound whose **last word is the head**: `db_password` is a password,
//! `password_length` is a length.
//!
//! **Splitting.** The name is cut into words at every character that is not a letter or digit
//! (`_`, `-`, `.`, `[`, `]`, `/`, spaces: snake_case, kebab-case, Helm paths such as
//! `grafana.adminPassword` or `server.extraEnv[0].value`, plan JSON pointers) and at case changes
//! (`adminPassword`, `SecretAccessKey`, `DBPassword` → `db password`, `oauth2Token`). Words are
//! lowercased; words made only of digits (list indexes) are dropped. Plurals of the vocabulary are
//! singularised (`passwords`, `secrets`, `tokens`, `keys`, `credentials`, `creds`). A lowercase
//! word that starts or ends with a strong hold-word is cut there (`dbpassword` → `db password`,
//! `clientsecret`, `existingsecret`, `secretname` → `secret name`).
//!
//! **Compounds.** Adjacent words are then joined into one hold-word when they form a
//! compound that holds a secret: `api key`, `app key` (Datadog), `private key`, `secret key`,
//! `access key`, `signing key`, `hmac key`, `client key` (a TLS client key), `account key` and
//! `shared key` (Azure), `license key`, `key material`, `connection string`, `webhook url`,
//! `pass phrase`. A bare `key` is not a secret (`key_name`, `kms_key_id`, `pgp_key`,
//! `public_key`, `ssh_key`) and neither are `encryption_key` and `master_key`: in the AWS
//! provider they reference a KMS key (`aws_codebuild_project.encryption_key` is an ARN); key
//! material itself is found by its value (PEM).
//!
//! **Hold-words** (a name whose head is one of them holds a secret): `password`, `passwd`,
//! `pwd`, `passphrase`, `pass` (only as the head: `db_pass`, not `pass_role`), `secret`, `token`,
//! `credential`, and the compounds above. So `access_key` holds a secret (the Azure storage
//! `primary_access_key`; with the AWS provider it is half of a credential pair) while
//! `access_key_id` names it; `webhook_url` holds one because Slack, Teams and Discord webhook URLs
//! are bearer credentials; `connection_string` holds one because it normally embeds the password.
//!
//! **Transparent suffixes** do not change the head: `value`, `string`, `binary`, `data`, `text`,
//! `plain`, `plaintext`, `raw`, `content`, `contents`, `encoded`, the encodings `pem`, `der`,
//! `base64`, `b64`, `hex`, `json`, `openssh`, `pkcs8`, Terraform's write-only marker `wo`, and
//! versions `v2`, `v4`... So `secret_string` (`aws_secretsmanager_secret_version`),
//! `private_key_pem`, `key_material_base64`, `credentials_json`, `password_wo` and
//! `ses_smtp_password_v4` hold a secret.
//!
//! **Precedence**, first that applies:
//! 1. Any other head means the name is *about* a secret, not the secret: `secret_name`,
//!    `db_password_arn`, `access_key_id`, `password_length`, `token_ttl`, `token_endpoint`,
//!    `secret_rotation_days`, `password_policy`, `password_reuse_prevention`, `secret_key_ref`,
//!    `private_key_path`, `credentials_file`, `password_hash`, `api_key_required`,
//!    `password_wo_version` → [`NameClass::MentionsSecret`] if a hold-word occurs anywhere, else
//!    [`NameClass::Other`].
//! 2. A `token` head qualified by a word that makes it a protocol token, not a credential
//!    (`http_tokens` of IMDS `metadata_options` and variables named `imds_tokens` for it, `creation_token` of EFS, `next_token`,
//!    `page_token`, `continuation_token`, `idempotency_token`, `client_request_token`,
//!    `sync_token`) → [`NameClass::MentionsSecret`].
//! 3. A hold head preceded anywhere by a flag, verb or reference word → the name is a switch or
//!    a pointer: `use`, `enable(d)`, `disable(d)`, `create`, `manage`, `generate`, `get`,
//!    `rotate`, `require(d)`, `allow`, `has`, `is`, `should`, `skip`, `ignore`, `no`, `num`,
//!    `min`/`max`/`minimum`/`maximum`, `existing`, `hashed`, `encrypted`, `automount`
//!    (`use_password`, `automount_service_account_token`,
//!    `manage_master_user_password`, `generate_secret`, `create_random_password`,
//!    `auth.existingSecret`, `encrypted_password`) → [`NameClass::MentionsSecret`].
//! 4. Otherwise a hold head → [`NameClass::Secret`]: `grafana_admin_password`,
//!    `grafana.adminPassword`, `api_token`, `client_secret`, `secret_access_key`, `private_key`,
//!    `GITHUB_TOKEN`, `x-api-key`.
//!
//! # Values: [`find_credentials`], [`is_placeholder`]
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
//! `T00000000/B00000000/XXXX...` webhook, AWS's documented `AKIAIOSFODNN7EXAMPLE`, a URL password
//! `${var.db_password}` or `<password>`.
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
//! `enteryour`, `putyour`, `addyour` (`YOUR_TOKEN_HERE`). AWS's documentation keys
//! `AKIAIOSFODNN7EXAMPLE` and `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY` are placeholders: they
//! are in thousands of real repositories as test data and grant nothing. Weak but real values
//! (`password`, `secret`, `admin`, `test`, `123456`) are **not** placeholders: written into code,
//! they are the finding.
//!
//! # Showing a secret: [`mask`], [`redact`]
//!
//! [`mask`] never shows more than the first two characters and never the length: a single-line
//! value of 8 characters or more shows its first two characters then `****` (`"gr****"`), when
//! both are printable ASCII; anything shorter, multi-line (a PEM key), or starting with other
//! characters becomes `****`. The result is always ASCII. [`redact`] replaces every occurrence of
//! a secret in a text (a source line, a message, a plan excerpt) with its mask, including the
//! secret as JSON or HCL escapes it and, for a multi-line secret, each of its lines.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// What a name says about the value it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameClass {
    /// The name holds a secret: `db_password`, `api_token`, `client_secret`, `private_key_pem`.
    Secret,
    /// The name is about a secret without holding it: `secret_name`, `password_length`,
    /// `token_ttl`, `db_password_arn`, `existingSecret`, `use_password`. Never a finding.
    MentionsSecret,
    /// The name has nothing to do with secrets.
    Other,
}

/// Hold-words that make a name a secret when they are its head, and a mention anywhere else.
const HOLD_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "passphrase",
    "secret",
    "token",
    "credential",
    "apikey",
    "appkey",
    "privatekey",
    "secretkey",
    "accesskey",
    "signingkey",
    "hmackey",
    "clientkey",
    "accountkey",
    "sharedkey",
    "licensekey",
    "keymaterial",
    "connectionstring",
    "webhookurl",
];

/// A hold-word only as the head of a name (`db_pass`), ignored elsewhere (`pass_role`).
const HEAD_ONLY_HOLD_WORDS: &[&str] = &["pass"];

/// Adjacent word pairs joined into one word before classification.
const COMPOUNDS: &[(&str, &str, &str)] = &[
    ("api", "key", "apikey"),
    ("app", "key", "appkey"),
    ("private", "key", "privatekey"),
    ("secret", "key", "secretkey"),
    ("access", "key", "accesskey"),
    ("signing", "key", "signingkey"),
    ("hmac", "key", "hmackey"),
    ("client", "key", "clientkey"),
    ("account", "key", "accountkey"),
    ("shared", "key", "sharedkey"),
    ("license", "key", "licensekey"),
    ("key", "material", "keymaterial"),
    ("connection", "string", "connectionstring"),
    ("webhook", "url", "webhookurl"),
    ("pass", "phrase", "passphrase"),
];

/// Whole words replaced by their singular (or canonical) form.
const SINGULARS: &[(&str, &str)] = &[
    ("passwords", "password"),
    ("passwds", "passwd"),
    ("pwds", "pwd"),
    ("passphrases", "passphrase"),
    ("secrets", "secret"),
    ("tokens", "token"),
    ("credentials", "credential"),
    ("creds", "credential"),
    ("cred", "credential"),
    ("keys", "key"),
    ("apikeys", "apikey"),
];

/// Strong hold-words cut out of a longer lowercase word (`dbpassword`, `secretname`), longest
/// first, with the word they become.
const SQUASHED: &[(&str, &str)] = &[
    ("credentials", "credential"),
    ("privatekey", "privatekey"),
    ("passphrase", "passphrase"),
    ("credential", "credential"),
    ("accesskey", "accesskey"),
    ("secretkey", "secretkey"),
    ("passwords", "password"),
    ("password", "password"),
    ("secrets", "secret"),
    ("apikey", "apikey"),
    ("passwd", "passwd"),
    ("secret", "secret"),
    ("tokens", "token"),
    ("token", "token"),
];

/// Words that never change the head when they end a name.
const TRANSPARENT: &[&str] = &[
    "value",
    "string",
    "binary",
    "data",
    "text",
    "plain",
    "plaintext",
    "raw",
    "content",
    "contents",
    "encoded",
    "pem",
    "der",
    "base64",
    "b64",
    "hex",
    "json",
    "openssh",
    "pkcs8",
    "wo",
];

/// Words before a hold head that make the name a switch, a count or a pointer.
const NEGATING: &[&str] = &[
    "use",
    "enable",
    "enabled",
    "disable",
    "disabled",
    "create",
    "manage",
    "generate",
    "get",
    "rotate",
    "require",
    "required",
    "allow",
    "has",
    "is",
    "should",
    "skip",
    "ignore",
    "no",
    "num",
    "min",
    "max",
    "minimum",
    "maximum",
    "existing",
    "hashed",
    "encrypted",
    "automount",
];

/// Words before `token` that make it a protocol token rather than a credential.
const NON_SECRET_TOKEN_QUALIFIERS: &[&str] =
    &["http", "imds", "creation", "next", "page", "pagination", "continuation", "idempotency", "request", "sync"];

/// Classifies a Terraform, Helm or plan name by what it says about its value.
///
/// See the [module documentation](self) for the vocabulary and the precedence.
pub fn classify_name(name: &str) -> NameClass {
    let words = name_words(name);
    let Some(head_at) = words.iter().rposition(|w| !is_transparent(w)) else {
        return NameClass::Other;
    };
    let head = words[head_at].as_str();
    let before = &words[..head_at];
    let mentions = words.iter().any(|w| HOLD_WORDS.contains(&w.as_str()));
    let holds = HOLD_WORDS.contains(&head) || HEAD_ONLY_HOLD_WORDS.contains(&head);
    if !holds {
        return if mentions { NameClass::MentionsSecret } else { NameClass::Other };
    }
    let protocol_token =
        head == "token" && before.last().is_some_and(|w| NON_SECRET_TOKEN_QUALIFIERS.contains(&w.as_str()));
    if protocol_token || before.iter().any(|w| NEGATING.contains(&w.as_str())) {
        return NameClass::MentionsSecret;
    }
    NameClass::Secret
}

fn is_transparent(word: &str) -> bool {
    TRANSPARENT.contains(&word)
        || word.strip_prefix('v').is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Splits a name into normalised lowercase words (see the module documentation).
fn name_words(name: &str) -> Vec<String> {
    let mut raw = Vec::new();
    let chars: Vec<char> = name.chars().collect();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                raw.push(std::mem::take(&mut current));
            }
            continue;
        }
        if c.is_uppercase() && !current.is_empty() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if prev.is_lowercase() || prev.is_numeric() || (prev.is_uppercase() && next_lower) {
                raw.push(std::mem::take(&mut current));
            }
        }
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        raw.push(current);
    }

    let mut words: Vec<String> = Vec::with_capacity(raw.len());
    for word in raw {
        if word.chars().all(|c| c.is_numeric()) {
            continue;
        }
        let word = singular(&word).to_string();
        words.extend(unsquash(&word));
    }

    let mut merged: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let pair = words.get(i + 1).and_then(|next| {
            COMPOUNDS.iter().find(|(a, b, _)| *a == words[i] && *b == next.as_str()).map(|(_, _, joined)| *joined)
        });
        match pair {
            Some(joined) => {
                merged.push(joined.to_string());
                i += 2;
            }
            None => {
                merged.push(words[i].clone());
                i += 1;
            }
        }
    }
    merged
}

fn singular(word: &str) -> &str {
    SINGULARS.iter().find(|(plural, _)| *plural == word).map_or(word, |(_, one)| one)
}

/// Cuts a strong hold-word off the end or the start of a longer word.
fn unsquash(word: &str) -> Vec<String> {
    for (stem, canonical) in SQUASHED {
        if word.len() <= stem.len() {
            continue;
        }
        if let Some(rest) = word.strip_suffix(stem) {
            return vec![singular(rest).to_string(), (*canonical).to_string()];
        }
        if let Some(rest) = word.strip_prefix(stem) {
            return vec![(*canonical).to_string(), singular(rest).to_string()];
        }
    }
    vec![word.to_string()]
}

/// A credential recognised by its format inside a value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Credential {
    /// What it is: `"AWS access key id"`, `"private key (PEM)"`...
    pub kind: &'static str,
    /// The byte range of the credential within the value (for `password in URL`, the password).
    pub range: Range<usize>,
}

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

/// Whether a name holds a secret ([`classify_name`] says [`NameClass::Secret`]), remembered per
/// thread (up to 4,096 names): modules and plans repeat the same keys.
pub(crate) fn holds_secret(name: &str) -> bool {
    thread_local! {
        static NAMES: std::cell::RefCell<std::collections::HashMap<String, bool>> = Default::default();
    }
    NAMES.with_borrow_mut(|names| {
        if let Some(&known) = names.get(name) {
            return known;
        }
        let secret = classify_name(name) == NameClass::Secret;
        if names.len() >= 4096 {
            names.clear();
        }
        names.insert(name.to_string(), secret);
        secret
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
        while at <= value.len() {
            let Some(m) = re.captures_at(value, at).and_then(|c| c.name("m")) else { break };
            at = m.end().max(at + 1);
            let mut range = m.range();
            if *kind == PRIVATE_KEY_PEM {
                if let Some(end) = PEM_END.as_ref().and_then(|re| re.find_at(value, range.end)) {
                    range.end = end.end();
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
/// ARN, or a documentation placeholder such as `REPLACE_ME`, `<password>` or AWS's
/// `AKIAIOSFODNN7EXAMPLE`.
///
/// See the [module documentation](self) for the full list. Weak real values (`password`,
/// `admin`, `123456`) are not placeholders.
pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() {
        return true;
    }
    if ["${", "%{", "{{", "$("].iter().any(|t| v.contains(t)) {
        return true;
    }
    if let Some(name) = v.strip_prefix('$')
        && !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
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

/// The mask shown instead of a secret.
const STARS: &str = "****";

/// Values shorter than this (in characters) show nothing but [`STARS`].
const MIN_LEN_FOR_PREFIX: usize = 8;

/// A secret as it may be shown: at most its first two characters, then `****`.
///
/// A single-line value of 8 characters or more whose first two characters are printable ASCII
/// keeps them (`"grafana-pw-123"` → `"gr****"`); any other value (shorter, multi-line such as a
/// PEM key, or starting with non-ASCII or whitespace) becomes `"****"`. The length never shows,
/// and the result is ASCII.
pub fn mask(value: &str) -> String {
    if value.contains(['\n', '\r']) || value.chars().count() < MIN_LEN_FOR_PREFIX {
        return STARS.to_string();
    }
    let mut chars = value.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if is_shown(a) && is_shown(b) => format!("{a}{b}{STARS}"),
        _ => STARS.to_string(),
    }
}

fn is_shown(c: char) -> bool {
    c.is_ascii_graphic() && c != '*'
}

/// `text` with every occurrence of `secret` replaced by [`mask`]`(secret)`.
///
/// Also replaced: the secret as a JSON or HCL string writes it (`\"`, `\\`, `\n`, and Terraform's
/// `\u003c`, `\u003e`, `\u0026`), and each line (of 4 characters or more) of a multi-line secret,
/// so that a one-line source excerpt of a heredoc key is masked too. A secret of fewer than 4
/// characters is only replaced where it stands alone (not inside a longer word), so that it does
/// not mangle unrelated text. An empty secret changes nothing.
pub fn redact(text: &str, secret: &str) -> String {
    if secret.is_empty() {
        return text.to_string();
    }
    let masked = mask(secret);
    let needles = needles(secret);
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let hit = needles
            .iter()
            .find(|n| rest.starts_with(n.as_str()) && (n.chars().count() >= 4 || stands_alone(text, i, i + n.len())));
        if let Some(n) = hit {
            out.push_str(&masked);
            i += n.len();
        } else if let Some(c) = rest.chars().next() {
            out.push(c);
            i += c.len_utf8();
        } else {
            break;
        }
    }
    out
}

/// Whether `text[start..end]` is not preceded or followed by a letter or digit.
fn stands_alone(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// `s` as written inside a JSON (or HCL) string; `html` also escapes `<`, `>`, `&` as Terraform's
/// JSON output does.
/// The forms a secret takes in text: as is, as JSON and HCL escape it (also Terraform's
/// `\u003c`-style escapes), and each line of 4 characters or more of a multi-line secret; longest
/// first, without duplicates.
pub(crate) fn needles(secret: &str) -> Vec<String> {
    let mut needles: Vec<String> = Vec::new();
    let mut add = |s: &str| {
        if !s.is_empty() {
            needles.push(s.to_string());
            needles.push(escape(s, false));
            needles.push(escape(s, true));
        }
    };
    add(secret);
    if secret.contains(['\n', '\r']) {
        for line in secret.lines().map(str::trim) {
            if line.chars().count() >= 4 {
                add(line);
            }
        }
    }
    needles.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    needles.dedup();
    needles
}

fn escape(s: &str, html: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' if html => out.push_str("\\u003c"),
            '>' if html => out.push_str("\\u003e"),
            '&' if html => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
fn first_credential(value: &str) -> Option<Credential> {
    find_credentials(value).into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET_NAMES: &[&str] = &[
        "grafana_admin_password",
        "db_password",
        "rds_master_password",
        "master_password",
        "admin_password",
        "master_user_password",
        "sasl_password",
        "smtp_password",
        "root_password",
        "repository_password",
        "password",
        "db_pass",
        "db_passwd",
        "db_pwd",
        "ssh_passphrase",
        "api_token",
        "token",
        "github_token",
        "auth_token",
        "bearer_token",
        "vault_token",
        "access_token",
        "session_token",
        "refresh_token",
        "client_secret",
        "secret",
        "db_secret",
        "secret_key",
        "aws_secret_key",
        "secret_access_key",
        "aws_secret_access_key",
        "access_key",
        "primary_access_key",
        "api_key",
        "apikey",
        "datadog_app_key",
        "private_key",
        "private_key_pem",
        "private_key_openssh",
        "github_app_private_key",
        "ssh_private_key",
        "client_key",
        "signing_key",
        "jwt_signing_key",
        "credentials",
        "gcp_credentials",
        "credentials_json",
        "basic_auth_credentials",
        "connection_string",
        "primary_connection_string",
        "slack_webhook_url",
        "key_material_base64",
        "secret_string",
        "secret_binary",
        "password_wo",
        "ses_smtp_password_v4",
        "webhook_secret",
        "adminSecret",
        "adminPassword",
        "grafana.adminPassword",
        "postgresql.auth.postgresPassword",
        "redis.auth.password",
        "env.GITHUB_TOKEN",
        "AWS_SECRET_ACCESS_KEY",
        "SecretAccessKey",
        "ClientSecret",
        "DBPassword",
        "x-api-key",
        "dbpassword",
        "secrets",
        "oauth2Token",
        "extraEnv[0].secretValue",
    ];

    const NOT_SECRET_NAMES: &[(&str, NameClass)] = &[
        ("secret_name", NameClass::MentionsSecret),
        ("secret_arn", NameClass::MentionsSecret),
        ("db_password_arn", NameClass::MentionsSecret),
        ("admin_password_secret_arn", NameClass::MentionsSecret),
        ("password_length", NameClass::MentionsSecret),
        ("min_password_length", NameClass::MentionsSecret),
        ("random_password_length", NameClass::MentionsSecret),
        ("create_random_password", NameClass::MentionsSecret),
        ("password_policy", NameClass::MentionsSecret),
        ("password_reuse_prevention", NameClass::MentionsSecret),
        ("password_reset_required", NameClass::MentionsSecret),
        ("password_hash", NameClass::MentionsSecret),
        ("password_wo_version", NameClass::MentionsSecret),
        ("manage_master_user_password", NameClass::MentionsSecret),
        ("use_password", NameClass::MentionsSecret),
        ("encrypted_password", NameClass::MentionsSecret),
        ("get_password_data", NameClass::MentionsSecret),
        ("token_ttl", NameClass::MentionsSecret),
        ("token_type", NameClass::MentionsSecret),
        ("token_endpoint", NameClass::MentionsSecret),
        ("token_endpoint_auth_method", NameClass::MentionsSecret),
        ("enable_token_auth", NameClass::MentionsSecret),
        ("auth_token_update_strategy", NameClass::MentionsSecret),
        ("http_tokens", NameClass::MentionsSecret),
        ("metadata_options.http_tokens", NameClass::MentionsSecret),
        ("creation_token", NameClass::MentionsSecret),
        ("next_token", NameClass::MentionsSecret),
        ("secret_rotation_days", NameClass::MentionsSecret),
        ("rotation_lambda_arn", NameClass::Other),
        ("secret_recovery_window_in_days", NameClass::MentionsSecret),
        ("secret_version_id", NameClass::MentionsSecret),
        ("secret_kms_key_id", NameClass::MentionsSecret),
        ("secret_ref", NameClass::MentionsSecret),
        ("secretKeyRef", NameClass::MentionsSecret),
        ("secretName", NameClass::MentionsSecret),
        ("ingress.tls[0].secretName", NameClass::MentionsSecret),
        ("existingSecret", NameClass::MentionsSecret),
        ("auth.existingSecret", NameClass::MentionsSecret),
        ("auth.existingSecretPasswordKey", NameClass::MentionsSecret),
        ("auth.usePasswordFiles", NameClass::MentionsSecret),
        ("generate_secret", NameClass::MentionsSecret),
        ("access_key_id", NameClass::MentionsSecret),
        ("AccessKeyId", NameClass::MentionsSecret),
        ("api_key_required", NameClass::MentionsSecret),
        ("api_key_id", NameClass::MentionsSecret),
        ("private_key_path", NameClass::MentionsSecret),
        ("credentials_file", NameClass::MentionsSecret),
        ("credential_process", NameClass::MentionsSecret),
        ("secret_key_base", NameClass::MentionsSecret),
        ("secrets_enabled", NameClass::MentionsSecret),
        ("kms_key_id", NameClass::Other),
        ("key_name", NameClass::Other),
        ("ssh_key_name", NameClass::Other),
        ("encryption_key", NameClass::Other),
        ("public_key", NameClass::Other),
        ("public_key_pem", NameClass::Other),
        ("pgp_key", NameClass::Other),
        ("db_username", NameClass::Other),
        ("master_username", NameClass::Other),
        ("require_uppercase_characters", NameClass::Other),
        ("server.extraEnv[0].value", NameClass::Other),
        ("pass_role", NameClass::Other),
        ("automount_service_account_token", NameClass::MentionsSecret),
        ("imds_tokens", NameClass::MentionsSecret),
        ("serviceAccount.automountServiceAccountToken", NameClass::MentionsSecret),
        ("bypass", NameClass::Other),
        ("passport_number", NameClass::Other),
        ("webhook_url_path", NameClass::MentionsSecret),
        ("token_url", NameClass::MentionsSecret),
        ("", NameClass::Other),
        ("value", NameClass::Other),
        ("[0]", NameClass::Other),
    ];

    #[test]
    fn names_that_hold_a_secret() {
        assert!(SECRET_NAMES.len() >= 40);
        let wrong: Vec<_> =
            SECRET_NAMES.iter().map(|n| (*n, classify_name(n))).filter(|(_, c)| *c != NameClass::Secret).collect();
        assert!(wrong.is_empty(), "{wrong:?}");
    }

    #[test]
    fn names_that_only_mention_a_secret_or_none() {
        assert!(NOT_SECRET_NAMES.len() >= 40);
        let wrong: Vec<_> = NOT_SECRET_NAMES
            .iter()
            .map(|(n, want)| (*n, *want, classify_name(n)))
            .filter(|(_, want, got)| want != got)
            .collect();
        assert!(wrong.is_empty(), "{wrong:?}");
    }

    #[test]
    fn splits_every_naming_style() {
        assert_eq!(name_words("grafana.adminPassword"), ["grafana", "admin", "password"]);
        assert_eq!(name_words("server.extraEnv[0].value"), ["server", "extra", "env", "value"]);
        assert_eq!(name_words("DBPassword"), ["db", "password"]);
        assert_eq!(name_words("AWS_SECRET_ACCESS_KEY"), ["aws", "secret", "accesskey"]);
        assert_eq!(name_words("x-api-key"), ["x", "apikey"]);
        assert_eq!(name_words("oauth2Token"), ["oauth2", "token"]);
        assert_eq!(name_words("existingsecret"), ["existing", "secret"]);
        assert_eq!(name_words("secretKeyRef"), ["secretkey", "ref"]);
        assert_eq!(name_words("adminPässwort"), ["admin", "pässwort"]);
    }

    fn aws_key_id() -> String {
        format!("AKIA{}", "Q2RZ7".repeat(3) + "M")
    }

    fn random_alnum(len: usize, seed: u64) -> String {
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
            "AKIAIOSFODNN7EXAMPLE".to_string(),
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
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
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
        ];
        let wrong_yes: Vec<_> = yes.iter().filter(|v| !is_placeholder(v)).collect();
        let wrong_no: Vec<_> = no.iter().filter(|v| is_placeholder(v)).collect();
        assert!(wrong_yes.is_empty(), "should be placeholders: {wrong_yes:?}");
        assert!(wrong_no.is_empty(), "should not be placeholders: {wrong_no:?}");
        let random = random_alnum(40, 40);
        assert!(!is_placeholder(&random));
        assert!(!is_placeholder(&aws_key_id()));
    }

    #[test]
    fn mask_shows_at_most_two_characters_and_no_length() {
        assert_eq!(mask("grafana-admin-pw"), "gr****");
        assert_eq!(mask("hunter22"), "hu****");
        assert_eq!(mask("hunter2"), "****");
        assert_eq!(mask("ab"), "****");
        assert_eq!(mask(""), "****");
        assert_eq!(mask(&pem("RSA")), "****");
        assert_eq!(mask("ééééééééé"), "****");
        assert_eq!(mask("aé€𝄞bcdefgh"), "****");
        assert_eq!(mask(" leading-space"), "****");
        assert_eq!(mask("**secret-ish"), "****");
        assert_eq!(mask(&aws_key_id()), "AK****");
        assert_eq!(mask(&"z".repeat(8)), mask(&"z".repeat(80)));
        assert!(mask("ü🔑 multibyte secret").is_ascii());
    }

    fn leaks(shown: &str, secret: &str) -> bool {
        let chars: Vec<char> = secret.chars().collect();
        chars.get(2..).unwrap_or_default().windows(3).any(|w| shown.contains(&w.iter().collect::<String>()))
    }

    #[test]
    fn masked_values_never_contain_the_secret_body() {
        let mut values: Vec<String> = (1..60).map(|n| random_alnum(n, n as u64)).collect();
        values.extend([
            "hunter2".to_string(),
            pem("OPENSSH"),
            aws_key_id(),
            format!("ghp_{}", random_alnum(36, 99)),
            "pässwörd-with-ümlauts".to_string(),
        ]);
        for v in &values {
            let m = mask(v);
            assert!(!leaks(&m, v), "{v:?} -> {m:?}");
            assert!(m.is_ascii());
            assert!(m.len() <= 6);
        }
    }

    #[test]
    fn redact_replaces_every_form_of_the_secret() {
        let secret = "grafana-S3cret&pw";
        let text = format!("admin_password = \"{secret}\" # again: {secret}");
        assert_eq!(redact(&text, secret), "admin_password = \"gr****\" # again: gr****");

        let json = "{\"password\":\"grafana-S3cret\\u0026pw\"}";
        assert_eq!(redact(json, secret), "{\"password\":\"gr****\"}");

        let quoted = "say \"hi\" \\ bye";
        assert_eq!(redact("x = \"say \\\"hi\\\" \\\\ bye\"", quoted), "x = \"sa****\"");

        let key = pem("RSA");
        let heredoc = format!("private_key = <<EOT\n{key}EOT\n");
        let redacted = redact(&heredoc, &key);
        assert!(!leaks(&redacted, &key), "{redacted}");
        let second_line = key.lines().nth(1).unwrap_or_default();
        assert_eq!(redact(&format!("  {second_line}"), &key), "  ****");
        let plan = format!("{{\"private_key_pem\":\"{}\"}}", key.replace('\n', "\\n"));
        assert_eq!(redact(&plan, &key), "{\"private_key_pem\":\"****\"}");

        assert_eq!(redact("password = \"abc\" # abcdef", "abc"), "password = \"****\" # abcdef");
        assert_eq!(redact("unchanged", ""), "unchanged");
        assert_eq!(redact("ünï ünï", "ünï"), "**** ****");
        assert_eq!(redact("no secret here", "hunter22"), "no secret here");
    }

    #[test]
    fn redacted_text_never_leaks() {
        for n in [1, 3, 4, 7, 8, 20, 64] {
            let secret = random_alnum(n, 100 + n as u64);
            let text = format!("= \"{secret}\"\n# {secret}\n{{\"_\":\"{secret}\"}} {secret}");
            let out = redact(&text, &secret);
            assert!(!out.contains(&secret), "{secret}: {out}");
            assert!(!leaks(&out, &secret), "{secret}: {out}");
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
