use super::helpers::{approx, delegates_key_to_iam, grantee, literal};
use crate::diagnostic::Finding;
use crate::iam::actions::service_wildcard;
use crate::iam::catalogue::{AccessLevel, LevelCounts, catalogue};
use crate::model::{Policy, PolicyKind};
use crate::rule::{Context, Rule, Violation, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds `Allow` statements with a whole-service wildcard such as `"eks:*"`, `"ec2:*"` or
    /// `"iam:*"`, and says what it grants for the kind of policy it is in. In an identity policy
    /// the message counts the service's actions by access level, from the AWS Service
    /// Authorization Reference. In a resource policy (a bucket, queue, topic or key policy) the
    /// wildcard covers only the resource the policy is attached to: the message says so, and
    /// that the principals it names may change the resource's permissions.
    ///
    /// Not reported: `kms:*` for the account root in a key policy, the statement of AWS's
    /// default key policy, which hands the key's access control to IAM policies. Who a resource
    /// policy lets in is `iam-wildcard-principal`'s finding.
    ///
    /// Judged on the effective permission: an action that a `Deny` of the same document takes
    /// away (on every resource of the statement, under every condition of it) is not reported;
    /// a `Deny` that covers only some actions or some resources leaves the rest reported.
    ///
    /// AWS managed policies attached by ARN (`IAMFullAccess`, `AmazonS3FullAccess`) are judged by
    /// their documents and reported at the ARN.
    ///
    /// ## Why is this bad?
    /// `svc:*` grants every action of the service: the destructive ones (`eks:DeleteCluster`),
    /// the ones that change who can do what (`iam:*` lets the holder grant itself anything), and
    /// every action AWS adds to the service later. A CI role rarely needs more than a handful.
    ///
    /// ## Example
    /// ```hcl
    /// data "aws_iam_policy_document" "deploy" {
    ///   statement {
    ///     actions   = ["eks:*"]
    ///     resources = ["*"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// data "aws_iam_policy_document" "deploy" {
    ///   statement {
    ///     actions   = ["eks:DescribeCluster", "eks:ListClusters"]
    ///     resources = ["arn:aws:eks:eu-west-1:123456789012:cluster/platform"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Options
    /// - `allow`: service wildcards a team accepts, e.g. `allow = ["logs:*"]`.
    ///
    /// ## References
    /// - [Policy evaluation logic: an explicit deny overrides an allow](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)
    /// - [AWS Service Authorization Reference](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    /// - [Security best practices in IAM: grant least privilege](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
    pub struct IamServiceWildcard {
        /// Service wildcards that are accepted (`logs:*`), matched case-insensitively.
        allow: Vec<String>,
    }
    id: "iam-service-wildcard", finding: Some(Finding::H5), summary: "an Allow statement with a whole-service wildcard such as \"eks:*\"",
}

impl Rule for IamServiceWildcard {
    fn check_policy(&self, _ctx: &Context<'_>, policy: &Policy, out: &mut Vec<Violation>) {
        for statement in policy.statements.iter().filter(|s| s.grants()) {
            for element in statement.granted_actions() {
                let Some(text) = literal(element) else {
                    continue;
                };
                let Some(prefix) = service_wildcard(text) else {
                    continue;
                };
                if self.allow.iter().any(|a| a.eq_ignore_ascii_case(text)) {
                    continue;
                }
                if delegates_key_to_iam(policy, statement, prefix) {
                    continue;
                }
                // An unknown service is `iam-unknown-action`'s finding.
                let Some(service) = catalogue().service(prefix) else {
                    continue;
                };
                let counts = LevelCounts::from_actions(catalogue().actions(prefix));
                let writes = counts.write_or_permissions();
                let permissions = counts.count(AccessLevel::PermissionsManagement);
                let mut message = match policy.kind {
                    PolicyKind::Identity => format!(
                        "`{text}` allows all {} {} actions, {} of them Write",
                        approx(counts.total()),
                        service.short_name,
                        approx(writes)
                    ),
                    kind => format!(
                        "`{text}` in a {} policy allows {} every {} action on this resource",
                        kind.as_str(),
                        grantee(kind),
                        service.short_name
                    ),
                };
                match (policy.kind, permissions > 0) {
                    (PolicyKind::Identity, true) => message.push_str(&format!(
                        " or Permissions management ({} can change permissions), including any the service adds later",
                        approx(permissions)
                    )),
                    (PolicyKind::Identity, false) => message.push_str(", including any the service adds later"),
                    (_, true) => {
                        message.push_str(", including those that change who can use it and any the service adds later")
                    }
                    (_, false) => message.push_str(", including any the service adds later"),
                }
                let read_only: Vec<String> = ["Describe*", "Get*", "List*"]
                    .iter()
                    .map(|p| format!("{}:{p}", service.prefix))
                    .filter(|p| {
                        let mut matched = catalogue().expand(p).peekable();
                        matched.peek().is_some() && matched.all(|a| a.level.is_read_only())
                    })
                    .map(|p| format!("`{p}`"))
                    .collect();
                let example = if read_only.is_empty() {
                    String::new()
                } else {
                    format!(" ({} for read-only access)", read_only.join(", "))
                };
                out.push(
                    Violation::new(element.at, message)
                        .help(format!(
                            "list the {} actions {} needs{example}, or accept this wildcard with \
                             `allow = [\"{}:*\"]` for this rule in fleet-iam.toml",
                            service.short_name,
                            if policy.kind == PolicyKind::Identity { "this principal" } else { "each principal" },
                            service.prefix
                        ))
                        .address(policy.address.as_deref())
                        .pointer(&element.pointer),
                );
            }
        }
    }
}
