//! The policies of a unit: every IAM policy of a module, wherever it was written (a resource
//! attribute, a policy document, a local, a `file()`), read into a [`Policy`]; and policy
//! files no module reads, checked on their own.

use super::module_inputs::{
    MAX_STEPS, Shape, Sink, Step, Summary, items, principals_policy, registry_inputs, statements_policy,
};
use super::{Project, Unit, paths};
use crate::config::Config;
use crate::model::{At, Module, Policy, PolicyKind, Problem, SourceId, Value, ValueKind, VarSource};
use crate::parse::json;
use crate::parse::policy::{from_document_block, from_value};
use crate::parse::strings::{Dialect, OffsetMap, decode};
use crate::rule::Violation;
use crate::source::{SourceKind, Sources};
use std::collections::{BTreeMap, BTreeSet};

/// Resource types and the attributes that hold a policy document, with the document's kind.
const POLICY_ATTRIBUTES: &[(&str, &str, PolicyKind)] = &[
    ("aws_iam_policy", "policy", PolicyKind::Identity),
    ("aws_iam_role", "assume_role_policy", PolicyKind::Trust),
    ("aws_iam_role_policy", "policy", PolicyKind::Identity),
    ("aws_iam_user_policy", "policy", PolicyKind::Identity),
    ("aws_iam_group_policy", "policy", PolicyKind::Identity),
    ("aws_ssoadmin_permission_set_inline_policy", "inline_policy", PolicyKind::Identity),
    ("aws_s3_bucket_policy", "policy", PolicyKind::Resource),
    ("aws_s3_bucket", "policy", PolicyKind::Resource),
    ("aws_sqs_queue_policy", "policy", PolicyKind::Resource),
    ("aws_sqs_queue", "policy", PolicyKind::Resource),
    ("aws_sns_topic_policy", "policy", PolicyKind::Resource),
    ("aws_sns_topic", "policy", PolicyKind::Resource),
    ("aws_kms_key", "policy", PolicyKind::Resource),
    ("aws_kms_key_policy", "policy", PolicyKind::Resource),
    ("aws_ecr_repository_policy", "policy", PolicyKind::Resource),
    ("aws_ecr_registry_policy", "policy", PolicyKind::Resource),
    ("aws_secretsmanager_secret_policy", "policy", PolicyKind::Resource),
    ("aws_secretsmanager_secret", "policy", PolicyKind::Resource),
    ("aws_opensearch_domain_policy", "access_policies", PolicyKind::Resource),
    ("aws_elasticsearch_domain_policy", "access_policies", PolicyKind::Resource),
    ("aws_cloudwatch_log_resource_policy", "policy_document", PolicyKind::Resource),
    ("aws_api_gateway_rest_api_policy", "policy", PolicyKind::Resource),
    ("aws_glacier_vault", "access_policy", PolicyKind::Resource),
];

/// Everything a module's policies may come from: the sources, and the JSON files `file()` names,
/// parsed the first time they are named.
pub(super) struct Inputs<'a, 's> {
    /// The unit's view of the sources: JSON files are read into it when named.
    pub sources: &'a mut Sources<'s>,
    /// The JSON sources by normalised name (for `file("x.json")`).
    pub by_name: &'a BTreeMap<String, SourceId>,
    config: &'a Config,
    /// The JSON files read so far: their value, or `None` when they do not parse.
    json: BTreeMap<SourceId, Option<Value>>,
    /// Why policy files that were read do not parse.
    errors: Vec<Violation>,
}

impl<'a, 's> Inputs<'a, 's> {
    /// Inputs over `sources`; JSON files are found in `by_name` and parsed under `config`'s limits.
    pub(super) fn new(
        sources: &'a mut Sources<'s>,
        by_name: &'a BTreeMap<String, SourceId>,
        config: &'a Config,
    ) -> Inputs<'a, 's> {
        Inputs { sources, by_name, config, json: BTreeMap::new(), errors: Vec::new() }
    }

