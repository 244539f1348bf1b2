//! IAM policies, the same shape wherever they were written, every element located.

use super::value::At;

/// How a policy is used, which decides which elements it may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PolicyKind {
    /// Attached to a user, group or role: no `Principal`.
    Identity,
    /// A role's `assume_role_policy`: who may assume the role; no `Resource`.
    Trust,
    /// Attached to a resource (bucket, queue, key...): has a `Principal`.
    Resource,
}

impl PolicyKind {
    /// A lowercase name for messages.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyKind::Identity => "identity",
            PolicyKind::Trust => "trust",
            PolicyKind::Resource => "resource",
        }
    }
}

/// A policy document.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// How the policy is used.
    pub kind: PolicyKind,
    /// The whole document.
    pub at: At,
    /// The Terraform address of the block that holds it, if any.
    pub address: Option<String>,
    /// The statements that could be read.
    pub statements: Vec<Statement>,
    /// What makes the document invalid, found while reading it.
    pub problems: Vec<Problem>,
    /// How the document reaches the resource that uses it, when that is not where it is written:
    /// each step's place and what happens there (it is passed to a module as an input, the module
    /// makes a resource from that input). Every finding on the policy shows these as related
    /// information; rules need not read them.
    pub via: Vec<(At, String)>,
    /// The AWS managed policy this is, when it was attached by ARN: its document is AWS's, and
    /// every element of it is located at the ARN that attaches it.
    pub managed: Option<AwsManaged>,
}

/// An AWS managed policy attached by ARN (`arn:aws:iam::aws:policy/AdministratorAccess`).
#[derive(Debug, Clone, PartialEq)]
pub struct AwsManaged {
    /// Its name (`AdministratorAccess`).
    pub name: String,
    /// Its ARN in the commercial partition.
    pub arn: String,
    /// The argument that attaches it (`policy_arn = var.admin`), which may be elsewhere than the
    /// ARN (a variable's default, a local).
    pub attached_at: At,
}

/// Something that makes a policy invalid.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Where.
    pub at: At,
    /// JSON pointer of the offending element.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Effect {
    /// Grants.
    Allow,
    /// Refuses, whatever else allows.
    Deny,
}

/// One statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// The whole statement.
    pub at: At,
    /// Its JSON pointer (`/Statement/0`).
    pub pointer: String,
    /// `Sid`, if literal.
    pub sid: Option<String>,
    /// `Effect`; `None` when missing, invalid or not known statically.
    pub effect: Option<Effect>,
    /// `Action`.
    pub action: Option<Elements>,
    /// `NotAction`.
    pub not_action: Option<Elements>,
    /// `Resource`.
    pub resource: Option<Elements>,
    /// `NotResource`.
    pub not_resource: Option<Elements>,
    /// `Principal`.
    pub principal: Option<Vec<Principal>>,
    /// `NotPrincipal`.
    pub not_principal: Option<Vec<Principal>>,
    /// `Condition`, flattened to one entry per operator and key.
    pub conditions: Vec<Condition>,
    /// Whether the statement is in the document for certain: `false` for one made by a
    /// `dynamic "statement"` block whose collection may be empty (`var.on ? [1] : []`, or a
    /// collection known only at apply).
    pub certain: bool,
    /// The indexes, ascending, of the `Action` items that a `Deny` of the same document takes away, on every
    /// resource and for every principal and condition of this statement (see
    /// [`super::deny::apply_denies`]). Empty for a `Deny` statement.
    pub denied: Vec<usize>,
}

impl Statement {
    /// Whether the statement certainly allows (`Effect` is literally `Allow`).
    pub fn allows(&self) -> bool {
        self.effect == Some(Effect::Allow)
    }

    /// Whether the statement allows something in effect: it allows, and a `Deny` of the same
    /// document does not take away every action of it. A `Deny` that takes away only some
    /// actions, or only on some resources, leaves the statement granting.
    pub fn grants(&self) -> bool {
        let actions = self.action.as_ref().map_or(0, |a| a.items.len());
        self.allows() && (actions == 0 || self.denied.len() < actions)
    }

