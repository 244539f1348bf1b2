use super::helpers::{list_names, literal};
use crate::diagnostic::Finding;
use crate::iam::actions::expand;
use crate::iam::catalogue::Action;
use crate::model::template::interpolations;
use crate::model::{Element, Policy, PolicyKind};
use crate::rule::{Context, Rule, Violation, declare_rule};
use std::collections::BTreeSet;

/// Actions that let a principal raise its own privileges, lowercase.
pub(crate) const ESCALATION: &[&str] = &[
    "iam:passrole",
    "iam:createpolicyversion",
    "iam:setdefaultpolicyversion",
    "iam:attachuserpolicy",
    "iam:attachgrouppolicy",
    "iam:attachrolepolicy",
    "iam:putuserpolicy",
    "iam:putgrouppolicy",
    "iam:putrolepolicy",
    "iam:createaccesskey",
    "iam:createloginprofile",
    "iam:updateloginprofile",
    "iam:updateassumerolepolicy",
    "iam:addusertogroup",
    "iam:putuserpermissionsboundary",
    "iam:putrolepermissionsboundary",
    "iam:deleteuserpermissionsboundary",
    "iam:deleterolepermissionsboundary",
];

declare_rule! {
    /// ## What it does
    /// Finds `Allow` statements that grant an action that lets a principal raise its own
    /// privileges: `iam:PassRole`, `iam:CreatePolicyVersion`, `iam:SetDefaultPolicyVersion`,
    /// `iam:Attach{User,Group,Role}Policy`, `iam:Put{User,Group,Role}Policy`,
    /// `iam:CreateAccessKey`, `iam:CreateLoginProfile`, `iam:UpdateLoginProfile`,
    /// `iam:UpdateAssumeRolePolicy`, `iam:AddUserToGroup` and the permissions-boundary actions,
    /// written out or through a wildcard (`iam:*`, `iam:Put*`, `*`), on `"*"` or on an unscoped
    /// IAM ARN (`arn:aws:iam::123456789012:role/*`), its account written out or known only at
    /// apply time (`arn:${data.aws_partition.current.partition}:iam::${local.account_id}:user/*`,
    /// as modules write it). One diagnostic per statement: the primary
    /// label on the first such action, secondary labels on the others. AWS managed policies
    /// attached by ARN (`IAMFullAccess`, `AdministratorAccess`) are judged by their documents
    /// and reported at the ARN.
    ///
    /// A condition on `iam:PassedToService` does not silence `iam:PassRole` on `"*"`: it still
    /// passes every role of the account, administrators included, to that service.
    ///
    /// Only identity policies are judged: escalation is what a principal does with its own
    /// permissions. A resource policy (bucket, queue, key) grants actions on its resource only,
    /// and a trust policy only the assuming of its role; who they let in is
    /// `iam-wildcard-principal`'s finding.
    ///
    /// Judged on the effective permission: an action that a `Deny` of the same document takes
    /// away (on every resource of the statement, under every condition of it) is not reported;
    /// a `Deny` that covers only some actions or some resources leaves the rest reported.
    ///
    /// ## Why is this bad?
    /// Each of these turns a limited credential into an administrator: attach
    /// `AdministratorAccess` to yourself, write a new default policy version, mint access keys
    /// for another user, or pass an admin role to a Lambda function or EC2 instance you control.
    ///
    /// ## Example
    /// ```hcl
    /// data "aws_iam_policy_document" "deployer" {
    ///   statement {
    ///     actions   = ["iam:PassRole"]
    ///     resources = ["*"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// data "aws_iam_policy_document" "deployer" {
    ///   statement {
    ///     actions   = ["iam:PassRole"]
    ///     resources = ["arn:aws:iam::123456789012:role/eks-node-group"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Options
    /// None.
    ///
    /// ## References
    /// - [Policy evaluation logic: an explicit deny overrides an allow](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)
    /// - [Rhino Security Labs: AWS IAM privilege escalation methods](https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/)
    /// - [Granting a user permissions to pass a role](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html)
    pub struct IamPrivilegeEscalation {}
    id: "iam-privilege-escalation", finding: Some(Finding::H5), summary: "an action in an identity policy that lets a principal raise its own privileges, on \"*\" or an unscoped IAM ARN",
}

/// Whether a resource element is `*` or an unscoped IAM ARN ([`unscoped`]), its partition,
/// region and account written out or known only at apply time
/// (`arn:${local.partition}:iam::${local.account_id}:role/*`): the account a template names is
/// some account, and its roles are all of them.
fn unscoped_element(element: &Element) -> bool {
    element.text.as_deref().is_some_and(|text| unscoped(&interpolations_marked(text)))
}

/// `text` with each `${...}` interpolation (and `%{...}` directive) as `${}`, so that the colons
/// inside one (`${join(":", ...)}`) split nothing.
fn interpolations_marked(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for range in interpolations(text) {
        out.push_str(&text[from..range.start]);
        out.push_str("${}");
        from = range.end;
    }
    out.push_str(&text[from..]);
    out
}

