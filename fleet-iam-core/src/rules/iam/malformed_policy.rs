use crate::diagnostic::Finding;
use crate::model::Policy;
use crate::rule::{Context, Rule, Violation, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds policy documents that AWS would reject or misread: text that is not valid JSON, no
    /// `Statement`, a statement without `Effect` or with an `Effect` other than `Allow`/`Deny`,
    /// neither or both of `Action`/`NotAction`, both `Resource` and `NotResource`, a `Version`
    /// other than `2012-10-17` or `2008-10-17`, a policy variable (`${aws:username}`) under
    /// `2008-10-17`, which does not substitute it, an unknown element (`Actions`), values of the
    /// wrong type, an action not written `service:Action`, a `Principal` in an identity policy,
    /// a `Resource` in a trust policy, or a resource policy statement without a `Principal`. A
    /// document passed to a module input is judged as the kind of policy the module makes of it:
    /// a trust policy for a module's `assume_role_policy = var.trust_policy`.
    ///
    /// Deliberately not reported: what is known only at apply. An element written as an
    /// expression (`actions = var.actions`, `not_actions = statement.value.not_actions`) may be
    /// `null`, which leaves it out of the rendered policy, so it counts neither as there nor as
    /// missing. A `dynamic "statement"` block of an `aws_iam_policy_document` is a statement
    /// template: when its `for_each` collection is written out (a literal list or map, a local,
    /// `toset(...)` of one) each item is judged as the statement it renders, at the item;
    /// otherwise only what the template says for every item is judged. Condition values written
    /// as booleans or numbers (`values = [true]`) are valid: Terraform and AWS read them as
    /// strings. AWS managed policies attached by ARN are not checked: AWS wrote and accepted them.
    ///
    /// ## Why is this bad?
    /// A malformed policy fails at apply time at best. At worst AWS accepts it and it means
    /// something else: with `Version = "2008-10-17"`, `${aws:username}` is a literal string.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_policy" "reader" {
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Actions = "s3:GetObject", Resource = "*" }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_iam_policy" "reader" {
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Options
    /// None.
    ///
    /// ## References
    /// - [IAM JSON policy element reference](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html)
    /// - [IAM JSON policy grammar](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html)
    /// - [IAM JSON policy elements: Version](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html)
    /// - [Terraform: `aws_iam_policy_document`](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document)
    /// - [Terraform: `dynamic` blocks](https://developer.hashicorp.com/terraform/language/expressions/dynamic-blocks)
    pub struct IamMalformedPolicy {}
    id: "iam-malformed-policy", finding: Some(Finding::H5), summary: "a policy document that is not a valid IAM policy",
}

impl Rule for IamMalformedPolicy {
    fn check_policy(&self, _ctx: &Context<'_>, policy: &Policy, out: &mut Vec<Violation>) {
        if policy.managed.is_some() {
            return;
        }
        for problem in &policy.problems {
            let mut violation = Violation::new(problem.at, problem.message.clone())
                .help("fix the document so that AWS reads it as written; see the IAM JSON policy grammar")
                .address(policy.address.as_deref());
            if !problem.pointer.is_empty() {
                violation = violation.pointer(&problem.pointer);
            }
            out.push(violation);
        }
    }
}
