use super::helpers::literal;
use crate::diagnostic::Finding;
use crate::iam::conditions::{is_any_account, limits_who, why_not};
use crate::model::{Module, Policy, PolicyKind, Principal, ValueKind};
use crate::rule::{Context, Rule, Violation, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds `Allow` statements in trust and resource policies whose principal is anyone:
    /// `"Principal": "*"`, `{"AWS": "*"}` (or a data source `principals { type = "*" }`), or an
    /// AWS principal whose account is a wildcard (`arn:aws:iam::*:root`,
    /// `arn:aws:iam::*:role/deployer`), with no condition that limits who that is. One
    /// diagnostic per statement, on the first such principal; conditions that are there but do
    /// not limit are labelled with why.
    ///
    /// Conditions that limit (the table is `iam/conditions.rs`, from AWS's global condition
    /// context keys): `aws:SourceAccount`, `aws:SourceArn`, `aws:SourceOwner`,
    /// `aws:SourceOrgID`, `aws:SourceOrgPaths`, `aws:PrincipalAccount`, `aws:PrincipalArn`,
    /// `aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`, `aws:userid`, `aws:VpceAccount`,
    /// `aws:SourceVpce`, `aws:SourceVpc`, and `kms:CallerAccount` together with
    /// `kms:ViaService`. The condition must pin the key: `StringEquals`, `StringLike`,
    /// `ArnEquals` or `ArnLike` (also under `ForAnyValue:`), with values that are not wildcards
    /// for the account (`"*"`, `arn:aws:iam::*:role/x`). These do not limit:
    /// `...IfExists` and `ForAllValues:` (both true when the key is absent), negations, `Null`,
    /// and keys the caller chooses, such as `aws:UserAgent`, `aws:Referer` and
    /// `aws:SecureTransport`.
    ///
    /// Also an `aws_lambda_permission` with `principal = "*"` and no `source_arn`,
    /// `source_account` or `principal_org_id`: anyone can invoke the function.
    ///
    /// Deliberately not reported: identity policies (they have no principal), service
    /// principals, and conditions or principals known only at apply (a `dynamic "condition"`
    /// over a variable may limit; a variable account id may be anyone's).
    ///
    /// Judged on the effective permission: a statement whose actions a `Deny` of the same
    /// document all takes away (on every resource and principal of it, under every condition of
    /// it) is not reported; a `Deny` that covers only part of it leaves it reported.
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
    /// - [Policy evaluation logic: an explicit deny overrides an allow](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)
    /// - [AWS JSON policy elements: Principal](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html)
    /// - [The confused deputy problem](https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html)
    /// - [AWS global condition context keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html)
    /// - [Lambda: resource-based policies](https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html)
    pub struct IamWildcardPrincipal {}
    id: "iam-wildcard-principal", finding: Some(Finding::H5), summary: "anyone as principal (\"*\", a wildcard account, a Lambda permission for \"*\") in a trust or resource policy, with no limiting condition",
}

/// Arguments of `aws_lambda_permission` that limit who may use a principal `*`.
const LAMBDA_LIMITS: &[&str] = &["source_arn", "source_account", "principal_org_id"];

/// Whether a principal is anyone: `*`, or an AWS account that is a wildcard.
fn is_anyone(principal: &Principal) -> bool {
    let Some(text) = literal(&principal.value) else { return false };
    match principal.kind.as_str() {
        "*" => text == "*",
        "AWS" => is_any_account(text),
        _ => false,
    }
}

impl Rule for IamWildcardPrincipal {
    fn check_policy(&self, _ctx: &Context<'_>, policy: &Policy, out: &mut Vec<Violation>) {
        if policy.kind == PolicyKind::Identity {
            return;
        }
        let (anyone_can, matching_can) = match policy.kind {
            PolicyKind::Trust => ("anyone in any AWS account can assume this role", "can assume this role"),
            _ => ("anyone in any AWS account can use this resource", "can use this resource"),
        };
        for statement in policy.statements.iter().filter(|s| s.grants()) {
            let mut anyone = statement.principal.iter().flatten().filter(|p| is_anyone(p));
            let Some(first) = anyone.next() else { continue };
            // A condition known only at apply may limit: nothing is guessed.
            if limits_who(statement) != Some(false) {
                continue;
            }
            let text = literal(&first.value).unwrap_or("*");
            let (message, help) = if text == "*" {
                (
                    format!("principal `*`: {anyone_can}"),
                    "name the accounts, roles or services that need access, or add a condition on `aws:PrincipalOrgID`, `aws:SourceArn` or `aws:SourceAccount`",
                )
            } else {
                (
                    format!(
                        "principal `{text}` has a wildcard account: anyone who makes a matching principal in their own AWS account {matching_can}"
                    ),
                    "name the account (AWS does not support wildcards inside principal ARNs), or use `*` with a condition on `aws:PrincipalOrgID`",
                )
            };
            let mut violation = Violation::new(first.value.at, message)
                .help(help)
                .address(policy.address.as_deref())
                .pointer(&first.value.pointer);
            for other in anyone {
                violation = violation.label(other.value.at, "also any account");
            }
            for condition in &statement.conditions {
                if let Some(why) = why_not(statement, condition) {
                    violation = violation.label(condition.at, why);
                }
            }
            out.push(violation);
        }
    }

    /// `aws_lambda_permission` is a statement of the function's resource policy written as a
    /// resource: `principal = "*"` with nothing naming the caller.
    fn check_module(&self, ctx: &Context<'_>, module: &Module, out: &mut Vec<Violation>) {
        let resolver = &ctx.semantic.resolver;
        for block in module.resources("aws_lambda_permission") {
            let Some(principal) = block.body.attribute("principal") else { continue };
            let resolved = resolver.resolve(&principal.value);
            if resolved.as_str() != Some("*") {
                continue;
            }
            // A limit known only at apply may name the caller; `null` does not.
            let limited = LAMBDA_LIMITS.iter().any(|name| {
                block.body.attribute(name).is_some_and(|a| resolver.resolve(&a.value).value.kind != ValueKind::Null)
            });
            if limited {
                continue;
            }
            let text = |name: &str| {
                block.body.attribute(name).and_then(|a| resolver.resolve(&a.value).as_str().map(str::to_string))
            };
            let action = text("action").unwrap_or_else(|| "lambda:InvokeFunction".into());
            let public_url = action.eq_ignore_ascii_case("lambda:InvokeFunctionUrl")
                && text("function_url_auth_type").as_deref() == Some("NONE");
            let (message, help) = if public_url {
                (
                    format!(
                        "`principal = \"*\"` with `function_url_auth_type = \"NONE\"`: anyone on the internet can call the function's URL (`{action}`), unsigned"
                    ),
                    "use `function_url_auth_type = \"AWS_IAM\"` and grant the callers; if the function is meant to be public, suppress this finding with the reason",
                )
            } else {
                (
                    format!(
                        "`principal = \"*\"` with no `source_arn`, `source_account` or `principal_org_id`: anyone in any AWS account can call `{action}` on this function"
                    ),
                    "name the service or account that calls the function in `principal`, and the resource that triggers it in `source_arn` (with `source_account` for S3); or limit `*` with `principal_org_id`",
                )
            };
            let mut violation =
                Violation::new(principal.value.at, message).help(help).address(block.address().as_deref());
            if let Some((at, why)) = &resolved.origin {
                violation = violation.label(*at, why.clone());
            }
            out.push(violation);
        }
    }
}
