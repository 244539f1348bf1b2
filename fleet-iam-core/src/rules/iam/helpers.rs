//! What the H5 rules share: the literal text of a policy element, a key policy's hand-over to IAM,
//! and message builders (who a policy of each kind grants to).

use crate::model::{Element, Policy, PolicyKind, Statement};

/// The literal text of an element: `None` for values known only at apply time.
pub(crate) fn literal(element: &Element) -> Option<&str> {
    element.text.as_deref().filter(|t| !t.contains("${"))
}

/// A count for a message that stays true as AWS adds actions: `826` reads `820+`; counts
/// under 100 are exact.
pub(crate) fn approx(n: usize) -> String {
    if n < 100 { n.to_string() } else { format!("{}+", n / 10 * 10) }
}

/// Up to `max` names, then `and N more`.
pub(crate) fn list_names<I: IntoIterator<Item = String>>(names: I, max: usize) -> String {
    let names: Vec<String> = names.into_iter().collect();
    list_first(&names[..names.len().min(max)], names.len())
}

/// The names given (the first few of `total`), then `and N more`.
pub(crate) fn list_first(names: &[String], total: usize) -> String {
    let mut out = names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
    if total > names.len() {
        out.push_str(&format!(" and {} more", total - names.len()));
    }
    out
}

/// Who a statement of a policy of this kind grants to, for messages after "in a ... policy": an
/// identity policy grants its holder, a resource or trust policy the principals it names, and
/// only on itself.
pub(crate) fn grantee(kind: PolicyKind) -> &'static str {
    match kind {
        PolicyKind::Identity => "whoever holds this identity policy",
        PolicyKind::Resource | PolicyKind::Trust => "the principals it names",
    }
}

/// A key policy statement for the account's root (`arn:...:iam::ACCOUNT:root` or the account
/// id), as AWS's default key policy has one: it hands the key's access control to the account's
/// IAM policies rather than letting anyone new in, whatever KMS actions it lists.
pub(crate) fn delegates_key_to_iam(policy: &Policy, statement: &Statement, prefix: &str) -> bool {
    let principals: Vec<_> = statement.principal.iter().flatten().collect();
    policy.kind == PolicyKind::Resource
        && prefix.eq_ignore_ascii_case("kms")
        && !principals.is_empty()
        && principals.iter().all(|p| {
            let value = p.value.text.as_deref().unwrap_or_default();
            p.kind == "AWS"
                && (value.ends_with(":root") || (value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit())))
        })
}
