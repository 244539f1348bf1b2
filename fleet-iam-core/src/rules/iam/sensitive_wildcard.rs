use super::helpers::{approx, delegates_key_to_iam, list_first, literal};
use crate::diagnostic::Finding;
use crate::iam::actions::{expand, is_every_action, is_kms_cryptographic, service_wildcard};
use crate::iam::catalogue::AccessLevel;
use crate::model::{Policy, PolicyKind, Statement};
use crate::rule::{Context, Rule, Violation, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds `Allow` statements with a partial action wildcard (`"iam:Put*"`, `"s3:*Object"`,
    /// `"*:Delete*"`) that matches Write, Permissions management or Tagging actions in an
    /// identity policy. In a resource policy (a key, bucket, queue or topic policy) the actions
    /// apply to that resource only, and what matters is whether a wildcard lets the principals
    /// change who can use it: only a wildcard that matches Permissions management actions
    /// (`"kms:Put*"` reaches `kms:PutKeyPolicy`, `"kms:Create*"` reaches `kms:CreateGrant`) is
    /// reported there, so the key-user statement of AWS's default key policy (`"kms:ReEncrypt*"`,
    /// `"kms:GenerateDataKey*"`) is not, and neither is a key policy statement for the account's
    /// root (`"kms:Create*"`, `"kms:Put*"` for `arn:aws:iam::ACCOUNT:root`), which hands the key
    /// to the account's IAM policies as AWS's default key policy does. A key policy statement
    /// that manages the key and allows none of its cryptographic operations is the key
    /// administrators' statement, whose purpose is to change who may use the key: it is not
    /// reported either. AWS recommends separating key administrators from key users, and a
    /// statement that lets its principals both use the key and change who may use it (`"kms:Put*"`
    /// with `"kms:Decrypt"`) is reported. Who the administrators are is `iam-wildcard-principal`'s
    /// finding when it is anyone. Wildcards that match only List and Read actions
    /// (`"ec2:Describe*"`) are fine everywhere.
    ///
    /// Judged on the effective permission: an action that a `Deny` of the same document takes
    /// away (on every resource of the statement, under every condition of it) is not reported;
    /// a `Deny` that covers only some actions or some resources leaves the rest reported.
    ///
    /// AWS managed policies attached by ARN are not judged here: whoever attaches one chose it
    /// by name and cannot rewrite its wildcards, and AWS's read-only policies (`ReadOnlyAccess`,
    /// `SecurityAudit`, `job-function/ViewOnlyAccess`) are made of `Get*`, `List*` and
    /// `Describe*` wildcards, a few of which match an action AWS classes as Write
    /// (`iot:ListSubscriptions`). What makes a managed policy broad (`*`, `svc:*`, `NotAction`,
    /// privilege escalation) is reported by those rules, at the ARN.
    ///
    /// ## Why is this bad?
    /// A partial wildcard looks narrow but grants every matching action, today and in future:
    /// `iam:Put*` includes `iam:PutRolePolicy` and `iam:PutUserPolicy`, which let the holder
    /// write itself any permission. The message lists what it really grants.
    ///
    /// ## Example
    /// ```hcl
    /// data "aws_iam_policy_document" "ci" {
    ///   statement {
    ///     actions   = ["iam:Put*"]
    ///     resources = ["arn:aws:iam::123456789012:role/ci-*"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// data "aws_iam_policy_document" "ci" {
    ///   statement {
    ///     actions   = ["ec2:Describe*", "iam:PutRolePolicy"]
    ///     resources = ["arn:aws:iam::123456789012:role/ci-deployer"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Options
    /// None.
    ///
    /// ## References
    /// - [Policy evaluation logic: an explicit deny overrides an allow](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)
    /// - [IAM JSON policy elements: Action](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html)
    /// - [Access levels in policy summaries](https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_understand-policy-summary-access-level-summaries.html)
    /// - [AWS KMS: separate key administrators from key users (RBAC)](https://docs.aws.amazon.com/kms/latest/developerguide/rbac.html)
    /// - [AWS KMS: cryptographic operations](https://docs.aws.amazon.com/kms/latest/developerguide/kms-cryptography.html#cryptographic-operations)
    pub struct IamSensitiveWildcard {}
    id: "iam-sensitive-wildcard", finding: Some(Finding::H5), summary: "a partial action wildcard that matches Write or Permissions management actions",
}

/// Whether a statement allows a KMS cryptographic operation (`kms:Decrypt`, `kms:ReEncrypt*`):
/// its principals use the key.
fn uses_key(statement: &Statement) -> bool {
    statement.granted_actions().any(|e| match literal(e) {
        Some(text) => expand(text).iter().any(|a| is_kms_cryptographic(a)),
        // Known only at apply time: it may.
        None => true,
    })
}

impl Rule for IamSensitiveWildcard {
    fn check_policy(&self, _ctx: &Context<'_>, policy: &Policy, out: &mut Vec<Violation>) {
        if policy.managed.is_some() {
            return;
        }
        let identity = policy.kind == PolicyKind::Identity;
        for statement in policy.statements.iter().filter(|s| s.grants()) {
            for element in statement.granted_actions() {
                let Some(text) = literal(element) else {
                    continue;
                };
                if !text.contains(['*', '?']) || is_every_action(text) || service_wildcard(text).is_some() {
                    continue;
                }
                let prefix = text.split(':').next().unwrap_or_default();
                if delegates_key_to_iam(policy, statement, prefix) {
                    continue;
                }
                // A key policy's administrators (a statement that manages the key and uses it
                // for nothing) are meant to change who may use it: AWS's separation of key
                // administrators from key users.
                if !identity && prefix.eq_ignore_ascii_case("kms") && !uses_key(statement) {
                    continue;
                }
                let matched = expand(text);
                // In a resource or trust policy, what changes who can use the resource.
                let sensitive = |level: AccessLevel| {
                    if identity { level.is_write_or_permissions() } else { level == AccessLevel::PermissionsManagement }
                };
                let writes: Vec<String> =
                    matched.iter().filter(|a| sensitive(a.level)).take(4).map(|a| a.to_string()).collect();
                if writes.is_empty() {
                    continue;
                }
                let write_count = matched.iter().filter(|a| sensitive(a.level)).count();
                let message = if identity {
                    format!(
                        "`{text}` matches {} {}, {} of them Write, Permissions management or Tagging: {}",
                        approx(matched.len()),
                        if matched.len() == 1 { "action" } else { "actions" },
                        approx(write_count),
                        list_first(&writes, write_count)
                    )
                } else {
                    format!(
                        "`{text}` matches {} {}, {} of them Permissions management: {}; in this {} policy they let the principals change who can use this resource",
                        approx(matched.len()),
                        if matched.len() == 1 { "action" } else { "actions" },
                        approx(write_count),
                        list_first(&writes, write_count),
                        policy.kind.as_str()
                    )
                };
                out.push(
                    Violation::new(element.at, message)
                        .help("list the actions by name, so that the policy grants only what it says")
                        .address(policy.address.as_deref())
                        .pointer(&element.pointer),
                );
            }
        }
    }
}