    /// The parsed JSON of a source, read on first use.
    fn load(&mut self, id: SourceId) -> Option<&Value> {
        if !self.json.contains_key(&id) {
            let source = self.sources.read(id.0)?;
            let value = match super::parse_json(source, id, self.config) {
                Ok(value) => Some(value),
                Err(violation) => {
                    if source.kind == SourceKind::Policy {
                        self.errors.push(*violation);
                    }
                    None
                }
            };
            self.json.insert(id, value);
        }
        self.json.get(&id)?.as_ref()
    }

    /// The JSON files read (those that parse) and the `parse-error`s of policy files that did not.
    pub(super) fn into_parts(self) -> (Vec<Value>, Vec<Violation>) {
        (self.json.into_values().flatten().collect(), self.errors)
    }
}

/// What a module's policies may come from beyond its own code: the local modules it calls (what
/// they make of their inputs), and whether its own variables are set by callers.
pub(super) struct Calls<'a> {
    /// What each local module it may call makes of its inputs, by directory.
    pub callees: &'a BTreeMap<String, Summary>,
    /// For a module other checked modules call, the variables every call gives: their defaults
    /// never apply, and each caller's value is read where that caller is checked. `None` for a
    /// root module, whose variables have their tfvars or default values.
    pub given: Option<&'a BTreeSet<String>>,
}

impl Calls<'_> {
    /// A module on its own: no callee, no caller (a plan's module instances).
    pub(super) fn none() -> Calls<'static> {
        static NONE: BTreeMap<String, Summary> = BTreeMap::new();
        Calls { callees: &NONE, given: None }
    }
}

/// The policies of one module, the JSON sources it reads through `file()` (which are then not
/// checked again on their own), and what the module makes of its inputs ([`Summary`]), for its
/// callers. Policies passed to the modules it calls are read here, where they are written.
pub(super) fn of_module(
    module: &Module,
    inputs: &mut Inputs<'_, '_>,
    calls: &Calls<'_>,
) -> (Vec<Policy>, Vec<SourceId>, Summary) {
    let mut consumed = BTreeSet::new();
    let mut finder = Finder {
        module,
        inputs,
        calls,
        consumed: &mut consumed,
        documents: BTreeMap::new(),
        out: Vec::new(),
        summary: Summary::default(),
    };
    for block in module.blocks.iter().filter(|b| b.ident == "resource") {
        let Some(kind) = block.label(0) else { continue };
        let address = block.address();
        let each = block.body.attribute("for_each").map(|a| &a.value);
        let made = |kind| Use::resource(kind, address.clone(), each);
        for &(_, attribute, policy_kind) in POLICY_ATTRIBUTES.iter().filter(|(t, _, _)| *t == kind) {
            if let Some(attr) = block.body.attribute(attribute) {
                finder.value(&attr.value, &made(policy_kind), 0);
            }
        }
        if kind == "aws_iam_role" {
            for inline in block.body.blocks("inline_policy") {
                if let Some(attr) = inline.body.attribute("policy") {
                    finder.value(&attr.value, &made(PolicyKind::Identity), 0);
                }
            }
        }
    }
    for call in module.blocks.iter().filter(|b| b.ident == "module") {
        finder.call(call);
    }
    // `source_policy_documents` / `override_policy_documents` are merged into the document that
    // names them: they are used the way that document is used; so are the statements of a
    // `dynamic "statement"` over a variable.
    // In a plan, a document read during planning appears rendered in the resources that use
    // it; one whose reading waits for apply (its `json` unknown) is checked from its statements.
    let documents: Vec<&crate::model::Block> = module
        .data("aws_iam_policy_document")
        .filter(|d| !module.from_plan || d.body.attribute("json").is_none_or(|j| j.value.kind == ValueKind::Unknown))
        .collect();
    for block in documents.iter().copied() {
        let used = finder.documents.get(block.label(1).unwrap_or_default()).cloned();
        let mut merged = used.clone().unwrap_or_else(|| Use::resource(PolicyKind::Identity, None, None));
        merged.address = block.address();
        merged.arg = None;
        for name in ["source_policy_documents", "override_policy_documents"] {
            let Some(attr) = block.body.attribute(name) else { continue };
            match attr.value.as_list() {
                Some(items) => items.iter().for_each(|item| finder.value(item, &merged, 0)),
                None if used.is_some() => finder.shape(&attr.value, &Shape::Documents, &merged, 0),
                None => {}
            }
        }
        if used.is_some() {
            for collection in dynamic_statements(block) {
                finder.shape(collection, &Shape::Statements, &merged, 0);
            }
        }
    }
    // Policy documents are read once each, with the kind of their first use.
    let Finder { mut out, documents: uses, summary, .. } = finder;
    let locals = |name: &str| module.local(name);
    for block in documents {
        let used = uses.get(block.label(1).unwrap_or_default());
        let mut policy = from_document_block(block, used.map_or(PolicyKind::Identity, |u| u.kind), &locals);
        match used {
            Some(used) => policy.via = used.via(policy.at),
            None => {
                policy.kind = infer_kind(&policy);
                policy = from_document_block(block, policy.kind, &locals);
            }
        }
        out.push(policy);
    }
    super::managed::attached(module, &mut out);
    (out, consumed.into_iter().collect(), summary)
}

