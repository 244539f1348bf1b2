//! Condition keys that limit who a statement lets in: the one table `iam-wildcard-principal`
//! (and any rule about who a policy admits) reads.
//!
//! Source: the AWS global condition context keys,
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html>
//! (`aws:SourceAccount`, `aws:SourceArn`, `aws:SourceOrgID`, `aws:SourceOrgPaths`,
//! `aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`,
//! `aws:userid`, `aws:SourceVpc`, `aws:SourceVpce`, `aws:VpceAccount`), the confused deputy
//! guidance, <https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html>, the SNS
//! default topic policy for `aws:SourceOwner`,
//! <https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html>, and the KMS keys
//! `kms:CallerAccount` and `kms:ViaService`, which AWS managed keys' policies use together with
//! principal `*`, <https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html>.
//!
//! A key limits who can act only when the condition pins it: a positive operator
//! (`StringEquals`, `StringLike`, `ArnEquals`, `ArnLike`, their `ForAnyValue:` forms), not
//! `...IfExists` (true when the key is absent), not `ForAllValues:` (true when the key is
//! absent: for a single-valued key it never limits), not a negation or `Null`, with values that
//! name an account, organization, network or ARN rather than any (`"*"`,
//! `arn:aws:iam::*:role/x`). Keys that say how a request is made, not who makes it
//! (`aws:UserAgent`, `aws:Referer`, `aws:SecureTransport`), never limit: the caller chooses them.

use crate::model::{Condition, Statement};

/// What a limiting key's values must look like to name someone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pin {
    /// An identifier without wildcards: an account, organization, VPC or endpoint id.
    Exact,
    /// An ARN whose account field has no wildcard (`arn:aws:sns:*:123456789012:topic` pins;
    /// `arn:aws:iam::*:role/x` does not). Services without accounts in their ARNs (S3) pin.
    Arn,
    /// An organization path whose organization id has no wildcard (`o-a1b2c3/r-ab12/*`).
    OrgPath,
    /// A unique principal id, pinned by what precedes the `:` (`AROAEXAMPLE:*`).
    UniqueId,
}

/// A condition key that limits who can use a statement with principal `*`.
#[derive(Debug, Clone, Copy)]
pub struct LimitingKey {
    /// The key, lowercase (AWS compares keys case-insensitively).
    pub key: &'static str,
    /// What its values must be.
    pub pin: Pin,
    /// A key that must pin a value in the same statement for this one to count.
    pub with: Option<&'static str>,
}

const fn key(key: &'static str, pin: Pin) -> LimitingKey {
    LimitingKey { key, pin, with: None }
}

/// The keys that limit who can act.
pub const LIMITING_KEYS: &[LimitingKey] = &[
    key("aws:sourceaccount", Pin::Exact),
    key("aws:sourcearn", Pin::Arn),
    key("aws:sourceowner", Pin::Exact),
    key("aws:sourceorgid", Pin::Exact),
    key("aws:sourceorgpaths", Pin::OrgPath),
    key("aws:principalaccount", Pin::Exact),
    key("aws:principalarn", Pin::Arn),
    key("aws:principalorgid", Pin::Exact),
    key("aws:principalorgpaths", Pin::OrgPath),
    key("aws:userid", Pin::UniqueId),
    key("aws:vpceaccount", Pin::Exact),
    key("aws:sourcevpce", Pin::Exact),
    key("aws:sourcevpc", Pin::Exact),
    LimitingKey { key: "kms:calleraccount", pin: Pin::Exact, with: Some("kms:ViaService") },
];

/// Keys people put beside principal `*` that limit nothing, with why, lowercase.
const NOT_LIMITING: &[(&str, &str)] = &[
    ("aws:useragent", "the caller sets its own user agent"),
    ("aws:referer", "the caller sets its own `Referer` header"),
    ("aws:securetransport", "it says how the request travels, not who sends it"),
];

/// How one condition bears on who a statement lets in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Limit {
    /// It names who may act.
    Limits,
    /// Its key or operator is known only at apply: it may limit.
    Unknown,
    /// It does not limit, and why.
    No(String),
}

/// Whether the conditions of a statement limit who can use it: `Some(true)` when one does (a
/// key that needs another, `kms:CallerAccount`, counts only with it), `None` when a condition is
/// known only at apply (it may), `Some(false)` otherwise.
pub fn limits_who(statement: &Statement) -> Option<bool> {
    let mut unknown = false;
    for condition in &statement.conditions {
        match limit(condition) {
            Limit::Limits if why_not(statement, condition).is_none() => return Some(true),
            Limit::Unknown => unknown = true,
            _ => {}
        }
    }
    if unknown { None } else { Some(false) }
}

