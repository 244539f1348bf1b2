//! Names: what a name says about the value it names.
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
//!    `sync_token`, and S3 Tables' `version_token`) → [`NameClass::MentionsSecret`].
//!    A `secret` head qualified by `kube`, `k8s` or `kubernetes` (`kube_secret`, `k8s_secret`)
//!    names a Kubernetes `Secret` object, whose value is its name → [`NameClass::MentionsSecret`].
//! 3. A hold head preceded anywhere by a flag, verb or reference word → the name is a switch or
//!    a pointer: `use`, `enable(d)`, `disable(d)`, `create`, `manage`, `generate`, `get`,
//!    `rotate`, `expire`, `require(d)`, `allow`, `has`, `is`, `should`, `skip`, `ignore`, `no`,
//!    `num`, `min`/`max`/`minimum`/`maximum`, `existing`, `hashed`, `encrypted`, `sops`,
//!    `automount`, and the words of where a secret is kept: `ssm`, `path`, `name` (`use_password`,
//!    `automount_service_account_token`, `manage_master_user_password`, `generate_secret`,
//!    `create_random_password`, `auth.existingSecret`, `encrypted_password`, the SSM parameter
//!    names `ssm_key_password`, `ssm_path_auth_token`, `ssm_github_api_key`, and
//!    `chamber_name_token`) → [`NameClass::MentionsSecret`]. (`encrypted_secret` of
//!    `aws_iam_access_key` is the secret encrypted with a PGP key: ciphertext only the key's
//!    holder can read.)
//! 4. Otherwise a hold head → [`NameClass::Secret`]: `grafana_admin_password`,
//!    `grafana.adminPassword`, `api_token`, `client_secret`, `secret_access_key`, `private_key`,
//!    `GITHUB_TOKEN`, `x-api-key`.
//!

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
pub(super) const HOLD_WORDS: &[&str] = &[
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
pub(super) const HEAD_ONLY_HOLD_WORDS: &[&str] = &["pass"];

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
pub(super) const SINGULARS: &[(&str, &str)] = &[
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
    "expire",
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
    // SOPS-encrypted (`sops_secrets`: the encrypted files, or their names).
    "sops",
    "automount",
    "ssm",
    "path",
    "name",
];

/// Words before a hold head that make it something other than a credential: a protocol token
/// (`http_tokens`, `next_token`), or a Kubernetes `Secret` object (`kube_secret`).
const NON_SECRET_QUALIFIERS: &[(&str, &[&str])] = &[
    (
        "token",
        &[
            "http",
            "imds",
            "creation",
            "next",
            "page",
            "pagination",
            "continuation",
            "idempotency",
            "request",
            "sync",
            // S3 Tables' `version_token`: the table's current version, for concurrency checks.
            "version",
        ],
    ),
    ("secret", &["kube", "k8s", "kubernetes"]),
];

/// Hold heads of secrets that people choose (a password or passphrase: any word can be one);
/// every other hold head names a generated credential (a token, a key, a client secret).
const CHOSEN_HEADS: &[&str] = &["password", "passwd", "pwd", "passphrase", "pass"];

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
    let qualified = NON_SECRET_QUALIFIERS
        .iter()
        .any(|(h, qualifiers)| *h == head && before.last().is_some_and(|w| qualifiers.contains(&w.as_str())));
    if qualified || before.iter().any(|w| NEGATING.contains(&w.as_str())) {
        return NameClass::MentionsSecret;
    }
    NameClass::Secret
}

/// Whether a name that holds a secret ([`NameClass::Secret`]) holds one that people choose, a
/// password or passphrase (`db_password`, `ssh_passphrase`), rather than a generated credential
/// (`api_token`, `client_secret`, `secret_key`): a plain word can be the first, never the second.
pub fn holds_chosen_secret(name: &str) -> bool {
    let words = name_words(name);
    words.iter().rev().find(|w| !is_transparent(w)).is_some_and(|head| CHOSEN_HEADS.contains(&head.as_str()))
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
        ("expire_passwords", NameClass::MentionsSecret),
        ("iam_account_password_policy_expire_passwords", NameClass::MentionsSecret),
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
        ("ssm_key_password", NameClass::MentionsSecret),
        ("ssm_path_password", NameClass::MentionsSecret),
        ("ssm_path_auth_token", NameClass::MentionsSecret),
        ("ssm_github_api_key", NameClass::MentionsSecret),
        ("github_netrc_ssm_path_token", NameClass::MentionsSecret),
        ("ssm_path_format_api_key", NameClass::MentionsSecret),
        ("chamber_name_token", NameClass::MentionsSecret),
        ("password_ssm_key", NameClass::MentionsSecret),
        ("kube_secret", NameClass::MentionsSecret),
        ("k8s_secret", NameClass::MentionsSecret),
        ("encrypted_secret", NameClass::MentionsSecret),
        ("sops_secrets", NameClass::MentionsSecret),
        ("s3_table_version_tokens", NameClass::MentionsSecret),
        ("encrypted_ses_smtp_password_v4", NameClass::MentionsSecret),
        ("token_validity_units", NameClass::MentionsSecret),
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
    fn chosen_and_generated_secrets() {
        for name in ["db_password", "DB_PASSWORD", "ssh_passphrase", "db_pass", "password_wo", "adminPassword"] {
            assert!(holds_chosen_secret(name), "{name}");
        }
        for name in ["api_token", "client_secret", "secret_key", "OPERATOR_SECRET", "access_token", "private_key"] {
            assert!(!holds_chosen_secret(name), "{name}");
        }
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
}
