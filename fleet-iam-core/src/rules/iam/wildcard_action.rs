use super::helpers::{grantee, literal};
use crate::diagnostic::Finding;
use crate::iam::actions::is_every_action;
use crate::iam::catalogue::catalogue;
use crate::model::{Policy, PolicyKind};
use crate::rule::{Context, Rule, Violation, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds `Allow` statements whose `Action` is `"*"` (or `"*:*"`), in every kind of policy,
    /// and says what it means for that kind. In an identity policy it is every action of every
    /// AWS service: administrator access. In a resource policy (bucket, queue, topic, key,
    /// repository) it is every action on that resource, for the principals the policy names:
    /// changing its policy and deleting it included. In a trust policy it is every way of
    /// assuming the role.
    ///
    /// Who a resource or trust policy lets in is `iam-wildcard-principal`'s finding, not this
    /// one's.
    ///
    /// Judged on the effective permission: an action that a `Deny` of the same document takes
    /// away (on every resource of the statement, under every condition of it) is not reported;
    /// a `Deny` that covers only some actions or some resources leaves the rest reported.
    ///
    /// An AWS managed policy attached by ARN (`AdministratorAccess`, through
    /// `aws_iam_role_policy_attachment`, `managed_policy_arns`, an SSO permission set or a
    /// terraform-aws-modules input) is judged by its document, and reported at the ARN.
    ///
    /// ## Why is this bad?
    /// In an identity policy `"*"` is administrator access. Whoever holds the policy can read
    /// every secret, delete every resource and grant itself or anyone else any permission,
    /// including actions AWS adds in the future. A leaked CI credential with `"*"` is a lost
    /// account. In a resource policy it hands the resource over: the principals named can
    /// rewrite its policy to let anyone in, or delete it.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_policy" "ci" {
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_iam_policy" "ci" {
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect   = "Allow"
    ///       Action   = ["eks:DescribeCluster", "eks:ListClusters"]
    ///       Resource = "arn:aws:eks:eu-west-1:123456789012:cluster/platform"
    ///     }]
    ///   })
    /// }
    /// ```
    /// When a break-glass administrator role is really intended, keep it out of automation: a
    /// role only people assume, with MFA required in its trust policy, and an ignore comment
    /// that says why (`# fleet-iam-ignore: iam-wildcard-action -- break-glass role, MFA only`).
    ///
    /// ## Options
    /// None.
    ///
    /// ## References
    /// - [Policy evaluation logic: an explicit deny overrides an allow](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)
    /// - [IAM JSON policy elements: Action](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html)
    /// - [Security best practices in IAM: grant least privilege](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
    pub struct IamWildcardAction {}
    id: "iam-wildcard-action", finding: Some(Finding::H5), summary: "an Allow statement with Action \"*\": every action of every service",
}

impl Rule for IamWildcardAction {
    fn check_policy(&self, _ctx: &Context<'_>, policy: &Policy, out: &mut Vec<Violation>) {
        for statement in policy.statements.iter().filter(|s| s.grants()) {
            for element in statement.granted_actions() {
                let Some(text) = literal(element) else {
                    continue;
                };
                if !is_every_action(text) {
                    continue;
                }
                let (message, help) = match policy.kind {
                    PolicyKind::Identity => (
                        format!(
                            "`{text}` allows every action of every AWS service ({}+ actions): this is administrator access",
                            catalogue().len() / 1000 * 1000
                        ),
                        "list the actions this principal needs, scoped to its resources; attach `AdministratorAccess` explicitly if full access is really intended",
                    ),
                    PolicyKind::Resource => (
                        format!(
                            "`{text}` in a resource policy allows {} every action on this resource, changing its policy and deleting it included",
                            grantee(policy.kind)
                        ),
                        "list the actions these principals need on this resource",
                    ),
                    PolicyKind::Trust => (
                        format!(
                            "`{text}` in a trust policy allows every way of assuming this role and tagging its sessions"
                        ),
                        "write the action the principal uses: `sts:AssumeRole`, `sts:AssumeRoleWithWebIdentity` or `sts:AssumeRoleWithSAML`",
                    ),
                };
                out.push(
                    Violation::new(element.at, message)
                        .help(help)
                        .address(policy.address.as_deref())
                        .pointer(&element.pointer),
                );
            }
        }
    }
}