/// Why a condition of a statement does not limit who can use it; `None` when it does, or may.
pub fn why_not(statement: &Statement, condition: &Condition) -> Option<String> {
    match limit(condition) {
        Limit::No(why) => Some(why),
        Limit::Unknown => None,
        Limit::Limits => {
            let key = condition.key.as_deref()?;
            let with = entry(key)?.with?;
            let companion = statement.conditions.iter().any(|other| {
                other.key.as_deref().is_some_and(|k| k.eq_ignore_ascii_case(with)) && pinned(other, Pin::Exact).is_ok()
            });
            (!companion).then(|| format!("`{key}` names an account only together with a `{with}` condition"))
        }
    }
}

fn entry(key: &str) -> Option<&'static LimitingKey> {
    LIMITING_KEYS.iter().find(|k| k.key.eq_ignore_ascii_case(key))
}

/// How one condition bears on who its statement lets in.
pub fn limit(condition: &Condition) -> Limit {
    let (Some(key), Some(_)) = (condition.key.as_deref(), condition.operator.as_deref()) else {
        return Limit::Unknown;
    };
    let lower = key.to_ascii_lowercase();
    let Some(entry) = entry(&lower) else {
        let why = NOT_LIMITING
            .iter()
            .find(|(k, _)| *k == lower)
            .map_or("it does not name an account, organization, network or ARN", |(_, why)| why);
        return Limit::No(format!("`{key}` does not limit who can act: {why}"));
    };
    match pinned(condition, entry.pin) {
        Ok(()) => Limit::Limits,
        Err(why) => Limit::No(why),
    }
}

/// Whether a condition pins its key to values of the given shape, or why not.
fn pinned(condition: &Condition, pin: Pin) -> Result<(), String> {
    let key = condition.key.as_deref().unwrap_or_default();
    let operator = condition.operator.as_deref().unwrap_or_default();
    let op = operator.to_ascii_lowercase();
    let absent = || format!("`{operator}` is true when `{key}` is absent, so it does not limit who can act");
    if op.starts_with("forallvalues:") {
        return Err(absent());
    }
    let op = op.trim_start_matches("foranyvalue:");
    if op.ends_with("ifexists") {
        return Err(absent());
    }
    if !["stringequals", "stringlike", "arnequals", "arnlike"].iter().any(|p| op.starts_with(p)) {
        return Err(format!("`{operator}` on `{key}` does not name who may act"));
    }
    if condition.values.is_empty() {
        return Err(format!("`{key}` has no value"));
    }
    match condition.values.iter().find_map(|v| v.text.as_deref().filter(|t| !pins(pin, t))) {
        Some(open) => Err(format!("`{key}` = `{open}` matches any account")),
        None => Ok(()),
    }
}

/// Whether a value of a key names someone. A value known only at apply (`var.account_id`, a
/// `${...}` template) is taken to.
fn pins(pin: Pin, value: &str) -> bool {
    if value.contains("${") {
        return true;
    }
    let wild = |s: &str| s.contains(['*', '?']);
    match pin {
        Pin::Exact => !value.is_empty() && !wild(value),
        Pin::Arn => arn_account(value).is_some_and(|account| !wild(account)),
        Pin::OrgPath => value.split('/').next().is_some_and(|org| !org.is_empty() && !wild(org)),
        Pin::UniqueId => value.split(':').next().is_some_and(|id| !id.is_empty() && !wild(id)),
    }
}

/// The account field of an ARN (`arn:partition:service:region:account:resource`), `None` when
/// the text is not one.
pub fn arn_account(arn: &str) -> Option<&str> {
    let mut fields = arn.splitn(6, ':');
    let (arn_literal, _, _, _, account, _) =
        (fields.next()?, fields.next()?, fields.next()?, fields.next()?, fields.next()?, fields.next()?);
    arn_literal.eq_ignore_ascii_case("arn").then_some(account)
}