/// The collections `dynamic "statement"` blocks of a document iterate, when each item is a
/// statement object of the document's shape (`actions = statement.value.actions`): the
/// variables and locals of the `for_each`, past the conditions and `try`s that guard them.
fn dynamic_statements(document: &crate::model::Block) -> Vec<&Value> {
    fn collections<'v>(value: &'v Value, out: &mut Vec<&'v Value>) {
        match &value.kind {
            ValueKind::Reference(r) if r.starts_with("var.") => out.push(value),
            ValueKind::Conditional(parts) => parts[1..].iter().for_each(|p| collections(p, out)),
            ValueKind::Call(call)
                if matches!(call.name.as_str(), "try" | "coalesce" | "concat" | "values" | "tolist") =>
            {
                call.args.iter().for_each(|a| collections(a, out));
            }
            _ => {}
        }
    }
    fn from_item(value: &Value) -> bool {
        match &value.kind {
            ValueKind::Reference(r) => r.starts_with("statement.value."),
            ValueKind::Call(call) => call.args.iter().any(from_item),
            ValueKind::Conditional(parts) => parts.iter().any(from_item),
            _ => false,
        }
    }
    let mut out = Vec::new();
    for dynamic in document.body.blocks("dynamic").filter(|d| d.label(0) == Some("statement")) {
        let Some(content) = dynamic.body.blocks("content").next() else { continue };
        let of_items =
            ["actions", "not_actions"].iter().any(|n| content.body.attribute(n).is_some_and(|a| from_item(&a.value)));
        if of_items
            && dynamic.body.attribute("iterator").is_none()
            && let Some(each) = dynamic.body.attribute("for_each")
        {
            collections(&each.value, &mut out);
        }
    }
    out
}

/// A standalone policy file: its kind is read from its content.
fn file_policy(doc: &Value) -> Policy {
    let policy = from_value(doc, PolicyKind::Identity, None);
    match infer_kind(&policy) {
        PolicyKind::Identity => policy,
        kind => from_value(doc, kind, None),
    }
}

/// Identity unless a statement names a principal: then trust when every action assumes a
/// role, resource otherwise. A statement a `dynamic` block may make names one only if a
/// principal of it is read: the template of a module's `policy_statements` input has a
/// `dynamic "principals"` whatever kind of policy it makes.
fn infer_kind(policy: &Policy) -> PolicyKind {
    let names = |p: &Option<Vec<crate::model::Principal>>| p.as_ref().is_some_and(|p| !p.is_empty());
    let names_principal = |s: &crate::model::Statement| {
        names(&s.principal)
            || names(&s.not_principal)
            || (s.certain && (s.principal.is_some() || s.not_principal.is_some()))
    };
    if !policy.statements.iter().any(names_principal) {
        return PolicyKind::Identity;
    }
    let assumes =
        |t: &str| t.to_ascii_lowercase().starts_with("sts:assumerole") || t.eq_ignore_ascii_case("sts:TagSession");
    let all_assume = policy.statements.iter().all(|s| s.actions().all(|a| a.text.as_deref().is_some_and(assumes)));
    if all_assume { PolicyKind::Trust } else { PolicyKind::Resource }
}

