//! The AWS managed policies a module attaches (`policy_arn = "arn:aws:iam::aws:policy/
//! AdministratorAccess"`): each becomes a [`Policy`] of AWS's document, located at the ARN as
//! written, so that the rules judge what the attachment grants and report it there.
//!
//! Where the ARN is read: the `policy_arn` of `aws_iam_{role,user,group}_policy_attachment` and
//! `aws_iam_policy_attachment`, `managed_policy_arn` of `aws_ssoadmin_managed_policy_attachment`,
//! `managed_policy_arns` of `aws_iam_role`, `policy_arns` of the
//! `aws_iam_*_policy_attachments_exclusive` resources, and the attachment inputs of the
//! terraform-aws-modules iam and eks modules ([`MODULE_INPUTS`]). Values are followed as far as
//! they are written in the module: literals and templates, lists, map values, `local.x`,
//! `var.x` (its value for this check: tfvars, then the default), `each.value` of a literal
//! `for_each`, `element(list, ...)`, `toset`/`tolist`/`concat`, `${local.x}` / `${var.x}` inside
//! a template (`"${local.policy_prefix}/AdministratorAccess"`), and `data.aws_iam_policy.x.arn`
//! (its `arn`, or its `name`). The partition may be interpolated. What is not written out (a
//! `for` expression, a module output, a resource attribute) is not guessed.

use crate::iam::managed::{self, ManagedPolicy};
use crate::model::{At, AwsManaged, Block, Module, Policy, PolicyKind, Value, ValueKind};
use crate::parse::policy::from_value;

/// Resource types and their attributes that attach managed policies by ARN.
const ATTACHMENTS: &[(&str, &str)] = &[
    ("aws_iam_role_policy_attachment", "policy_arn"),
    ("aws_iam_user_policy_attachment", "policy_arn"),
    ("aws_iam_group_policy_attachment", "policy_arn"),
    ("aws_iam_policy_attachment", "policy_arn"),
    ("aws_ssoadmin_managed_policy_attachment", "managed_policy_arn"),
    ("aws_iam_role", "managed_policy_arns"),
    ("aws_iam_role_policy_attachments_exclusive", "policy_arns"),
    ("aws_iam_user_policy_attachments_exclusive", "policy_arns"),
    ("aws_iam_group_policy_attachments_exclusive", "policy_arns"),
];

/// Registry modules (a piece of their `source`) and their inputs that attach managed policies by
/// ARN, read from each module's `variables.tf`. terraform-aws-modules/iam v6: `policies` (a map)
/// of `iam-role`, `iam-user`, `iam-group`, `iam-role-for-service-accounts`; v5:
/// `custom_role_policy_arns` (`iam-assumable-role`), `role_policy_arns` (`-with-oidc`,
/// `-with-saml`, `iam-role-for-service-accounts-eks`, `iam-eks-role`), `policy_arns`
/// (`iam-user`), `custom_group_policy_arns` (`iam-group-with-policies`), `policies`
/// (`iam-github-oidc-role`); and [`MODULE_SWITCHES`].
/// terraform-aws-modules/eks: `iam_role_additional_policies` (cluster, node groups, Fargate
/// profiles, at the top or inside `*_node_groups` / `fargate_profiles` and their defaults) and
/// `node_iam_role_additional_policies` (v21, karpenter).
const MODULE_INPUTS: &[(&[&str], &[&str])] = &[
    (
        &["terraform-aws-modules/iam/aws", "terraform-aws-modules/terraform-aws-iam"],
        &["policies", "custom_role_policy_arns", "role_policy_arns", "policy_arns", "custom_group_policy_arns"],
    ),
    (
        &["terraform-aws-modules/eks/aws", "terraform-aws-modules/terraform-aws-eks"],
        &["iam_role_additional_policies", "node_iam_role_additional_policies"],
    ),
];

/// terraform-aws-modules/iam v5 switches that attach managed policies the module names by
/// default: the switch, the input that overrides the ARN(s), the default policy. In
/// `iam-assumable-role` (`attach_admin_policy = true`) and `iam-assumable-roles(-with-saml)`
/// (`create_admin_role = true`).
const MODULE_SWITCHES: &[(&str, &str, &str)] = &[
    ("attach_admin_policy", "admin_role_policy_arn", "AdministratorAccess"),
    ("attach_poweruser_policy", "poweruser_role_policy_arn", "PowerUserAccess"),
    ("attach_readonly_policy", "readonly_role_policy_arn", "ReadOnlyAccess"),
    ("create_admin_role", "admin_role_policy_arns", "AdministratorAccess"),
    ("create_poweruser_role", "poweruser_role_policy_arns", "PowerUserAccess"),
    ("create_readonly_role", "readonly_role_policy_arns", "ReadOnlyAccess"),
];

