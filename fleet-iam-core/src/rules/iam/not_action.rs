use crate::diagnostic::Finding;
use crate::model::{Policy, PolicyKind};
use crate::rule::{Context, Rule, Violation, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds `Allow` statements that use `NotAction`, `NotResource` or `NotPrincipal`, in every
    /// kind of policy. In an identity policy `NotAction` reaches every service; in a resource
    /// policy, every action on that resource.
    ///
    /// Judged on the effective permission: a statement whose actions a `Deny` of the same
    /// document all takes away (on every resource and principal of it, under every condition of
    /// it) is not reported; a `Deny` that covers only part of it leaves it reported.
    ///
    /// AWS managed policies attached by ARN are judged by their documents (`PowerUserAccess`
    /// allows everything but `iam:*`, `organizations:*` and `account:*` with `NotAction`) and
    /// reported at the ARN.
    ///
    /// ## Why is this bad?
    /// `Allow` with `NotAction` grants every action of every service except the ones listed,
    /// including every action AWS adds later; `Allow` with `NotResource` grants the actions on
    /// every resource except the ones listed. Both read as restrictions and grant almost
    /// everything; `Allow` with `NotPrincipal` grants every principal of every account except the
    /// ones listed. `NotAction` and `NotPrincipal` belong with `Deny`.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_policy" "ops" {
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", NotAction = "iam:*", Resource = "*" }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_iam_policy" "ops" {
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{ Effect = "Deny", NotAction = "iam:*", Resource = "*" }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Options
    /// None.
    ///
    /// ## References
    /// - [Policy evaluation logic: an explicit deny overrides an allow](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)
    /// - [IAM JSON policy elements: NotAction](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html)
    /// - [IAM JSON policy elements: NotResource](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html)
    pub struct IamNotAction {}
    id: "iam-not-action", finding: Some(Finding::H5), summary: "an Allow statement with NotAction, NotResource or NotPrincipal",
}

impl Rule for IamNotAction {
    fn check_policy(&self, _ctx: &Context<'_>, policy: &Policy, out: &mut Vec<Violation>) {
        for statement in policy.statements.iter().filter(|s| s.grants()) {
            if let Some(not_action) = &statement.not_action {
                out.push(
                    Violation::new(
                        not_action.at,
                        match policy.kind {
                            PolicyKind::Identity => "`Allow` with `NotAction` grants every action of every AWS service except these, including actions added later",
                            _ => "`Allow` with `NotAction` grants the principals this policy names every action on this resource except these, changing its policy included",
                        },
                    )
                    .help("list the allowed actions in `Action`, or make this a `Deny` statement")
                    .address(policy.address.as_deref())
                    .pointer(&not_action.pointer),
                );
            }
            if let Some(first) = statement.not_principal.iter().flatten().next() {
                out.push(
                    Violation::new(
                        first.value.at,
                        "`Allow` with `NotPrincipal` grants every principal of every AWS account except these",
                    )
                    .help("name the principals that need access in `Principal`, or make this a `Deny` statement")
                    .address(policy.address.as_deref())
                    .pointer(&first.value.pointer),
                );
            }
            if let Some(not_resource) = &statement.not_resource {
                out.push(
                    Violation::new(
                        not_resource.at,
                        match policy.kind {
                            PolicyKind::Identity => "`Allow` with `NotResource` grants the actions on every resource except these, in every account the principal can reach",
                            _ => "`Allow` with `NotResource` grants the actions on everything this policy covers except these",
                        },
                    )
                    .help("list the allowed resources in `Resource`, or make this a `Deny` statement")
                    .address(policy.address.as_deref())
                    .pointer(&not_resource.pointer),
                );
            }
        }
    }
}
