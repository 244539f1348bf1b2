//! The inputs of a module that become IAM policies. A caller passes a document (or statements)
//! in an argument, and the module makes a resource of it: `aws_iam_policy.this` from
//! `var.policy`. For a local module (`source = "./modules/x"`) this is read from its own code,
//! once, as the [`Sink`]s of its variables ([`Summary`], found with its policies by
//! `policies::of_module`); for the public registry modules, from [`REGISTRY`], a table read from
//! their `variables.tf`. The caller's argument is then read as a policy where it is written, in
//! the caller's module (with its locals and documents): findings point at it, and each step of the
//! way to the resource is related information.

use crate::model::module_source::{allowed_majors, registry_module};
use crate::model::{At, Attribute, Block, Body, Policy, PolicyKind, Value, ValueKind};
use crate::parse::policy::from_document_block;
use std::sync::Arc;

/// Steps kept from an input to its resource: a chain of modules deeper than this is not followed.
pub(super) const MAX_STEPS: usize = 8;

/// How an input holds a policy.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Shape {
    /// A document as JSON text: a string, a heredoc, `jsonencode({...})`, a document's `.json`.
    Document,
    /// A document as an object, which the module passes to `jsonencode`.
    Object,
    /// A list of documents (`source_policy_documents`), or a map of them.
    Documents,
    /// Statement objects in the shape of `aws_iam_policy_document`'s `statement` blocks
    /// (`actions`, `resources`, `principals = [{ type, identifiers }]`, `condition` or
    /// `conditions = [{ test, variable, values }]`): a list, or a map by statement id.
    Statements,
    /// Policy objects `{ statements = [...] }`: one, or a list of them (cloudposse `iam_policy`).
    Policies,
    /// Principal types to identifiers (`{ AWS = [...] }`): who may assume a role (cloudposse
    /// iam-role `principals`, with its `assume_role_actions` and `assume_role_conditions`).
    Principals,
    /// Each entry of a map or list of objects: its field (or, without one, the entry itself).
    Each(Option<String>, Box<Shape>),
    /// One field of an object.
    Field(String, Box<Shape>),
}

/// One step of the way from an input to the resource made from it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Step {
    /// Where.
    pub at: At,
    /// The module the step is in, as seen from the unit (`["module.app", "module.role"]`);
    /// empty for the unit's own code.
    pub path: Vec<String>,
    /// What happens there: a phrase whose subject is that module when `path` is not empty
    /// (`makes `aws_iam_policy.this` from `var.policy` here`), a sentence otherwise.
    pub what: String,
}

impl Step {
    /// The step as a label.
    pub fn label(&self) -> (At, String) {
        match self.path.as_slice() {
            [] => (self.at, self.what.clone()),
            path => (self.at, format!("`{}` {}", path.join("."), self.what)),
        }
    }

    /// The step as a caller of its module (`module "NAME"`) sees it.
    pub fn under(&self, call: &str) -> Step {
        let mut path = Vec::with_capacity(self.path.len() + 1);
        path.push(format!("module.{call}"));
        path.extend(self.path.iter().cloned());
        Step { at: self.at, path, what: self.what.clone() }
    }
}

/// A variable of a module that becomes (part of) a policy.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Sink {
    /// The variable: the argument a call gives.
    pub var: String,
    /// How the value holds the policy.
    pub shape: Shape,
    /// How the resource uses the policy.
    pub kind: PolicyKind,
    /// The resource that holds the policy, inside the module (`aws_iam_policy.this`,
    /// `module.role.aws_iam_role.this`).
    pub address: String,
    /// The steps from the variable to the resource.
    pub via: Vec<Step>,
}

/// What a module makes of its callers' arguments: the variables that become policies. Found
/// once per module, read by each module that calls it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Summary {
    /// One per variable, shape and kind (the first use found): the caller's value is then read
    /// once, however many resources the module makes from it.
    pub sinks: Vec<Sink>,
}

impl Summary {
    /// Adds a sink, unless one of the same variable, shape and kind is known.
    pub fn add(&mut self, sink: Sink) {
        let same = |s: &Sink| s.var == sink.var && s.shape == sink.shape && s.kind == sink.kind;
        if !self.sinks.iter().any(same) {
            self.sinks.push(sink);
        }
    }
}

