use super::helpers::literal;
use crate::diagnostic::Finding;
use crate::iam::actions::is_every_action;
use crate::iam::catalogue::catalogue;
use crate::model::{Effect, Policy};
use crate::rule::{Context, Rule, Violation, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds actions and action wildcards, in `Action` or `NotAction` of any statement, that
    /// match nothing in the IAM action catalogue (the AWS Service Authorization Reference,
    /// embedded in fleet-iam): a misspelt action (`s3:GetObjekt`) or an unknown service prefix
    /// (`eks2:*`). Names are compared case-insensitively, as AWS does.
    ///
    /// AWS managed policies attached by ARN are not checked: AWS wrote them, whoever attaches
    /// one cannot edit it, and AWS keeps actions of retired services in them (`codestar:List*`
    /// in `ReadOnlyAccess`).
    ///
    /// ## Why is this bad?
    /// AWS accepts an unknown action without complaint and it grants (or denies) nothing. A
    /// typo in an `Allow` breaks the workload in a confusing way; a typo in a `Deny` silently
    /// removes a guard rail.
    ///
    /// ## Example
    /// ```hcl
    /// data "aws_iam_policy_document" "reader" {
    ///   statement {
    ///     actions   = ["s3:GetObjekt"]
    ///     resources = ["arn:aws:s3:::artifacts/*"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// data "aws_iam_policy_document" "reader" {
    ///   statement {
    ///     actions   = ["s3:GetObject"]
    ///     resources = ["arn:aws:s3:::artifacts/*"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Options
    /// None.
    ///
    /// ## References
    /// - [AWS Service Authorization Reference](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    pub struct IamUnknownAction {}
    id: "iam-unknown-action", finding: Some(Finding::H5), summary: "an action or wildcard that matches no known IAM action",
}

impl Rule for IamUnknownAction {
    fn check_policy(&self, _ctx: &Context<'_>, policy: &Policy, out: &mut Vec<Violation>) {
        if policy.managed.is_some() {
            return;
        }
        // What an action that matches nothing fails to do where it is written.
        let elements = policy.statements.iter().flat_map(|s| {
            let verb = if s.effect == Some(Effect::Deny) { "denies" } else { "grants" };
            let listed = s.action.iter().flat_map(|e| e.items.iter()).map(move |e| (e, verb));
            listed.chain(s.not_action.iter().flat_map(|e| e.items.iter()).map(|e| (e, "excludes")))
        });
        for (element, verb) in elements {
            let Some(text) = literal(element) else {
                continue;
            };
            let Some((service, action)) = text.split_once(':') else {
                continue;
            };
            if is_every_action(text) || catalogue().expand(text).next().is_some() {
                continue;
            }
            let (message, help) = if !service.contains(['*', '?']) && catalogue().service(service).is_none() {
                (
                    format!("`{text}` matches nothing: there is no AWS service with the prefix `{service}`"),
                    closest(service, catalogue().services().iter().map(|s| s.prefix))
                        .map(|s| format!("did you mean `{s}:{action}`?")),
                )
            } else {
                let name = catalogue().service(service).map_or(service, |s| s.short_name);
                (
                    format!("`{text}` matches no {name} action, so it {verb} nothing"),
                    closest(action, catalogue().actions(service).iter().map(|a| a.name))
                        .map(|a| format!("did you mean `{service}:{a}`?")),
                )
            };
            let help =
                help.unwrap_or_else(|| "check the action against the AWS Service Authorization Reference".into());
            out.push(
                Violation::new(element.at, message)
                    .help(help)
                    .address(policy.address.as_deref())
                    .pointer(&element.pointer),
            );
        }
    }
}

/// The candidate closest to `word` by edit distance (ignoring ASCII case), if it is close
/// enough to be a typo. Ties go to the first in byte order.
fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_ascii_lowercase();
    let limit = (word.len() / 4).clamp(1, 3);
    let mut row = Vec::new();
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        // Each edit changes the length by at most one.
        if candidate.len().abs_diff(word.len()) > limit {
            continue;
        }
        if let Some(d) = distance(word.as_bytes(), candidate.as_bytes(), limit, &mut row)
            && best.is_none_or(|b| (d, candidate) < b)
        {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// Levenshtein distance over bytes, `b` compared lowercased, or `None` once it must exceed
/// `limit`. `row` is scratch space.
fn distance(a: &[u8], b: &[u8], limit: usize, row: &mut Vec<usize>) -> Option<usize> {
    row.clear();
    row.extend(0..=b.len());
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        let mut smallest = row[0];
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(*ca != cb.to_ascii_lowercase())).min(row[j] + 1).min(cur + 1);
            smallest = smallest.min(row[j + 1]);
            prev = cur;
        }
        // The distance is at least the smallest entry of any row.
        if smallest > limit {
            return None;
        }
    }
    row.last().copied().filter(|d| *d <= limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(closest("GetObjekt", ["GetObject", "PutObject"].into_iter()), Some("GetObject"));
        assert_eq!(closest("Frobnicate", ["GetObject", "PutObject"].into_iter()), None);
        assert_eq!(closest("getobjekt", ["GetObject"].into_iter()), Some("GetObject"));
        assert_eq!(closest("GetObjectt", ["GetObjects", "GetObject"].into_iter()), Some("GetObject"));
        let mut row = Vec::new();
        assert_eq!(distance(b"kitten", b"sitting", 10, &mut row), Some(3));
        assert_eq!(distance(b"kitten", b"sitting", 2, &mut row), None);
        assert_eq!(distance(b"", b"abc", 3, &mut row), Some(3));
    }
}