/// Where a value found in a policy position ends up: how it is used, the resource that holds it,
/// and the steps of the way there.
#[derive(Debug, Clone)]
struct Use<'m> {
    kind: PolicyKind,
    /// The address a policy found here is reported with.
    address: Option<String>,
    /// The resource that holds the policy in the end (`module.app.aws_iam_policy.this`).
    holder: Option<String>,
    /// Who takes a variable read here.
    taker: Taker,
    /// The steps from here to the resource, as labels of the unit.
    steps: Vec<Step>,
    /// The argument of a module call the value is passed in: the places of its name and value.
    arg: Option<(At, At)>,
    /// The `for_each` of the block, for `each.value`.
    each: Option<&'m Value>,
    /// The module call, for inputs read together with others.
    call: Option<&'m crate::model::Block>,
}

/// Who takes a variable that holds a policy.
#[derive(Debug, Clone)]
enum Taker {
    /// The resource that holds the policy.
    Resource,
    /// A module call, in one of its inputs.
    Call { module: String, input: String },
}

impl<'m> Use<'m> {
    /// A policy attribute of a resource.
    fn resource(kind: PolicyKind, address: Option<String>, each: Option<&'m Value>) -> Use<'m> {
        Use {
            kind,
            holder: address.clone(),
            address,
            taker: Taker::Resource,
            steps: Vec::new(),
            arg: None,
            each,
            call: None,
        }
    }

    /// The labels of a policy written at `at`: the argument it is passed in (unless it is written
    /// there), then the steps to the resource.
    fn via(&self, at: At) -> Vec<(At, String)> {
        let mut via = Vec::new();
        if let (Some((key, value)), Taker::Call { module, input }) = (self.arg, &self.taker) {
            let inside =
                at.source == value.source && value.span.start <= at.span.start && at.span.end <= value.span.end;
            if !inside {
                via.push((key, format!("passed to `module.{module}` as `{input}` here")));
            }
        }
        via.extend(self.steps.iter().map(Step::label));
        via
    }

    /// A step at `var.NAME` read here, as the callers of the module see it.
    fn passes(&self, name: &str, holder: &str) -> String {
        match &self.taker {
            Taker::Resource => format!("makes `{holder}` from `var.{name}` here"),
            Taker::Call { module, input } => format!("passes `var.{name}` to `module.{module}` as `{input}` here"),
        }
    }

    /// A step at `var.NAME` read here, in the unit's own module.
    fn uses(&self, name: &str) -> String {
        match (&self.taker, &self.holder) {
            (Taker::Call { module, input }, _) => {
                format!("`var.{name}` is passed to `module.{module}` as `{input}` here")
            }
            (Taker::Resource, Some(holder)) => format!("`{holder}` is made from `var.{name}` here"),
            (Taker::Resource, None) => format!("`var.{name}` is used here"),
        }
    }
}

/// Functions whose value is one of their arguments.
const ALTERNATIVES: &[&str] = &["try", "coalesce", "coalescelist"];

/// Functions whose arguments are lists of documents, and whose result is their items.
const LIST_FUNCTIONS: &[&str] = &["concat", "compact", "flatten", "tolist", "toset", "distinct", "values"];

struct Finder<'m, 'a, 'b, 'c> {
    module: &'m Module,
    inputs: &'a mut Inputs<'b, 'c>,
    calls: &'a Calls<'a>,
    consumed: &'a mut BTreeSet<SourceId>,
    /// The documents referenced by `.json`, with their first use.
    documents: BTreeMap<String, Use<'m>>,
    out: Vec<Policy>,
    summary: Summary,
}

impl<'m> Finder<'m, '_, '_, '_> {
    /// A policy found, with the address and steps of its use.
    fn push(&mut self, mut policy: Policy, used: &Use<'m>) {
        policy.address.clone_from(&used.address);
        policy.via = used.via(policy.at);
        self.out.push(policy);
    }

