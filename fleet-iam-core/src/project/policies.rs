//! The policies of a unit: every IAM policy of a module, wherever it was written (a resource
//! attribute, a policy document, a local, a `file()`), read into a [`Policy`]; and policy
//! files no module reads, checked on their own.

use super::{Project, Unit, paths};
use crate::config::Config;
use crate::model::{At, Module, Policy, PolicyKind, Problem, SourceId, Value, ValueKind};
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

/// The policies of one module, and the JSON sources it reads through `file()` (which are then
/// not checked again on their own).
pub(super) fn of_module(module: &Module, inputs: &mut Inputs<'_, '_>) -> (Vec<Policy>, Vec<SourceId>) {
    let mut consumed = BTreeSet::new();
    let mut finder = Finder { module, inputs, consumed: &mut consumed, documents: BTreeMap::new(), out: Vec::new() };
    for block in module.blocks.iter().filter(|b| b.ident == "resource") {
        let Some(kind) = block.label(0) else { continue };
        let address = block.address();
        for &(_, attribute, policy_kind) in POLICY_ATTRIBUTES.iter().filter(|(t, _, _)| *t == kind) {
            if let Some(attr) = block.body.attribute(attribute) {
                finder.value(&attr.value, policy_kind, address.as_deref(), 0);
            }
        }
        if kind == "aws_iam_role" {
            for inline in block.body.blocks("inline_policy") {
                if let Some(attr) = inline.body.attribute("policy") {
                    finder.value(&attr.value, PolicyKind::Identity, address.as_deref(), 0);
                }
            }
        }
    }
    // `source_policy_documents` / `override_policy_documents` are merged into the document that
    // names them: they are used the way that document is used.
    // In a plan, a document read during planning appears rendered in the resources that use
    // it; one whose reading waits for apply (its `json` unknown) is checked from its statements.
    let documents: Vec<&crate::model::Block> = module
        .data("aws_iam_policy_document")
        .filter(|d| !module.from_plan || d.body.attribute("json").is_none_or(|j| j.value.kind == ValueKind::Unknown))
        .collect();
    for block in documents.iter().copied() {
        let kind = finder.documents.get(block.label(1).unwrap_or_default()).copied().unwrap_or(PolicyKind::Identity);
        for name in ["source_policy_documents", "override_policy_documents"] {
            let Some(attr) = block.body.attribute(name) else { continue };
            for item in attr.value.as_list().unwrap_or_default() {
                finder.value(item, kind, block.address().as_deref(), 0);
            }
        }
    }
    // Policy documents are read once each, with the kind of their first use.
    let Finder { mut out, documents: kinds, .. } = finder;
    for block in documents {
        let kind = kinds.get(block.label(1).unwrap_or_default()).copied();
        let mut policy = from_document_block(block, kind.unwrap_or(PolicyKind::Identity));
        if kind.is_none() {
            policy.kind = infer_kind(&policy);
            policy = from_document_block(block, policy.kind);
        }
        out.push(policy);
    }
    super::managed::attached(module, &mut out);
    (out, consumed.into_iter().collect())
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
/// role, resource otherwise.
fn infer_kind(policy: &Policy) -> PolicyKind {
    if !policy.statements.iter().any(|s| s.principal.is_some() || s.not_principal.is_some()) {
        return PolicyKind::Identity;
    }
    let assumes =
        |t: &str| t.to_ascii_lowercase().starts_with("sts:assumerole") || t.eq_ignore_ascii_case("sts:TagSession");
    let all_assume = policy.statements.iter().all(|s| s.actions().all(|a| a.text.as_deref().is_some_and(assumes)));
    if all_assume { PolicyKind::Trust } else { PolicyKind::Resource }
}

struct Finder<'a, 'b, 'c> {
    module: &'a Module,
    inputs: &'a mut Inputs<'b, 'c>,
    consumed: &'a mut BTreeSet<SourceId>,
    documents: BTreeMap<String, PolicyKind>,
    out: Vec<Policy>,
}

impl Finder<'_, '_, '_> {
    /// Follows a policy attribute's value to the document it denotes.
    fn value(&mut self, value: &Value, kind: PolicyKind, address: Option<&str>, depth: usize) {
        if depth > 8 {
            return;
        }
        let address_owned = address.map(str::to_string);
        match &value.kind {
            ValueKind::Call(call) if call.name == "jsonencode" => {
                if let Some(arg) = call.args.first() {
                    self.out.push(from_value(arg, kind, address_owned));
                }
            }
            ValueKind::Call(call) if call.name == "file" || call.name == "templatefile" => {
                if let Some(id) = call.args.first().and_then(|a| self.file(a))
                    && let Some(doc) = self.inputs.load(id)
                {
                    self.out.push(from_value(doc, kind, address_owned));
                }
            }
            ValueKind::String(_) | ValueKind::Template(_) => match self.embedded_json(value) {
                Some(Ok(doc)) => self.out.push(from_value(&doc, kind, address_owned)),
                Some(Err(problem)) => self.out.push(Policy {
                    kind,
                    at: value.at,
                    address: address_owned,
                    statements: Vec::new(),
                    problems: vec![problem],
                    managed: None,
                }),
                None => {}
            },
            ValueKind::Reference(reference) => {
                let parts: Vec<&str> = reference.split('.').collect();
                match parts.as_slice() {
                    ["data", "aws_iam_policy_document", name, "json" | "minified_json"] => {
                        self.documents.entry(name.to_string()).or_insert(kind);
                    }
                    ["local", name] => {
                        if let Some(local) = self.module.local(name) {
                            self.value(local, kind, address, depth + 1);
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
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