/// `*`, or an IAM ARN whose resource part is a bare wildcard (`role/*`, `user/*`, `*`).
fn unscoped(resource: &str) -> bool {
    if resource == "*" {
        return true;
    }
    let lower = resource.to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix("arn:") else { return false };
    let parts: Vec<&str> = rest.splitn(5, ':').collect();
    let [_, service, _, _, resource] = parts.as_slice() else { return false };
    // `role/*`, `role*`, `role/**`, `user*`, `*`: a resource type followed only by wildcards.
    let after_type = resource.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '-');
    (*service == "iam" || *service == "*")
        && after_type.contains('*')
        && after_type.chars().all(|c| c == '*' || c == '/')
}

/// Whether an action is one of the privilege-escalation actions.
pub(crate) fn is_escalation(action: &Action) -> bool {
    action.service == "iam" && ESCALATION.iter().any(|e| e[4..].eq_ignore_ascii_case(action.name))
}

impl Rule for IamPrivilegeEscalation {
    fn check_policy(&self, _ctx: &Context<'_>, policy: &Policy, out: &mut Vec<Violation>) {
        if policy.kind != PolicyKind::Identity {
            return;
        }
        for statement in policy.statements.iter().filter(|s| s.grants()) {
            let Some(resource) = statement.resources().find(|r| unscoped_element(r)) else {
                continue;
            };
            let mut seen = BTreeSet::new();
            let hits: Vec<(&Element, Vec<String>)> = statement
                .granted_actions()
                .filter_map(|element| {
                    let text = literal(element)?;
                    if !seen.insert(text.to_ascii_lowercase()) {
                        return None;
                    }
                    let names: Vec<String> =
                        expand(text).iter().filter(|a| is_escalation(a)).map(|a| a.to_string()).collect();
                    (!names.is_empty()).then_some((element, names))
                })
                .collect();
            let Some((first, first_names)) = hits.first() else {
                continue;
            };
            let all: Vec<String> = hits.iter().flat_map(|(_, n)| n.iter().cloned()).collect();
            let text = literal(first).unwrap_or_default();
            let grants = if first_names.len() == 1 && first_names[0].eq_ignore_ascii_case(text) {
                format!("`{text}`")
            } else {
                format!("`{text}` grants {}", list_names(first_names.iter().cloned(), 4))
            };
            let on = resource.text.as_deref().unwrap_or("*");
            let mut message = format!("{grants} on `{on}`, which lets the holder raise its own privileges");
            if all.len() > first_names.len() {
                message.push_str(&format!(
                    " (with {} in this statement)",
                    list_names(all[first_names.len()..].iter().cloned(), 3)
                ));
            }
            let mut violation = Violation::new(first.at, message)
                .help("scope these actions to the exact roles or users they are meant for (`arn:aws:iam::ACCOUNT:role/NAME`), or drop them")
                .address(policy.address.as_deref())
                .pointer(&first.pointer)
                .label(resource.at, "on this resource");
            for (element, names) in hits.iter().skip(1) {
                violation =
                    violation.label(element.at, format!("also grants {}", list_names(names.iter().cloned(), 3)));
            }
            out.push(violation);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{interpolations_marked, unscoped};

    #[test]
    fn unscoped_iam_arns() {
        for yes in [
            "*",
            "arn:aws:iam::123456789012:role/*",
            "arn:aws:iam::*:role/*",
            "arn:aws:iam::123456789012:*",
            "arn:aws:iam::123456789012:user/*",
            "arn:aws:iam::123456789012:role*",
            "arn:aws:iam::123456789012:role/**",
            "arn:aws:iam::123456789012:user*",
        ] {
            assert!(unscoped(yes), "{yes}");
        }
        for no in ["arn:aws:iam::123456789012:role/ci", "arn:aws:iam::123456789012:role/ci-*", "arn:aws:s3:::bucket/*"]
        {
            assert!(!unscoped(no), "{no}");
        }
    }

    #[test]
    fn templates_in_the_partition_and_account_are_some_account() {
        for yes in [
            "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/*",
            "arn:${data.aws_partition.current.partition}:iam::123456789012:user/*",
            "arn:${join(\":\", [\"a\", \"b\"])}:iam::${local.acct}:*",
        ] {
            assert!(unscoped(&interpolations_marked(yes)), "{yes}");
        }
        for no in [
            "arn:aws:iam::${local.acct}:role/${var.name}",
            "arn:aws:iam::${local.acct}:user/${aws:username}",
            "${aws_iam_role.ci.arn}",
            "arn:aws:${var.service}::${local.acct}:*",
            "arn:aws:iam::${unterminated",
        ] {
            assert!(!unscoped(&interpolations_marked(no)), "{no}");
        }
    }
}