    /// The literal actions of `Action`.
    pub fn actions(&self) -> impl Iterator<Item = &Element> {
        self.action.iter().flat_map(|e| e.items.iter())
    }

    /// The actions of `Action` no `Deny` of the same document takes away.
    pub fn granted_actions(&self) -> impl Iterator<Item = &Element> {
        self.actions().enumerate().filter(|(i, _)| self.denied.binary_search(i).is_err()).map(|(_, e)| e)
    }

    /// The literal resources of `Resource`.
    pub fn resources(&self) -> impl Iterator<Item = &Element> {
        self.resource.iter().flat_map(|e| e.items.iter())
    }

    /// Whether a condition pins one of these keys (compared case-insensitively, as AWS does;
    /// a key ending in `/` matches any key with that prefix) to real values: a positive
    /// operator (`StringEquals`, `StringLike`, `ArnEquals`, `ArnLike`, `IpAddress`, `Bool`...,
    /// also under `ForAnyValue:`/`ForAllValues:`), not `...IfExists`, not a negation, with at
    /// least one value and no value that is `"*"`. `Null` pins only a tag key, and only to
    /// `"false"`: `"aws:ResourceTag/team": "false"` requires the tag to be there, which is how
    /// attribute-based access control scopes a statement to the resources a workload tagged
    /// (AWS's Kubernetes controller policies do this); `Null` on any other key only says the key
    /// is present, whatever its value.
    pub fn has_limiting_condition(&self, keys: &[&str]) -> bool {
        self.conditions.iter().any(|c| {
            let (Some(key), Some(op)) = (&c.key, &c.operator) else { return false };
            let key = key.to_ascii_lowercase();
            let key_matches = keys.iter().any(|k| if k.ends_with('/') { key.starts_with(k) } else { key == *k });
            let op = op.to_ascii_lowercase();
            let op = op.trim_start_matches("foranyvalue:").trim_start_matches("forallvalues:");
            let positive = ["stringequals", "stringlike", "arnequals", "arnlike", "ipaddress", "bool", "numericequals"]
                .iter()
                .any(|p| op.starts_with(p))
                && !op.ends_with("ifexists");
            let tag_present = op == "null"
                && key.contains("tag/")
                && c.values.iter().all(|v| v.text.as_deref().is_some_and(|t| t.eq_ignore_ascii_case("false")));
            key_matches
                && (positive || tag_present)
                && !c.values.is_empty()
                && c.values.iter().all(|v| v.text.as_deref() != Some("*"))
        })
    }
}

/// A list of strings such as `Action` or `Resource` (a single string is a list of one).
#[derive(Debug, Clone, PartialEq)]
pub struct Elements {
    /// The whole value.
    pub at: At,
    /// Its JSON pointer.
    pub pointer: String,
    /// The items.
    pub items: Vec<Element>,
}

/// One string of a policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    /// The literal text, or `None` when it is only known at apply time (`var.x`, `${...}`).
    pub text: Option<String>,
    /// Where, quotes included.
    pub at: At,
    /// Its JSON pointer (`/Statement/0/Action/1`).
    pub pointer: String,
}

/// One principal: `"*"`, or a type (`AWS`, `Service`, `Federated`, `CanonicalUser`) and a value.
#[derive(Debug, Clone, PartialEq)]
pub struct Principal {
    /// `AWS`, `Service`, `Federated`, `CanonicalUser`, or `*` for `"Principal": "*"`.
    pub kind: String,
    /// The identifier.
    pub value: Element,
}

/// One condition key of one operator: `"StringEquals": {"aws:SourceAccount": "1234"}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The operator (`StringEquals`); `None` when it is known only at apply.
    pub operator: Option<String>,
    /// The key (`aws:SourceAccount`); `None` when it is known only at apply.
    pub key: Option<String>,
    /// Where the key is.
    pub at: At,
    /// The values.
    pub values: Vec<Element>,
}