    /// Follows a policy attribute's value to the document it denotes.
    fn value(&mut self, value: &'m Value, used: &Use<'m>, depth: usize) {
        if depth > 8 {
            return;
        }
        let kind = used.kind;
        match &value.kind {
            ValueKind::Call(call) if call.name == "jsonencode" => match call.args.first() {
                Some(arg) if matches!(arg.kind, ValueKind::Reference(_)) => {
                    self.shape(arg, &Shape::Object, used, depth + 1)
                }
                Some(arg) => self.push(from_value(arg, kind, None), used),
                None => {}
            },
            ValueKind::Call(call) if call.name == "file" || call.name == "templatefile" => {
                if let Some(id) = call.args.first().and_then(|a| self.file(a))
                    && let Some(doc) = self.inputs.load(id)
                {
                    let policy = from_value(doc, kind, None);
                    self.push(policy, used);
                }
            }
            ValueKind::String(_) | ValueKind::Template(_) => match self.embedded_json(value) {
                Some(Ok(doc)) => self.push(from_value(&doc, kind, None), used),
                Some(Err(problem)) => {
                    let policy = Policy {
                        kind,
                        at: value.at,
                        address: None,
                        statements: Vec::new(),
                        problems: vec![problem],
                        via: Vec::new(),
                        managed: None,
                    };
                    self.push(policy, used);
                }
                None => {}
            },
            ValueKind::Reference(_) | ValueKind::Conditional(_) => self.shape(value, &Shape::Document, used, depth + 1),
            ValueKind::Call(call) if ALTERNATIVES.contains(&call.name.as_str()) => {
                self.shape(value, &Shape::Document, used, depth + 1);
            }
            _ => {}
        }
    }

    /// Follows a value that holds a policy in the given shape.
    fn shape(&mut self, value: &'m Value, shape: &Shape, used: &Use<'m>, depth: usize) {
        if depth > 8 {
            return;
        }
        match &value.kind {
            ValueKind::Reference(reference) => return self.reference(value, reference, shape, used, depth),
            // Either branch may be the value, and so may any argument of `try` or `coalesce`.
            ValueKind::Conditional(parts) => {
                return parts[1..].iter().for_each(|branch| self.shape(branch, shape, used, depth + 1));
            }
            ValueKind::Call(call) if ALTERNATIVES.contains(&call.name.as_str()) => {
                return call.args.iter().for_each(|arg| self.shape(arg, shape, used, depth + 1));
            }
            _ => {}
        }
        match shape {
            Shape::Document => self.value(value, used, depth),
            Shape::Object => {
                if value.as_object().is_some() {
                    self.push(from_value(value, used.kind, None), used);
                }
            }
            Shape::Documents => match &value.kind {
                ValueKind::Call(call) if LIST_FUNCTIONS.contains(&call.name.as_str()) => {
                    call.args.iter().for_each(|arg| self.shape(arg, shape, used, depth + 1));
                }
                _ => items(value).into_iter().for_each(|item| self.value(item, used, depth + 1)),
            },
            Shape::Statements => {
                if let Some(policy) = statements_policy(&items(value), used.kind, value.at) {
                    self.push(policy, used);
                }
            }
            Shape::Policies => {
                let objects = if value.get("statements").is_some() { vec![value] } else { items(value) };
                for statements in objects.into_iter().filter_map(|o| o.get("statements")) {
                    self.shape(&statements.value, &Shape::Statements, used, depth + 1);
                }
            }
            Shape::Principals => {
                if let Some(policy) = principals_policy(used.call, value) {
                    self.push(policy, used);
                }
            }
            Shape::Each(field, inner) => match &value.kind {
                ValueKind::Call(call) if matches!(call.name.as_str(), "toset" | "tolist" | "tomap" | "values") => {
                    call.args.iter().for_each(|arg| self.shape(arg, shape, used, depth + 1));
                }
                _ => {
                    for item in items(value) {
                        let item = match field {
                            Some(field) => item.get(field).map(|e| &e.value),
                            None => Some(item),
                        };
                        item.into_iter().for_each(|v| self.shape(v, inner, used, depth + 1));
                    }
                }
            },
            Shape::Field(field, inner) => {
                if let Some(entry) = value.get(field) {
                    self.shape(&entry.value, inner, used, depth + 1);
                }
            }
        }
    }

