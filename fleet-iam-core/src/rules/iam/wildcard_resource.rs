use super::helpers::{list_first, literal};
use super::privilege_escalation::is_escalation;
use crate::diagnostic::Finding;
use crate::iam::actions::{expand, is_every_action, service_wildcard};
use crate::iam::catalogue::Action;
use crate::model::{Policy, PolicyKind, Statement};
use crate::rule::{Context, Rule, Violation, declare_rule};
use std::collections::BTreeSet;

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
    /// reported by their own rules, not here: one fix, one diagnostic. Only identity policies
    /// are checked: in a resource policy (a key, queue or secret policy) `"*"` means the
    /// resource the policy is attached to.
    ///
    /// Judged on the effective permission: an action that a `Deny` of the same document takes
    /// away (on every resource of the statement, under every condition of it) is not reported;
    /// a `Deny` that covers only some actions or some resources leaves the rest reported.
    ///
    /// AWS managed policies attached by ARN are not judged here: AWS's policies for a service
    /// (`AmazonEKSClusterPolicy`, `AWSLambdaBasicExecutionRole`, `AmazonSSMManagedInstanceCore`)
    /// grant on `"*"` what the service needs, and whoever attaches one cannot scope it. A broad
    /// managed policy is reported by the wildcard, `NotAction` and privilege-escalation rules.
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
    /// - [Policy evaluation logic: an explicit deny overrides an allow](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)
    /// - [Actions without resource-level permissions](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    /// - [IAM JSON policy elements: Resource](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html)
    pub struct IamWildcardResource {}
    id: "iam-wildcard-resource", finding: Some(Finding::H5), summary: "Resource \"*\" for write or permissions actions that could be scoped to resources",
}

/// Condition keys that narrow which resources a statement applies to: service keys
/// (`ec2:ResourceTag/...`, `s3:prefix`) and the global resource keys, pinned to values.
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
    let service_keys: Vec<String> = statement
        .conditions
        .iter()
        .filter_map(|c| c.key.as_deref())
        .map(str::to_ascii_lowercase)
        .filter(|k| !k.starts_with("aws:"))
        .collect();
    let service_keys: Vec<&str> = service_keys.iter().map(String::as_str).collect();
    statement.has_limiting_condition(GLOBAL_SCOPING) || statement.has_limiting_condition(&service_keys)
}

impl Rule for IamWildcardResource {
    fn check_policy(&self, _ctx: &Context<'_>, policy: &Policy, out: &mut Vec<Violation>) {
        // In a resource policy `"*"` means the resource the policy is attached to (the key, the
        // queue, the secret): the documented idiom. A trust policy has no resources.
        if policy.kind != PolicyKind::Identity || policy.managed.is_some() {
            return;
        }
        for statement in policy.statements.iter().filter(|s| s.grants()) {
            let Some(star) = statement.resources().find(|r| literal(r) == Some("*")) else { continue };
            if scoped_by_condition(statement) {
                continue;
            }
            let mut actions: Vec<&Action> = Vec::new();
            let mut labels = Vec::new();
            let mut seen = BTreeSet::new();
            for element in statement.granted_actions() {
                let Some(text) = literal(element) else { continue };
                let repeated = !seen.insert(text.to_ascii_lowercase());
                if repeated || is_every_action(text) || service_wildcard(text).is_some() {
                    continue;
                }
                let before = actions.len();
                actions.extend(
                    expand(text)
                        .iter()
                        .copied()
                        .filter(|a| a.resource_level && a.level.is_write_or_permissions() && !is_escalation(a)),
                );
                if actions.len() > before {
                    labels.push((element.at, "can be scoped to resource ARNs".to_string()));
                }
            }
            actions.sort_by_key(|a| (a.service, a.name));
            actions.dedup_by_key(|a| (a.service, a.name));
            if actions.is_empty() {
                continue;
            }
            let first: Vec<String> = actions.iter().take(4).map(|a| a.to_string()).collect();
            let names = list_first(&first, actions.len());
            let message = format!(
                "`Resource = \"*\"` lets {names} act on every matching resource in the account, though {} can be scoped to resource ARNs",
                if actions.len() == 1 { "it" } else { "they" }
            );
            let mut violation = Violation::new(star.at, message)
                .help("name the resources (ARNs, with wildcards only in the resource part), or limit the statement with a condition on one of the service's keys or on `aws:ResourceTag/...`; move actions that only work on `*` into a statement of their own")
                .address(policy.address.as_deref())
                .pointer(&star.pointer);
            for (at, label) in labels {
                violation = violation.label(at, label);
            }
            out.push(violation);
        }
    }
}