/// Whether an `AWS` principal stands for every account: `*`, an account id with a wildcard,
/// or an ARN whose account is one (`arn:aws:iam::*:root`). AWS does not support wildcards
/// inside principal ARNs; where a service accepts one, it matches every account.
pub fn is_any_account(principal: &str) -> bool {
    let wild = |s: &str| s.contains(['*', '?']);
    match arn_account(principal) {
        Some(account) => wild(account),
        None => wild(principal) && !principal.contains(':'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{At, Element};

    fn condition(operator: &str, key: &str, values: &[&str]) -> Condition {
        Condition {
            operator: Some(operator.into()),
            key: Some(key.into()),
            at: At::default(),
            values: values
                .iter()
                .map(|v| Element { text: Some((*v).into()), at: At::default(), pointer: String::new() })
                .collect(),
        }
    }

    fn statement(conditions: Vec<Condition>) -> Statement {
        Statement {
            at: At::default(),
            pointer: String::new(),
            sid: None,
            effect: None,
            action: None,
            not_action: None,
            resource: None,
            not_resource: None,
            principal: None,
            not_principal: None,
            conditions,
            certain: true,
            denied: Vec::new(),
        }
    }

    #[test]
    fn keys_that_name_who_limit() {
        for c in [
            condition("StringEquals", "aws:SourceOwner", &["123456789012"]),
            condition("StringEquals", "AWS:SourceOwner", &["123456789012"]),
            condition("StringEquals", "aws:SourceAccount", &["123456789012"]),
            condition("ArnLike", "aws:SourceArn", &["arn:aws:sns:*:123456789012:alerts"]),
            condition("ArnEquals", "aws:SourceArn", &["arn:aws:s3:::logs-bucket"]),
            condition("StringEquals", "aws:PrincipalOrgID", &["o-a1b2c3d4e5"]),
            condition("ForAnyValue:StringLike", "aws:PrincipalOrgPaths", &["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"]),
            condition("StringEquals", "aws:PrincipalAccount", &["123456789012"]),
            condition("StringEquals", "aws:VpceAccount", &["123456789012"]),
            condition("StringEquals", "aws:SourceVpce", &["vpce-1a2b3c4d"]),
            condition("StringEquals", "aws:SourceVpc", &["vpc-111bbb22"]),
            condition("ArnLike", "aws:PrincipalArn", &["arn:aws:iam::123456789012:role/ci-*"]),
            condition("StringEquals", "aws:SourceAccount", &["${data.aws_caller_identity.current.account_id}"]),
        ] {
            assert_eq!(limit(&c), Limit::Limits, "{c:?}");
            assert_eq!(limits_who(&statement(vec![c])), Some(true));
        }
    }

    #[test]
    fn keys_and_forms_that_do_not_limit() {
        for c in [
            condition("ArnLike", "aws:PrincipalArn", &["arn:aws:iam::*:role/admin"]),
            condition("ForAllValues:StringEquals", "aws:PrincipalOrgID", &["o-a1b2c3d4e5"]),
            condition("StringEquals", "aws:UserAgent", &["my-app/1.0"]),
            condition("Bool", "aws:SecureTransport", &["true"]),
            condition("StringLike", "aws:Referer", &["https://example.com/*"]),
            condition("StringEqualsIfExists", "aws:SourceAccount", &["123456789012"]),
            condition("StringNotEquals", "aws:SourceAccount", &["123456789012"]),
            condition("StringLike", "aws:PrincipalOrgID", &["*"]),
            condition("StringLike", "aws:PrincipalOrgPaths", &["*/r-ab12/*"]),
            condition("StringEquals", "aws:SourceAccount", &[]),
            condition("StringEquals", "kms:CallerAccount", &["123456789012"]),
            condition("StringEquals", "kms:ViaService", &["ec2.eu-west-1.amazonaws.com"]),
        ] {
            assert_eq!(limits_who(&statement(vec![c.clone()])), Some(false), "{c:?}");
        }
    }

    #[test]
    fn kms_caller_account_limits_with_via_service() {
        let pair = statement(vec![
            condition("StringEquals", "kms:ViaService", &["ec2.eu-west-1.amazonaws.com"]),
            condition("StringEquals", "kms:CallerAccount", &["123456789012"]),
        ]);
        assert_eq!(limits_who(&pair), Some(true));
    }

    #[test]
    fn a_computed_condition_may_limit() {
        let mut c = condition("StringEquals", "aws:SourceAccount", &["1"]);
        c.key = None;
        assert_eq!(limits_who(&statement(vec![c])), None);
    }

    #[test]
    fn principals_for_every_account() {
        for yes in [
            "*",
            "arn:aws:iam::*:root",
            "arn:aws:iam::*:role/deployer",
            "12345678901*",
            "arn:aws:iam::12345?789012:root",
        ] {
            assert!(is_any_account(yes), "{yes}");
        }
        for no in ["arn:aws:iam::123456789012:root", "123456789012", "arn:aws:iam::123456789012:role/*", "arn:*"] {
            assert!(!is_any_account(no), "{no}");
        }
    }
}
