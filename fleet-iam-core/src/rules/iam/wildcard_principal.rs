use super::helpers::literal;
use crate::diagnostic::Finding;
use crate::model::{Policy, PolicyKind};
use crate::rule::{Context, Rule, Violation, declare_rule};

/// Condition keys that limit who can use a `"*"` principal, lowercase.
const LIMITING_KEYS: &[&str] = &[
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:sourcevpce",
    "aws:sourcevpc",
    "aws:userid",
];

declare_rule! {
    /// ## What it does
    /// Finds `Allow` statements in trust and resource policies whose principal is anyone:
    /// `"Principal": "*"`, `{"AWS": "*"}` (or a data source `principals { type = "*" }`), with
    /// no condition that limits who that is: `aws:SourceArn`, `aws:SourceAccount`,
    /// `aws:SourceOrgID`, `aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:PrincipalArn`,
    /// `aws:SourceVpce`, `aws:SourceVpc`, `aws:userid`. The condition must pin the key: a positive
    /// operator (not `...IfExists`, `Null` or a negation) with values that are not `"*"`.
    ///
    /// ## Why is this bad?
    /// `"*"` means every principal of every AWS account, authenticated or not for some
    /// services. On a role's trust policy anyone can assume the role; on a bucket, queue or key
    /// anyone can use it.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_sqs_queue_policy" "events" {
    ///   queue_url = aws_sqs_queue.events.id
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = "*"
    ///       Action    = "sqs:SendMessage"
    ///       Resource  = aws_sqs_queue.events.arn
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_sqs_queue_policy" "events" {
    ///   queue_url = aws_sqs_queue.events.id
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = { Service = "sns.amazonaws.com" }
    ///       Action    = "sqs:SendMessage"
    ///       Resource  = aws_sqs_queue.events.arn
    ///       Condition = { ArnEquals = { "aws:SourceArn" = aws_sns_topic.events.arn } }
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Options
    /// None.
    ///
    /// ## References
    /// - [AWS JSON policy elements: Principal](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html)
    /// - [The confused deputy problem](https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html)
    pub struct IamWildcardPrincipal {}
    id: "iam-wildcard-principal", finding: Some(Finding::H5), summary: "Principal \"*\" in a trust or resource policy with no limiting condition",
}

impl Rule for IamWildcardPrincipal {
    fn check_policy(&self, _ctx: &Context<'_>, policy: &Policy, out: &mut Vec<Violation>) {
        if policy.kind == PolicyKind::Identity {
            return;
        }
        for statement in policy.statements.iter().filter(|s| s.allows()) {
            if statement.has_limiting_condition(LIMITING_KEYS) {
                continue;
            }
            let anyone = statement
                .principal
                .iter()
                .flatten()
                .find(|p| (p.kind == "*" || p.kind == "AWS") && literal(&p.value) == Some("*"));
            let Some(principal) = anyone else { continue };
            let what = match policy.kind {
                PolicyKind::Trust => "anyone in any AWS account can assume this role",
                _ => "anyone in any AWS account can use this resource",
            };
            out.push(
                Violation::new(principal.value.at, format!("principal `*`: {what}"))
                    .help("name the accounts, roles or services that need access, or add a condition on `aws:PrincipalOrgID`, `aws:SourceArn` or `aws:SourceAccount`")
                    .address(policy.address.as_deref())
                    .pointer(&principal.value.pointer),
            );
        }
    }
}
