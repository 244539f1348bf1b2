//! Value shapes: whether a literal written under a name that holds a secret is one.
//!
//! A name says what a value should be; the value says whether it is. Under `db_password`,
//! `api_token` or `OPERATOR_SECRET`, these are not secrets, whatever the name:
//! - a placeholder ([`is_placeholder`]): empty, a template or reference (`${...}`, `$DB_PASSWORD`,
//!   Argo CD's `$slack-token`), `<password>`, `CHANGEME`, `xxxx`, an ARN;
//! - the path or name of a secret ([`names_a_secret`]): `/app/db/password`, `~/.ssh/id_rsa`,
//!   `admin/db_password` (an SSM parameter path), `spotinst_token` (a Chamber key), `NO_TOKEN`;
//! - plain words ([`is_plain_words`]) under the name of a generated credential (a token, a key, a
//!   client secret, a "secret"): `access_token = "minutes"` (a unit of `token_validity_units`),
//!   `kube_secret = "tailscale"` and `OPERATOR_SECRET = "operator"` (the names of Kubernetes
//!   Secrets), `datadog_api_secret_key = "default"`. Generated credentials are random: they mix
//!   letters with digits or symbols, or follow a known format. A password or passphrase
//!   (`names::holds_chosen_secret`) is chosen by a person, and a plain word is a (weak) one:
//!   `password = "admin"` is a finding.

use super::names::{NameClass, classify_name, holds_chosen_secret};
use super::placeholder::is_placeholder;

/// Letters a value of mixed case may have and still read as words (`Operator`, `Minutes`);
/// longer runs of mixed-case letters are taken for random key material.
const WORD_LETTERS: usize = 16;

/// Whether `value`, written as a literal under `name` (a name that holds a secret), is a secret
/// (see the [module documentation](self)).
pub fn is_secret_value(name: &str, value: &str) -> bool {
    if is_placeholder(value) || names_a_secret(value) {
        return false;
    }
    holds_chosen_secret(name) || !is_plain_words(value)
}

/// Whether `value` is the path or the name of a secret rather than one: an absolute, home or
/// relative path of name segments (`/app/db/password`, `~/.ssh/id_rsa`, `prod/grafana/admin`),
/// or words joined by `_`, `-` or `.` of which one is about a secret (`spotinst_token`,
/// `db-password`, `NO_TOKEN`).
pub fn names_a_secret(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() || v.contains(char::is_whitespace) {
        return false;
    }
    let rooted = ["/", "./", "../", "~/"].iter().find_map(|p| v.strip_prefix(p));
    if let Some(rest) = rooted {
        return !rest.is_empty()
            && rest.split('/').all(|s| s.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '~')));
    }
    if v.contains('/') {
        return v.split('/').all(|s| !s.is_empty() && is_plain_words(s));
    }
    v.contains(['_', '-', '.']) && is_plain_words(v) && classify_name(v) != NameClass::Other
}

/// Whether `value` is words: letters, with `_`, `-`, `.` or spaces between them, in one case or
/// shorter than 16 letters (`minutes`, `default`, `Operator`, `NO_TOKEN`, `spotinst_token`).
pub fn is_plain_words(value: &str) -> bool {
    let v = value.trim();
    let mut letters = 0;
    let (mut upper, mut lower) = (false, false);
    for c in v.chars() {
        if c.is_alphabetic() {
            letters += 1;
            upper |= c.is_uppercase();
            lower |= c.is_lowercase();
        } else if !matches!(c, '_' | '-' | '.' | ' ') {
            return false;
        }
    }
    letters > 0 && (!(upper && lower) || letters < WORD_LETTERS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_paths_and_words_are_not_secrets() {
        let not = [
            ("ssm_key_password", "admin/db_password"),
            ("db_password", "/app/db/password"),
            ("private_key", "~/.ssh/id_ed25519"),
            ("deploy_private_key", "/run/secrets/deploy_key"),
            ("chamber_name_token", "spotinst_token"),
            ("github_oauth_token", "NO_TOKEN"),
            ("access_token", "minutes"),
            ("refresh_token", "days"),
            ("kube_secret", "tailscale"),
            ("OPERATOR_SECRET", "operator"),
            ("datadog_api_secret_key", "default"),
            ("client_secret", "Operator"),
            ("token", "$slack-token"),
            ("password", "CHANGEME"),
            ("password", "<password>"),
            ("api_key", "xxx"),
            ("api_key", ""),
            ("db_password", "${var.db_password}"),
            ("secret_arn", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"),
        ];
        let wrong: Vec<_> = not.iter().filter(|(n, v)| is_secret_value(n, v)).collect();
        assert!(wrong.is_empty(), "{wrong:?}");
    }

    #[test]
    fn chosen_and_generated_secrets_are_secrets() {
        let yes = [
            ("password", "admin"),
            ("db_password", "password"),
            ("DB_PASSWORD", "hunter2hunter2"),
            ("master_password", "correct horse battery staple"),
            ("api_token", "hunter2"),
            ("client_secret", "Zq8vLm-3kT"),
            ("secret_key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            ("access_key", "AKIAIOSFODNN7EXAMPLE"),
            ("api_key", "qZfRkTmLpWnXvBsYhDcJ"),
            ("webhook_secret", "s3cr3t!"),
            ("DB_PASSWORD", "/Xy9$k"),
            ("token", "ab/cd+ef"),
        ];
        let wrong: Vec<_> = yes.iter().filter(|(n, v)| !is_secret_value(n, v)).collect();
        assert!(wrong.is_empty(), "{wrong:?}");
    }

    #[test]
    fn word_shapes() {
        assert!(is_plain_words("NO_TOKEN"));
        assert!(is_plain_words("token validity"));
        assert!(!is_plain_words(""));
        assert!(!is_plain_words("---"));
        assert!(!is_plain_words("abc1"));
        assert!(!is_plain_words("qZfRkTmLpWnXvBsYhDcJ"));
        assert!(names_a_secret("prod/grafana/admin"));
        assert!(!names_a_secret("password"));
        assert!(!names_a_secret("mysecret"));
        assert!(!names_a_secret("Ab9/xY2"));
        assert!(!names_a_secret("/"));
    }
}
