use super::{is_every_action, literal};
use crate::diagnostic::Finding;
use crate::iam::catalogue::catalogue;
use crate::model::Policy;
use crate::rule::{Context, Rule, Violation, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds actions and action wildcards, in `Action` or `NotAction` of any statement, that
    /// match nothing in the IAM action catalogue (the AWS Service Authorization Reference,
    /// embedded in fleet-iam): a misspelt action (`s3:GetObjekt`) or an unknown service prefix
    /// (`eks2:*`). Names are compared case-insensitively, as AWS does.
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
        let elements = policy
            .statements
            .iter()
            .flat_map(|s| s.action.iter().chain(s.not_action.iter()))
            .flat_map(|e| e.items.iter());
        for element in elements {
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
                    format!("`{text}` matches no {name} action, so it grants nothing"),
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

/// The candidate closest to `word` by edit distance, if it is close enough to be a typo.
fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_ascii_lowercase();
    let limit = (word.len() / 4).clamp(1, 3);
    candidates
        .map(|c| (distance(&word, &c.to_ascii_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// Levenshtein distance over bytes.
fn distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(closest("GetObjekt", ["GetObject", "PutObject"].into_iter()), Some("GetObject"));
        assert_eq!(closest("Frobnicate", ["GetObject", "PutObject"].into_iter()), None);
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