/// How deep values are followed (references, lists, nested objects).
const MAX_DEPTH: usize = 16;

/// How many values one attachment may visit: `a = [local.a, local.a]` must not explode.
const MAX_VALUES: usize = 10_000;

/// A managed policy, the value that names it, and the argument that attaches it.
type Found = (&'static ManagedPolicy, Value, At);

/// Adds to `out` a policy for each AWS managed policy the module attaches.
pub(super) fn attached(module: &Module, out: &mut Vec<Policy>) {
    for block in &module.blocks {
        let mut found = Vec::new();
        match (block.ident.as_str(), block.label(0)) {
            ("resource", Some(kind)) => {
                for (_, name) in ATTACHMENTS.iter().filter(|(t, _)| *t == kind) {
                    if let Some(attr) = block.body.attribute(name) {
                        Arns::new(module, Some(block), attr.at).follow(&attr.value, 0, &mut found);
                    }
                }
            }
            ("module", _) => module_inputs(module, block, &mut found),
            _ => {}
        }
        let address = block.address();
        for (policy, value, attached_at) in found {
            let mut read = from_value(&policy.document(value.at), PolicyKind::Identity, address.clone());
            read.managed = Some(AwsManaged { name: policy.name.to_string(), arn: policy.arn(), attached_at });
            out.push(read);
        }
    }
}

/// The managed policies a call of a registry module attaches through its inputs.
fn module_inputs(module: &Module, call: &Block, found: &mut Vec<Found>) {
    let Some(source) = call.body.attribute("source").and_then(|a| a.value.as_str()) else { return };
    let source = source.to_ascii_lowercase();
    let Some((sources, inputs)) = MODULE_INPUTS.iter().find(|(sources, _)| sources.iter().any(|s| source.contains(s)))
    else {
        return;
    };
    let eks = sources.contains(&"terraform-aws-modules/eks/aws");
    let mut arns = Arns::new(module, None, call.header);
    for attr in &call.body.attributes {
        arns.attached_at = attr.at;
        if inputs.contains(&attr.name.as_str()) {
            arns.follow(&attr.value, 0, found);
        } else if eks {
            // Node groups and Fargate profiles: maps of objects that carry the same inputs.
            arns.nested(&attr.value, inputs, 0, found);
        }
    }
    if eks {
        return;
    }
    for (switch, input, default) in MODULE_SWITCHES {
        let Some(attr) = call.body.attribute(switch) else { continue };
        arns.attached_at = attr.at;
        let mut on = Vec::new();
        arns.values(&attr.value, 0, &mut on);
        let Some(value) = on.into_iter().find(|v| v.as_bool() == Some(true)) else { continue };
        match call.body.attribute(input) {
            Some(arn) => arns.follow(&arn.value, 0, found),
            None => found.extend(managed::by_name(default).map(|policy| (policy, value, attr.at))),
        }
    }
}

/// Follows values to the managed policy ARNs written in a module.
struct Arns<'a> {
    module: &'a Module,
    /// The block whose attribute is followed, for `each.value`.
    block: Option<&'a Block>,
    /// The argument being followed: where the policies found are attached.
    attached_at: At,
    budget: usize,
}