/// When a registry module uses an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum When {
    /// Whenever it is given.
    Always,
    /// When another input is this literal boolean; `.2` is that input's default.
    Flag(&'static str, bool, bool),
    /// When another input is absent or `null`.
    Unset(&'static str),
}

/// How a registry module input holds a policy: the [`Shape`]s of the table, written as constants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Holds {
    /// [`Shape::Document`].
    Document,
    /// [`Shape::Documents`].
    Documents,
    /// [`Shape::Statements`].
    Statements,
    /// [`Shape::Policies`].
    Policies,
    /// [`Shape::Principals`].
    Principals,
    /// Statements in this field of each entry of a map of objects (node groups).
    EachStatements(&'static str),
    /// Statements in this field of one object (the `*_defaults` of node groups).
    FieldStatements(&'static str),
    /// A document in this field of each item of a list of objects.
    EachDocument(&'static str),
}

impl Holds {
    /// The shape it stands for.
    pub fn shape(self) -> Shape {
        let boxed = |shape| Box::new(shape);
        match self {
            Holds::Document => Shape::Document,
            Holds::Documents => Shape::Documents,
            Holds::Statements => Shape::Statements,
            Holds::Policies => Shape::Policies,
            Holds::Principals => Shape::Principals,
            Holds::EachStatements(f) => Shape::Each(Some(f.into()), boxed(Shape::Statements)),
            Holds::FieldStatements(f) => Shape::Field(f.into(), boxed(Shape::Statements)),
            Holds::EachDocument(f) => Shape::Each(Some(f.into()), boxed(Shape::Document)),
        }
    }
}

/// An input of a public registry module that becomes a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RegistryInput {
    /// The module's source as a call writes it in the registry form
    /// (`terraform-aws-modules/iam/aws//modules/iam-policy`).
    pub source: &'static str,
    /// The input.
    pub input: &'static str,
    /// How it holds the policy.
    pub holds: Holds,
    /// How the module uses the policy.
    pub kind: PolicyKind,
    /// The resource the module makes from it, inside the module.
    pub resource: &'static str,
    /// When the module uses it.
    pub when: When,
    /// The first major version with the input (`0`: every version read).
    pub since: u64,
}

/// A row of [`REGISTRY`].
const fn input(
    source: &'static str,
    input: &'static str,
    holds: Holds,
    kind: PolicyKind,
    resource: &'static str,
    when: When,
    since: u64,
) -> RegistryInput {
    RegistryInput { source, input, holds, kind, resource, when, since }
}

/// Every registry module input that becomes a policy, read from the modules' own
/// `variables.tf` (the input and its type) and `main.tf` (the resource it ends in, and when it is
/// used) at these releases:
///
/// | repository | releases read |
/// |---|---|
/// | terraform-aws-modules/terraform-aws-iam | v6.5.0 (981121b), v5.60.0 |
/// | terraform-aws-modules/terraform-aws-eks | v21.19.0 (bef29c4), v21.0.0, v20.37.2, v20.0.0, v19.21.0, v18.31.2 |
/// | terraform-aws-modules/terraform-aws-sns | v7.1.0 (8df4ec0), v6.2.1, v5.4.0 |
/// | cloudposse/terraform-aws-iam-role | 1033fc3 (after v1.0.0), v0.23.0, 0.16.0, 0.13.0 |
/// | cloudposse/terraform-aws-iam-policy | 2.0.2 (da0f7c6), 1.0.0, 0.4.0, 0.2.0 |
///
/// Statement objects: iam v5, eks v20 and cloudposse read `conditions`; iam v6, eks v21 and sns
/// v7 read `condition`; both are read. The eks statement inputs came in v20 (node groups, Fargate,
/// Karpenter, hybrid nodes) and v21 (Karpenter's queue and assume-role documents,
/// capabilities); eks v21 dropped the `*_defaults`. Inputs that are ARNs of managed policies
/// (`policies`, `iam_role_additional_policies`, `managed_policy_arns`) are not documents and are
/// not here.
#[rustfmt::skip]
pub(crate) const REGISTRY: &[RegistryInput] = {
    use Holds::{Document, Documents, EachDocument, EachStatements, FieldStatements, Policies, Principals, Statements};
    use PolicyKind::{Identity, Resource, Trust};
    use When::{Always, Flag, Unset};
    &[
        // terraform-aws-modules/iam: v5 and v6.
        input("terraform-aws-modules/iam/aws//modules/iam-policy", "policy", Document, Identity, "aws_iam_policy.policy", Always, 0),
        // v6.
        input("terraform-aws-modules/iam/aws//modules/iam-role", "trust_policy_permissions", Statements, Trust, "aws_iam_role.this", Always, 0),
        input("terraform-aws-modules/iam/aws//modules/iam-role", "inline_policy_permissions", Statements, Identity, "aws_iam_role_policy.inline", Always, 0),
        input("terraform-aws-modules/iam/aws//modules/iam-role", "source_inline_policy_documents", Documents, Identity, "aws_iam_role_policy.inline", Always, 0),
        input("terraform-aws-modules/iam/aws//modules/iam-role", "override_inline_policy_documents", Documents, Identity, "aws_iam_role_policy.inline", Always, 0),
        input("terraform-aws-modules/iam/aws//modules/iam-user", "inline_policy_permissions", Statements, Identity, "aws_iam_user_policy.inline", Always, 0),
        input("terraform-aws-modules/iam/aws//modules/iam-user", "source_inline_policy_documents", Documents, Identity, "aws_iam_user_policy.inline", Always, 0),
        input("terraform-aws-modules/iam/aws//modules/iam-user", "override_inline_policy_documents", Documents, Identity, "aws_iam_user_policy.inline", Always, 0),
        input("terraform-aws-modules/iam/aws//modules/iam-group", "permissions", Statements, Identity, "aws_iam_policy.this", Always, 0),
        input("terraform-aws-modules/iam/aws//modules/iam-read-only-policy", "source_inline_policy_documents", Documents, Identity, "aws_iam_policy.policy", Always, 0),
        input("terraform-aws-modules/iam/aws//modules/iam-read-only-policy", "override_inline_policy_documents", Documents, Identity, "aws_iam_policy.policy", Always, 0),
        input("terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts", "permissions", Statements, Identity, "aws_iam_policy.this", Always, 0),
        input("terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts", "source_policy_documents", Documents, Identity, "aws_iam_policy.this", Always, 0),
        input("terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts", "override_policy_documents", Documents, Identity, "aws_iam_policy.this", Always, 0),
        input("terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts", "inline_policy_permissions", Statements, Identity, "aws_iam_role_policy.inline", Always, 0),
        input("terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts", "source_inline_policy_documents", Documents, Identity, "aws_iam_role_policy.inline", Always, 0),
        input("terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts", "override_inline_policy_documents", Documents, Identity, "aws_iam_role_policy.inline", Always, 0),
        // v5: the custom trust policy only with `create_custom_role_trust_policy = true`.
        input("terraform-aws-modules/iam/aws//modules/iam-assumable-role", "custom_role_trust_policy", Document, Trust, "aws_iam_role.this", Flag("create_custom_role_trust_policy", true, false), 0),
        input("terraform-aws-modules/iam/aws//modules/iam-assumable-role", "inline_policy_statements", Statements, Identity, "aws_iam_role_policy.inline", Always, 0),
        input("terraform-aws-modules/iam/aws//modules/iam-assumable-role-with-oidc", "inline_policy_statements", Statements, Identity, "aws_iam_role_policy.inline", Always, 0),
        input("terraform-aws-modules/iam/aws//modules/iam-group-with-policies", "custom_group_policies", EachDocument("policy"), Identity, "aws_iam_policy.custom", Always, 0),
        // terraform-aws-modules/eks: the cluster's KMS key policy (v18 on) and the IAM role
        // policies of node groups, in the root module's maps and their v20 defaults.
        input("terraform-aws-modules/eks/aws", "kms_key_source_policy_documents", Documents, Resource, "module.kms.aws_kms_key.this", Always, 0),
        input("terraform-aws-modules/eks/aws", "kms_key_override_policy_documents", Documents, Resource, "module.kms.aws_kms_key.this", Always, 0),
        input("terraform-aws-modules/eks/aws", "eks_managed_node_groups", EachStatements("iam_role_policy_statements"), Identity, "module.eks_managed_node_group.aws_iam_role_policy.this", Always, 20),
        input("terraform-aws-modules/eks/aws", "self_managed_node_groups", EachStatements("iam_role_policy_statements"), Identity, "module.self_managed_node_group.aws_iam_role_policy.this", Always, 20),
        input("terraform-aws-modules/eks/aws", "fargate_profiles", EachStatements("iam_role_policy_statements"), Identity, "module.fargate_profile.aws_iam_role_policy.this", Always, 20),
        input("terraform-aws-modules/eks/aws", "eks_managed_node_group_defaults", FieldStatements("iam_role_policy_statements"), Identity, "module.eks_managed_node_group.aws_iam_role_policy.this", Always, 20),
        input("terraform-aws-modules/eks/aws", "self_managed_node_group_defaults", FieldStatements("iam_role_policy_statements"), Identity, "module.self_managed_node_group.aws_iam_role_policy.this", Always, 20),
        input("terraform-aws-modules/eks/aws", "fargate_profile_defaults", FieldStatements("iam_role_policy_statements"), Identity, "module.fargate_profile.aws_iam_role_policy.this", Always, 20),
        input("terraform-aws-modules/eks/aws//modules/eks-managed-node-group", "iam_role_policy_statements", Statements, Identity, "aws_iam_role_policy.this", Always, 20),
        input("terraform-aws-modules/eks/aws//modules/self-managed-node-group", "iam_role_policy_statements", Statements, Identity, "aws_iam_role_policy.this", Always, 20),
        input("terraform-aws-modules/eks/aws//modules/fargate-profile", "iam_role_policy_statements", Statements, Identity, "aws_iam_role_policy.this", Always, 20),
        input("terraform-aws-modules/eks/aws//modules/karpenter", "iam_policy_statements", Statements, Identity, "aws_iam_role_policy.controller", Always, 20),
        input("terraform-aws-modules/eks/aws//modules/karpenter", "queue_policy_statements", Statements, Resource, "aws_sqs_queue_policy.this", Always, 21),
        input("terraform-aws-modules/eks/aws//modules/karpenter", "iam_role_source_assume_policy_documents", Documents, Trust, "aws_iam_role.controller", Always, 21),
        input("terraform-aws-modules/eks/aws//modules/karpenter", "iam_role_override_assume_policy_documents", Documents, Trust, "aws_iam_role.controller", Always, 21),
        input("terraform-aws-modules/eks/aws//modules/hybrid-node-role", "policy_statements", Statements, Identity, "aws_iam_policy.this", Always, 20),
        input("terraform-aws-modules/eks/aws//modules/hybrid-node-role", "intermediate_policy_statements", Statements, Identity, "aws_iam_policy.intermediate", Always, 20),
        input("terraform-aws-modules/eks/aws//modules/capability", "iam_policy_statements", Statements, Identity, "aws_iam_policy.this", Always, 21),
        input("terraform-aws-modules/eks/aws//modules/capability", "iam_role_source_assume_policy_documents", Documents, Trust, "aws_iam_role.this", Always, 21),
        input("terraform-aws-modules/eks/aws//modules/capability", "iam_role_override_assume_policy_documents", Documents, Trust, "aws_iam_role.this", Always, 21),
        // terraform-aws-modules/sns v5 to v7: `topic_policy` only without the module's own
        // policy (`create_topic_policy = false`).
        input("terraform-aws-modules/sns/aws", "topic_policy", Document, Resource, "aws_sns_topic.this", Flag("create_topic_policy", false, true), 0),
        input("terraform-aws-modules/sns/aws", "topic_policy_statements", Statements, Resource, "aws_sns_topic_policy.this", Always, 0),
        input("terraform-aws-modules/sns/aws", "source_topic_policy_documents", Documents, Resource, "aws_sns_topic_policy.this", Always, 0),
        input("terraform-aws-modules/sns/aws", "override_topic_policy_documents", Documents, Resource, "aws_sns_topic_policy.this", Always, 0),
        // cloudposse/iam-role: `principals` (with `assume_role_actions` and
        // `assume_role_conditions`) unless the whole `assume_role_policy` is given.
        input("cloudposse/iam-role/aws", "policy_documents", Documents, Identity, "aws_iam_policy.default", Always, 0),
        input("cloudposse/iam-role/aws", "assume_role_policy", Document, Trust, "aws_iam_role.default", Always, 0),
        input("cloudposse/iam-role/aws", "principals", Principals, Trust, "aws_iam_role.default", Unset("assume_role_policy"), 0),
        // cloudposse/iam-policy: `iam_policy` (1.x one object, 2.x a list), the deprecated
        // `iam_policy_statements` (a list or a map), `iam_source_json` (0.2).
        input("cloudposse/iam-policy/aws", "iam_policy", Policies, Identity, "aws_iam_policy.default", Always, 0),
        input("cloudposse/iam-policy/aws", "iam_policy_statements", Statements, Identity, "aws_iam_policy.default", Always, 0),
        input("cloudposse/iam-policy/aws", "iam_source_policy_documents", Documents, Identity, "aws_iam_policy.default", Always, 0),
        input("cloudposse/iam-policy/aws", "iam_override_policy_documents", Documents, Identity, "aws_iam_policy.default", Always, 0),
        input("cloudposse/iam-policy/aws", "iam_source_json", Document, Identity, "aws_iam_policy.default", Always, 0),
    ]
};

/// The inputs of a registry module call that become policies, and the module's name for
/// messages (`terraform-aws-modules/iam//modules/iam-policy`): those the call's source, version
/// and other inputs say the module uses.
pub(crate) fn registry_inputs(call: &Block) -> (String, Vec<&'static RegistryInput>) {
    let source = call.body.attribute("source").and_then(|a| a.value.as_str()).unwrap_or_default();
    let Some((module, submodule)) = registry_module(source) else { return (String::new(), Vec::new()) };
    let name = match &submodule {
        Some(sub) => format!("{}//{sub}", module.trim_end_matches("/aws")),
        None => module.trim_end_matches("/aws").to_string(),
    };
    let wanted = match &submodule {
        Some(sub) => format!("{module}//{sub}"),
        None => module.to_string(),
    };
    let inputs = REGISTRY
        .iter()
        .filter(|i| i.source == wanted)
        .filter(|i| i.since == 0 || allowed_majors(call, &[i.since - 1, i.since]).contains(&i.since))
        .filter(|i| used(call, i.when))
        .collect();
    (name, inputs)
}

/// Whether the inputs of `call` say the module uses an input: only literal values count.
fn used(call: &Block, when: When) -> bool {
    match when {
        When::Always => true,
        When::Flag(name, wanted, default) => match call.body.attribute(name) {
            None => default == wanted,
            Some(attr) => attr.value.as_bool() == Some(wanted),
        },
        When::Unset(name) => call.body.attribute(name).is_none_or(|a| a.value.kind == ValueKind::Null),
    }
}

/// The items of a list, or the values of a map (a map of statements is keyed by statement id).
pub(crate) fn items(value: &Value) -> Vec<&Value> {
    match &value.kind {
        ValueKind::List(items) => items.iter().collect(),
        ValueKind::Object(entries) => entries.iter().map(|e| &e.value).collect(),
        _ => Vec::new(),
    }
}

/// The policy a module renders from statement objects: each object read as the `statement`
/// block it becomes, at its place in the caller's code. `None` when no item is a statement
/// object written out; an object with `principals` or a condition list not written out is
/// skipped (who it lets in is not known before apply).
pub(crate) fn statements_policy(statements: &[&Value], kind: PolicyKind, at: At) -> Option<Policy> {
    let blocks: Vec<Block> = statements.iter().filter_map(|s| statement_block(s)).collect();
    document(blocks, kind, at)
}

/// A trust policy made of principal types and identifiers (cloudposse iam-role `principals`),
/// one statement per type, with the call's `assume_role_actions` (the module's default
/// `sts:AssumeRole`, `sts:TagSession` when absent) and `assume_role_conditions`.
pub(crate) fn principals_policy(call: Option<&Block>, principals: &Value) -> Option<Policy> {
    let entries = principals.as_object()?;
    let input = |name: &str| call.and_then(|c| c.body.attribute(name)).map(|a| &a.value);
    let default_actions = || {
        let action = |text: &str| Value::new(principals.at, ValueKind::String(text.into()));
        Value::new(principals.at, ValueKind::List(Arc::new(vec![action("sts:AssumeRole"), action("sts:TagSession")])))
    };
    let actions = input("assume_role_actions").cloned().unwrap_or_else(default_actions);
    let conditions = match input("assume_role_conditions") {
        None => Vec::new(),
        Some(v) => match &v.kind {
            ValueKind::List(items) => items.iter().filter_map(|c| nested("condition", c)).collect(),
            ValueKind::Null => Vec::new(),
            _ => return None,
        },
    };
    let mut blocks = Vec::new();
    for entry in entries {
        let kind = Value::new(entry.key_at, ValueKind::String(entry.key.to_string()));
        let principal = block(
            "principals",
            entry.key_at,
            vec![attribute("type", kind), attribute("identifiers", entry.value.clone())],
            Vec::new(),
        );
        let mut body = vec![principal];
        body.extend(conditions.iter().cloned());
        let at =
            At::new(entry.key_at.source, crate::source::Span::new(entry.key_at.span.start, entry.value.at.span.end));
        blocks.push(block("statement", at, vec![attribute("actions", actions.clone())], body));
    }
    document(blocks, PolicyKind::Trust, principals.at)
}

/// A document of `statement` blocks, read as `aws_iam_policy_document` reads them.
fn document(statements: Vec<Block>, kind: PolicyKind, at: At) -> Option<Policy> {
    if statements.is_empty() {
        return None;
    }
    let document = Block {
        ident: "data".into(),
        labels: vec!["aws_iam_policy_document".into(), "input".into()],
        at,
        header: at,
        body: Body { attributes: Vec::new(), blocks: statements },
        full_address: None,
    };
    let mut policy = from_document_block(&document, kind, &|_| None);
    policy.address = None;
    Some(policy)
}

/// A statement object as the `statement` block the module makes of it: `null` fields are absent,
/// unknown keys are ignored (a typed input drops them, an `any` input ignores them).
fn statement_block(value: &Value) -> Option<Block> {
    let entries = value.as_object()?;
    let (mut attributes, mut blocks) = (Vec::new(), Vec::new());
    for entry in entries.iter().filter(|e| e.value.kind != ValueKind::Null) {
        match entry.key.as_str() {
            name @ ("sid" | "effect" | "actions" | "not_actions" | "resources" | "not_resources") => {
                attributes.push(Attribute {
                    name: name.into(),
                    at: entry.value.at,
                    key_at: entry.key_at,
                    value: strings(&entry.value),
                });
            }
            ident @ ("principals" | "not_principals" | "condition" | "conditions") => {
                let ValueKind::List(items) = &entry.value.kind else { return None };
                let ident = if ident.starts_with("condition") { "condition" } else { ident };
                blocks.extend(items.iter().filter_map(|item| nested(ident, item)));
            }
            _ => {}
        }
    }
    Some(block("statement", value.at, attributes, blocks))
}

/// A `principals` (`{ type, identifiers }`) or `condition` (`{ test, variable, values }`) object
/// as its block.
fn nested(ident: &str, value: &Value) -> Option<Block> {
    let entries = value.as_object()?;
    let attributes = entries
        .iter()
        .map(|e| Attribute { name: e.key.to_string(), at: e.value.at, key_at: e.key_at, value: strings(&e.value) })
        .collect();
    Some(block(ident, value.at, attributes, Vec::new()))
}

/// A value as an input of type `string` or `list(string)` holds it: Terraform converts numbers
/// and booleans to strings (`values = [86400]` is `["86400"]`).
fn strings(value: &Value) -> Value {
    match &value.kind {
        ValueKind::Number(n) => Value::new(value.at, ValueKind::String(n.to_string())),
        ValueKind::Bool(b) => Value::new(value.at, ValueKind::String(b.to_string())),
        ValueKind::List(items) if items.iter().any(|i| matches!(i.kind, ValueKind::Number(_) | ValueKind::Bool(_))) => {
            Value::new(value.at, ValueKind::List(Arc::new(items.iter().map(strings).collect())))
        }
        _ => value.clone(),
    }
}

fn attribute(name: &str, value: Value) -> Attribute {
    Attribute { name: name.into(), at: value.at, key_at: value.at, value }
}

fn block(ident: &str, at: At, attributes: Vec<Attribute>, blocks: Vec<Block>) -> Block {
    Block {
        ident: ident.into(),
        labels: Vec::new(),
        at,
        header: at,
        body: Body { attributes, blocks },
        full_address: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_registry_input_names_a_known_module_once() {
        for (i, input) in REGISTRY.iter().enumerate() {
            let (module, submodule) = registry_module(input.source).unwrap();
            let written = submodule.map_or(module.to_string(), |s| format!("{module}//{s}"));
            assert_eq!(written, input.source);
            let twice = REGISTRY.iter().skip(i + 1).any(|o| (o.source, o.input) == (input.source, input.input));
            assert!(!twice, "{} {} twice", input.source, input.input);
        }
    }
}
