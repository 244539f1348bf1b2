use super::helpers::{approx, list_first, literal};
use crate::diagnostic::Finding;
use crate::iam::actions::{expand, is_every_action, service_wildcard};
use crate::model::{Policy, PolicyKind};
use crate::rule::{Context, Rule, Violation, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds `Allow` statements with a partial action wildcard (`"iam:Put*"`, `"s3:*Object"`,
    /// `"*:Delete*"`) that matches Write, Permissions management or Tagging actions, in every
    /// kind of policy; in a resource policy the message says the actions apply to that resource
    /// only. Wildcards that match only List and Read actions (`"ec2:Describe*"`) are fine.
    ///
    /// Judged on the effective permission: an action that a `Deny` of the same document takes
    /// away (on every resource of the statement, under every condition of it) is not reported;
    /// a `Deny` that covers only some actions or some resources leaves the rest reported.
    ///
    /// AWS managed policies attached by ARN are not judged here: whoever attaches one chose it
    /// by name and cannot rewrite its wildcards, and AWS's read-only policies (`ReadOnlyAccess`,
    /// `SecurityAudit`, `job-function/ViewOnlyAccess`) are made of `Get*`, `List*` and
    /// `Describe*` wildcards, a few of which match an action AWS classes as Write
    /// (`iot:ListSubscriptions`). What makes a managed policy broad (`*`, `svc:*`, `NotAction`,
    /// privilege escalation) is reported by those rules, at the ARN.
    ///
    /// ## Why is this bad?
    /// A partial wildcard looks narrow but grants every matching action, today and in future:
    /// `iam:Put*` includes `iam:PutRolePolicy` and `iam:PutUserPolicy`, which let the holder
    /// write itself any permission. The message lists what it really grants.
    ///
    /// ## Example
    /// ```hcl
    /// data "aws_iam_policy_document" "ci" {
    ///   statement {
    ///     actions   = ["iam:Put*"]
    ///     resources = ["arn:aws:iam::123456789012:role/ci-*"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// data "aws_iam_policy_document" "ci" {
    ///   statement {
    ///     actions   = ["ec2:Describe*", "iam:PutRolePolicy"]
    ///     resources = ["arn:aws:iam::123456789012:role/ci-deployer"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Options
    /// None.
    ///
    /// ## References
    /// - [Policy evaluation logic: an explicit deny overrides an allow](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)
    /// - [IAM JSON policy elements: Action](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html)
    /// - [Access levels in policy summaries](https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_understand-policy-summary-access-level-summaries.html)
    pub struct IamSensitiveWildcard {}
    id: "iam-sensitive-wildcard", finding: Some(Finding::H5), summary: "a partial action wildcard that matches Write or Permissions management actions",
}

impl Rule for IamSensitiveWildcard {
    fn check_policy(&self, _ctx: &Context<'_>, policy: &Policy, out: &mut Vec<Violation>) {
        if policy.managed.is_some() {
            return;
        }
        for statement in policy.statements.iter().filter(|s| s.grants()) {
            for element in statement.granted_actions() {
                let Some(text) = literal(element) else {
                    continue;
                };
                if !text.contains(['*', '?']) || is_every_action(text) || service_wildcard(text).is_some() {
                    continue;
                }
                let matched = expand(text);
                let writes: Vec<String> = matched
                    .iter()
                    .filter(|a| a.level.is_write_or_permissions())
                    .take(4)
                    .map(|a| a.to_string())
                    .collect();
                if writes.is_empty() {
                    continue;
                }
                let write_count = matched.iter().filter(|a| a.level.is_write_or_permissions()).count();
                let message = format!(
                    "`{text}` matches {} actions, {} of them Write, Permissions management or Tagging: {}",
                    approx(matched.len()),
                    approx(write_count),
                    list_first(&writes, write_count)
                );
                let message = match policy.kind {
                    PolicyKind::Identity => message,
                    kind => format!("{message}; in this {} policy, on this resource only", kind.as_str()),
                };
                out.push(
                    Violation::new(element.at, message)
                        .help("list the actions by name, so that the policy grants only what it says")
                        .address(policy.address.as_deref())
                        .pointer(&element.pointer),
                );
            }
        }
    }
}