impl<'a> Arns<'a> {
    fn new(module: &'a Module, block: Option<&'a Block>, attached_at: At) -> Arns<'a> {
        Arns { module, block, attached_at, budget: MAX_VALUES }
    }

    /// Adds the managed policies `value` names, each with the value that names it.
    fn follow(&mut self, value: &Value, depth: usize, found: &mut Vec<Found>) {
        let mut strings = Vec::new();
        self.values(value, depth, &mut strings);
        for value in strings {
            let text = match &value.kind {
                ValueKind::String(s) => s.clone(),
                ValueKind::Template(t) => self.substitute(t, 0),
                _ => continue,
            };
            if let Some(policy) = managed::from_arn(&text) {
                found.push((policy, value, self.attached_at));
            }
        }
    }

    /// Inputs named in `inputs` inside objects (and maps of objects) of `value`.
    fn nested(&mut self, value: &Value, inputs: &[&str], depth: usize, found: &mut Vec<Found>) {
        if depth > 3 || !self.spend() {
            return;
        }
        let Some(entries) = value.as_object() else { return };
        for entry in entries {
            if inputs.contains(&entry.key.as_str()) {
                let attached_at = std::mem::replace(&mut self.attached_at, entry.value.at);
                self.follow(&entry.value, depth, found);
                self.attached_at = attached_at;
            } else {
                self.nested(&entry.value, inputs, depth + 1, found);
            }
        }
    }

    /// Takes one value from the budget; `false` when it is spent.
    fn spend(&mut self) -> bool {
        self.budget = self.budget.saturating_sub(1);
        self.budget > 0
    }

    /// The leaf values (strings, templates, booleans...) `value` stands for, as written.
    fn values(&mut self, value: &Value, depth: usize, out: &mut Vec<Value>) {
        if depth > MAX_DEPTH || !self.spend() {
            return;
        }
        match &value.kind {
            ValueKind::List(items) => items.iter().for_each(|i| self.values(i, depth + 1, out)),
            ValueKind::Object(entries) => entries.iter().for_each(|e| self.values(&e.value, depth + 1, out)),
            ValueKind::Call(call) => match call.name.as_str() {
                "toset" | "tolist" | "concat" | "compact" | "distinct" | "flatten" | "tomap" => {
                    call.args.iter().for_each(|a| self.values(a, depth + 1, out));
                }
                "element" => {
                    if let Some(list) = call.args.first() {
                        self.values(list, depth + 1, out);
                    }
                }
                _ => {}
            },
            ValueKind::Reference(reference) => {
                if let Some(target) = self.reference(reference) {
                    self.values(&target, depth + 1, out);
                }
            }
            _ => out.push(value.clone()),
        }
    }

    /// What a reference written in the module stands for, if it is written there.
    fn reference(&self, reference: &str) -> Option<Value> {
        let parts: Vec<&str> = reference.split('.').collect();
        match parts.as_slice() {
            ["local", name] => self.module.local(name).cloned(),
            ["var", name] => self.module.vars.get(*name).map(|v| v.value.clone()),
            ["each", "value"] => self.block?.body.attribute("for_each").map(|a| a.value.clone()),
            ["data", "aws_iam_policy", name, "arn"] => {
                let data = self.module.data("aws_iam_policy").find(|d| d.label(1) == Some(*name))?;
                if let Some(arn) = data.body.attribute("arn") {
                    return Some(arn.value.clone());
                }
                // `name = "AdministratorAccess"`: the ARN the data source would find, at the name.
                let named = data.body.attribute("name")?;
                let policy = managed::by_name(named.value.as_str()?)?;
                Some(Value::new(named.value.at, ValueKind::String(policy.arn())))
            }
            _ => None,
        }
    }

    /// A template with its `${local.x}` and `${var.x}` replaced by their text where that is a
    /// string or another template: `"${local.prefix}/AdministratorAccess"`.
    fn substitute(&self, template: &str, depth: usize) -> String {
        let mut out = String::new();
        let mut rest = template;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                return out;
            };
            let inner = after[..end].trim();
            let replaced = match (depth < MAX_DEPTH).then(|| self.reference(inner)).flatten().map(|v| v.kind) {
                Some(ValueKind::String(s)) => Some(s),
                Some(ValueKind::Template(t)) => Some(self.substitute(&t, depth + 1)),
                _ => None,
            };
            match replaced {
                Some(text) if inner.starts_with("local.") || inner.starts_with("var.") => out.push_str(&text),
                _ => out.push_str(&rest[start..start + 2 + end + 1]),
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::attached;
    use crate::source::SourceKind;
    use crate::testing::module;

    fn names(text: &str) -> Vec<String> {
        let (_, module) = module("main.tf", text, SourceKind::Hcl);
        let mut out = Vec::new();
        attached(&module, &mut out);
        out.iter().filter_map(|p| p.managed.as_ref().map(|m| m.name.clone())).collect()
    }

    #[test]
    fn references_that_refer_to_themselves_end() {
        let found = names(
            r#"
locals {
  a      = [local.a, local.a, local.a, "arn:aws:iam::aws:policy/AdministratorAccess"]
  prefix = "${local.prefix}/x"
}
resource "aws_iam_role_policy_attachment" "a" {
  role       = "r"
  policy_arn = local.a
}
resource "aws_iam_role_policy_attachment" "b" {
  role       = "r"
  policy_arn = "${local.prefix}/AdministratorAccess"
}
"#,
        );
        assert!(!found.is_empty() && found.iter().all(|n| n == "AdministratorAccess"), "{found:?}");
    }

    #[test]
    fn only_attachments_of_aws_managed_policies() {
        let found = names(
            r#"
resource "aws_iam_role" "r" {
  name                 = "r"
  assume_role_policy   = "{}"
  permissions_boundary = "arn:aws:iam::aws:policy/AdministratorAccess"
}
resource "aws_iam_role_policy_attachment" "own" {
  role       = "r"
  policy_arn = "arn:aws:iam::123456789012:policy/AdministratorAccess"
}
module "not_iam" {
  source   = "./modules/role"
  policies = { admin = "arn:aws:iam::aws:policy/AdministratorAccess" }
}
module "readonly_off" {
  source                 = "terraform-aws-modules/iam/aws//modules/iam-assumable-role"
  attach_admin_policy    = false
  attach_readonly_policy = true
}
"#,
        );
        assert_eq!(found, ["ReadOnlyAccess"]);
    }
}