    /// Follows a reference in a policy position: a document's `.json`, a local, a variable, the
    /// `each.value` of a block's `for_each`.
    fn reference(&mut self, value: &'m Value, reference: &str, shape: &Shape, used: &Use<'m>, depth: usize) {
        let parts: Vec<&str> = reference.split('.').collect();
        match parts.as_slice() {
            ["data", "aws_iam_policy_document", name, "json" | "minified_json"] if *shape == Shape::Document => {
                let name = name.split('[').next().unwrap_or(name);
                self.documents.entry(name.to_string()).or_insert_with(|| used.clone());
            }
            ["local", name] => {
                if let Some(local) = self.module.local(name) {
                    self.shape(local, shape, used, depth + 1);
                }
            }
            ["var", name] => self.var(name, value.at, shape, used, depth),
            ["each", "value", rest @ ..] if rest.len() <= 1 => {
                let Some(each) = used.each else { return };
                let items = Shape::Each(rest.first().map(|f| f.to_string()), Box::new(shape.clone()));
                let mut used = used.clone();
                used.each = None;
                self.shape(each, &items, &used, depth + 1);
            }
            _ => {}
        }
    }

    /// `var.NAME` in a policy position. In a module others call, the variable is an input of the
    /// module ([`Sink`]): its callers' values are read where they are written. Its own value (a
    /// root module's tfvars, or a default some call leaves in place) is read here.
    fn var(&mut self, name: &str, at: At, shape: &Shape, used: &Use<'m>, depth: usize) {
        if let Some(given) = self.calls.given {
            if let Some(holder) = &used.holder
                && used.steps.len() < MAX_STEPS
            {
                let mut via = vec![Step { at, path: Vec::new(), what: used.passes(name, holder) }];
                via.extend(used.steps.iter().cloned());
                let sink =
                    Sink { var: name.to_string(), shape: shape.clone(), kind: used.kind, address: holder.clone(), via };
                self.summary.add(sink);
            }
            if given.contains(name) {
                return;
            }
        }
        // A `--var` value is not written in any file a finding could point at.
        let Some(var) = self.module.vars.get(name).filter(|v| v.source != VarSource::CommandLine) else { return };
        let mut own = used.clone();
        own.steps.insert(0, Step { at, path: Vec::new(), what: used.uses(name) });
        own.arg = None;
        self.shape(&var.value, shape, &own, depth + 1);
    }

    /// The policies a module call passes in its arguments: to the inputs a local module makes
    /// policies of (its [`Summary`]), or a registry module's ([`registry_inputs`]).
    fn call(&mut self, call: &'m crate::model::Block) {
        let Some(name) = call.label(0) else { return };
        let Some(source) = call.body.attribute("source").and_then(|a| a.value.as_str()) else { return };
        let each = call.body.attribute("for_each").map(|a| &a.value);
        if source.starts_with("./") || source.starts_with("../") {
            let callees = self.calls.callees;
            let Some(summary) = callees.get(&paths::join(&self.module.dir, source)) else { return };
            for sink in &summary.sinks {
                let Some(arg) = call.body.attribute(&sink.var) else { continue };
                let holder = Some(format!("module.{name}.{}", sink.address));
                let used = Use {
                    kind: sink.kind,
                    address: holder.clone(),
                    holder,
                    taker: Taker::Call { module: name.to_string(), input: sink.var.clone() },
                    steps: sink.via.iter().map(|s| s.under(name)).collect(),
                    arg: Some((arg.key_at, arg.value.at)),
                    each,
                    call: Some(call),
                };
                self.shape(&arg.value, &sink.shape, &used, 0);
            }
            return;
        }
        let (module, inputs) = registry_inputs(call);
        for input in inputs {
            let Some(arg) = call.body.attribute(input.input) else { continue };
            let what = format!("({module}) makes `{}` from `{}` here", input.resource, input.input);
            let holder = Some(format!("module.{name}.{}", input.resource));
            let used = Use {
                kind: input.kind,
                address: holder.clone(),
                holder,
                taker: Taker::Call { module: name.to_string(), input: input.input.to_string() },
                steps: vec![Step { at: arg.key_at, path: vec![format!("module.{name}")], what }],
                arg: None,
                each,
                call: Some(call),
            };
            self.shape(&arg.value, &input.holds.shape(), &used, 0);
        }
    }

