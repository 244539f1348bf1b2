use super::privilege_escalation::ESCALATION;
use super::{expand, is_every_action, list_names, literal, service_wildcard};
use crate::diagnostic::Finding;
use crate::model::{Policy, PolicyKind, Statement};
use crate::rule::{Context, Rule, Violation, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds `Allow` statements with `Resource = "*"` for Write, Permissions management or
    /// Tagging actions that support resource-level permissions, when no condition scopes them
    /// (a service condition key, or `aws:ResourceTag/…`, `aws:ResourceAccount`,
    /// `aws:ResourceOrgID`, `aws:SourceArn`, `aws:SourceAccount`, `aws:RequestTag/…`). One
    /// diagnostic per statement, on the `"*"`, naming the actions; secondary labels mark them.
    ///
    /// Actions that AWS only grants on `"*"` (`ec2:DescribeInstances`,
    /// `logs:DescribeLogGroups`, `ecr:GetAuthorizationToken`, `sts:GetCallerIdentity`) never
    /// fire: there is nothing narrower to write, and flagging them is the largest class of false
    /// positives in other tools. Read and List actions do not fire either. Action wildcards
    /// (`"*"`, `"eks:*"`) and privilege-escalation actions (`iam:PassRole`) on `"*"` are
    /// reported by their own rules, not here: one fix, one diagnostic.
    ///
    /// ## Why is this bad?
    /// `s3:PutObject` on `"*"` writes to every bucket of the account, not just the one the
    /// workload owns. The blast radius of a leaked credential is the whole account.
    ///
    /// ## Example
    /// ```hcl
    /// data "aws_iam_policy_document" "uploader" {
    ///   statement {
    ///     actions   = ["s3:PutObject", "ecr:GetAuthorizationToken"]
    ///     resources = ["*"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// data "aws_iam_policy_document" "uploader" {
    ///   statement {
    ///     actions   = ["s3:PutObject"]
    ///     resources = ["arn:aws:s3:::artifacts-prod/*"]
    ///   }
    ///   statement {
    ///     actions   = ["ecr:GetAuthorizationToken"]
    ///     resources = ["*"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Options
    /// None.
    ///
    /// ## References
    /// - [Actions without resource-level permissions](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    /// - [IAM JSON policy elements: Resource](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html)
    pub struct IamWildcardResource {}
    id: "iam-wildcard-resource", finding: Some(Finding::H5), summary: "Resource \"*\" for write or permissions actions that could be scoped to resources",
}

/// Condition keys that narrow which resources a statement applies to.
pub(crate) fn scoped_by_condition(statement: &Statement) -> bool {
    const GLOBAL_SCOPING: &[&str] = &[
        "aws:resourcetag/",
        "aws:resourceaccount",
        "aws:resourceorgid",
        "aws:resourceorgpaths",
        "aws:sourcearn",
        "aws:sourceaccount",
        "aws:sourceorgid",
        "aws:requesttag/",
    ];
    statement.conditions.iter().any(|c| {
        let key = c.key.to_ascii_lowercase();
        !key.starts_with("aws:") || GLOBAL_SCOPING.iter().any(|p| key.starts_with(p))
    })
}

impl Rule for IamWildcardResource {
    fn check_policy(&self, _ctx: &Context<'_>, policy: &Policy, out: &mut Vec<Violation>) {
        if policy.kind == PolicyKind::Trust {
            return;
        }
        for statement in policy.statements.iter().filter(|s| s.allows()) {
            let Some(star) = statement.resources().find(|r| literal(r) == Some("*")) else {
                continue;
            };
            if scoped_by_condition(statement) {
                continue;
            }
            let mut names = Vec::new();
            let mut labels = Vec::new();
            for element in statement.actions() {
                let Some(text) = literal(element) else {
                    continue;
                };
                if is_every_action(text) || service_wildcard(text).is_some() {
                    continue;
                }
                let scoped: Vec<String> = expand(text)
                    .into_iter()
                    .filter(|a| a.resource_level && a.level.is_write_or_permissions())
                    .filter(|a| !ESCALATION.contains(&a.to_string().to_ascii_lowercase().as_str()))
                    .map(|a| a.to_string())
                    .collect();
                if scoped.is_empty() {
                    continue;
                }
                labels.push((element.at, "can be scoped to resource ARNs".to_string()));
                names.extend(scoped);
            }
            if names.is_empty() {
                continue;
            }
            let mut violation = Violation::new(
                star.at,
                format!(
                    "`Resource = \"*\"` lets {} act on every matching resource in the account, though {} can be scoped to resource ARNs",
                    list_names(names.iter().cloned(), 4),
                    if names.len() == 1 { "it" } else { "they" }
                ),
            )
            .help("name the resources (ARNs, with wildcards only in the resource part), or move actions that only work on `*` into a statement of their own")
            .address(policy.address.as_deref())
            .pointer(&star.pointer);
            for (at, label) in labels {
                violation = violation.label(at, label);
            }
            out.push(violation);
        }
    }
}
