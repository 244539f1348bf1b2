use super::helpers::literal;
use crate::diagnostic::Finding;
use crate::iam::actions::is_every_action;
use crate::iam::catalogue::catalogue;
use crate::model::Policy;
use crate::rule::{Context, Rule, Violation, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds `Allow` statements whose `Action` is `"*"` (or `"*:*"`): every action of every
    /// AWS service. An AWS managed policy attached by ARN (`AdministratorAccess`, through
    /// `aws_iam_role_policy_attachment`, `managed_policy_arns`, an SSO permission set or a
    /// terraform-aws-modules input) is judged by its document, and reported at the ARN.
    ///
    /// ## Why is this bad?
    /// `"*"` is administrator access. Whoever holds the policy can read every secret, delete
    /// every resource and grant itself or anyone else any permission, including actions AWS
    /// adds in the future. A leaked CI credential with `"*"` is a lost account.
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
    /// When an administrator role is really intended, attach the AWS managed
    /// `AdministratorAccess` policy so that the intent is explicit and reviewed.
    ///
    /// ## Options
    /// None.
    ///
    /// ## References
    /// - [IAM JSON policy elements: Action](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html)
    /// - [Security best practices in IAM: grant least privilege](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
    pub struct IamWildcardAction {}
    id: "iam-wildcard-action", finding: Some(Finding::H5), summary: "an Allow statement with Action \"*\": every action of every service",
}

impl Rule for IamWildcardAction {
    fn check_policy(&self, _ctx: &Context<'_>, policy: &Policy, out: &mut Vec<Violation>) {
        for statement in policy.statements.iter().filter(|s| s.allows()) {
            for element in statement.actions() {
                let Some(text) = literal(element) else {
                    continue;
                };
                if !is_every_action(text) {
                    continue;
                }
                let total = catalogue().len();
                out.push(
                    Violation::new(
                        element.at,
                        format!(
                            "`{text}` allows every action of every AWS service ({}+ actions): this is administrator access",
                            total / 1000 * 1000
                        ),
                    )
                    .help("list the actions this principal needs, scoped to its resources; attach `AdministratorAccess` explicitly if full access is really intended")
                    .address(policy.address.as_deref())
                    .pointer(&element.pointer),
                );
            }
        }
    }
}