    /// `file("${path.module}/policy.json")`: the JSON source of that name in the module's directory.
    fn file(&mut self, path: &Value) -> Option<SourceId> {
        let text = match &path.kind {
            ValueKind::String(s) | ValueKind::Template(s) => s.as_str(),
            _ => return None,
        };
        let relative = text.strip_prefix("${path.module}/").or_else(|| text.strip_prefix("./")).unwrap_or(text);
        if relative.contains("${") {
            return None;
        }
        let id = *self.inputs.by_name.get(&paths::join(&self.module.dir, relative))?;
        self.consumed.insert(id);
        Some(id)
    }

    /// A policy written as a string: a quoted HCL or JSON string, or a heredoc, parsed as JSON at
    /// its real position in the file.
    fn embedded_json(&mut self, value: &Value) -> Option<Result<Value, Problem>> {
        let source = self.inputs.sources.get(value.at.source.0)?;
        let raw = source.text.get(value.at.span.range())?;
        let (text, map) = if let Some(rest) = raw.strip_prefix("<<") {
            let body_start = rest.find('\n')? + 1;
            let body_end = rest.trim_end().rfind('\n').map_or(body_start, |i| i + 1).max(body_start);
            let base = value.at.span.start + 2 + body_start;
            (rest[body_start..body_end].to_string(), OffsetMap::identity(base))
        } else {
            let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
            let dialect = if source.kind == SourceKind::Hcl { Dialect::Hcl } else { Dialect::Json };
            decode(inner, value.at.span.start + 1, dialect)?
        };
        let trimmed = text.trim_start();
        if !trimmed.starts_with('{') {
            return None;
        }
        Some(json::parse_template(&text, value.at.source, &map)?.map_err(|e| Problem {
            at: At::new(value.at.source, e.span),
            pointer: String::new(),
            message: format!("the policy is not valid JSON: {}", e.message),
        }))
    }
}

/// A JSON file no module reads: a policy is checked on its own; any other JSON is only read
/// for the secrets it holds.
pub(super) fn json_unit(project: &Project<'_>, texts: &mut Sources<'_>, id: SourceId) -> Unit {
    let mut unit = Unit::default();
    if let Some(source) = texts.read(id.0) {
        let kind = source.kind;
        let parsed = super::parse_json(source, id, project.config);
        let ok: &[SourceId] = if parsed.is_ok() { &[id] } else { &[] };
        super::scan_sources(&mut unit.secrets, texts, &[id], ok);
        match parsed {
            Ok(doc) => {
                unit.secrets.add_value(&doc, None, texts);
                unit.secrets.propagate(texts, &[id]);
                if kind == SourceKind::Policy {
                    let found = project.checker.run(texts, &[file_policy(&doc)], None, None);
                    unit.diagnostics = project.checker.located(texts, found);
                }
            }
            // Other JSON (a `package.json`, a template) is only read for `file()`; its syntax
            // is not ours to judge.
            Err(_) if kind == SourceKind::OtherJson => {}
            Err(violation) => unit.diagnostics = project.checker.located(texts, vec![("parse-error", *violation)]),
        }
    }
    unit
}
