//! Reading IAM policy documents into [`Policy`]: from a located JSON or HCL value (a `.json`
//! file, a JSON string, `jsonencode({...})`) or from a `data "aws_iam_policy_document"` block.
//!
//! What is known only at apply is not judged: an element written as an expression
//! (`actions = var.actions`, `not_actions = statement.value.not_actions`) may turn out `null`,
//! so it may or may not be there, and a statement is not malformed for having it.

use super::dynamic::{self, Locals};
use crate::model::deny;
use crate::model::{
    At, Block, Body, Condition, Effect, Element, Elements, Entry, Policy, PolicyKind, Principal, Problem, Statement,
    Value, ValueKind,
};

const STATEMENT_KEYS: &[&str] =
    &["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition"];

/// Reads a policy document value. Never fails: what is wrong becomes a [`Problem`].
pub fn from_value(doc: &Value, kind: PolicyKind, address: Option<String>) -> Policy {
    let mut reader = Reader { problems: Vec::new(), old_version: None };
    let mut statements = Vec::new();
    if let Some(entries) = doc.as_object() {
        reader.top_level(doc, entries, kind, &mut statements);
    } else if is_written(doc) {
        reader.problem(doc.at, "", "a policy document must be a JSON object");
    }
    reader.policy_variables(&statements);
    deny::apply_denies(&mut statements);
    Policy { kind, at: doc.at, address, statements, problems: reader.problems, via: Vec::new(), managed: None }
}

/// Whether a value is written out (a literal, list or object), not an expression such as a
/// reference or a call, which is known only at apply.
fn is_written(value: &Value) -> bool {
    !matches!(
        value.kind,
        ValueKind::Reference(_)
            | ValueKind::Call(_)
            | ValueKind::Unknown
            | ValueKind::Template(_)
            | ValueKind::Conditional(_)
            | ValueKind::Operation(_)
    )
}

/// Whether a statement has an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Has {
    No,
    /// Written as an expression that may be `null`, or made by a `dynamic` block that may make
    /// nothing.
    Maybe,
    Yes,
}

impl Has {
    /// Whether a value for an element is there: `null` is not, an expression may be.
    fn value(value: Option<&Value>) -> Has {
        match value {
            None => Has::No,
            Some(v) if v.kind == ValueKind::Null => Has::No,
            Some(v) if is_written(v) || matches!(v.kind, ValueKind::Template(_)) => Has::Yes,
            Some(_) => Has::Maybe,
        }
    }
}

/// Which elements a statement has, for [`Reader::shape`].
#[derive(Debug, Clone, Copy)]
struct Parts {
    action: Has,
    not_action: Has,
    resource: Has,
    not_resource: Has,
    principal: Has,
    not_principal: Has,
}

/// What an element of a statement may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `service:Action` strings.
    Action,
    /// Strings: resources, principals.
    Name,
    /// Condition values: strings, and the booleans and numbers AWS reads as strings.
    ConditionValue,
}

struct Reader {
    problems: Vec<Problem>,
    /// Where `Version` says `2008-10-17`, under which policy variables are not substituted.
    old_version: Option<At>,
}

impl Reader {
    fn problem(&mut self, at: At, pointer: &str, message: impl Into<String>) {
        self.problems.push(Problem { at, pointer: pointer.to_string(), message: message.into() });
    }

    fn top_level(&mut self, doc: &Value, entries: &[Entry], kind: PolicyKind, statements: &mut Vec<Statement>) {
        for entry in entries {
            match entry.key.as_str() {
                "Version" => self.version(&entry.value, "Version"),
                "Id" => {}
                "Statement" => match &entry.value.kind {
                    ValueKind::List(items) => {
                        for (i, item) in items.iter().enumerate() {
                            if let Some(s) = self.statement(item, &format!("/Statement/{i}"), kind) {
                                statements.push(s);
                            }
                        }
                    }
                    ValueKind::Object(_) => statements.extend(self.statement(&entry.value, "/Statement", kind)),
                    _ if is_written(&entry.value) => self.problem(
                        entry.value.at,
                        "/Statement",
                        "`Statement` must be a list of objects or one object",
                    ),
                    _ => {}
                },
                other => self.problem(entry.key_at, &format!("/{other}"), format!("unknown policy element `{other}`")),
            }
        }
        if !entries.iter().any(|e| e.key == "Statement") {
            self.problem(doc.at, "", "the policy has no `Statement`");
        }
    }

    fn statement(&mut self, value: &Value, pointer: &str, kind: PolicyKind) -> Option<Statement> {
        let Some(entries) = value.as_object() else {
            if is_written(value) {
                self.problem(value.at, pointer, "a statement must be a JSON object");
            }
            return None;
        };
        let mut s = Statement {
            at: value.at,
            pointer: pointer.to_string(),
            sid: None,
            effect: None,
            action: None,
            not_action: None,
            resource: None,
            not_resource: None,
            principal: None,
            not_principal: None,
            conditions: Vec::new(),
            certain: true,
            denied: Vec::new(),
        };
        let mut has_effect = false;
        // A misspelt `Actions` is reported once, as a typo, not again as a missing `Action`.
        let mut misspelt_action = false;
        for entry in entries {
            let ptr = format!("{pointer}/{}", entry.key);
            match entry.key.as_str() {
                "Sid" => s.sid = entry.value.as_str().map(str::to_string),
                "Effect" => {
                    has_effect = true;
                    s.effect = self.effect(&entry.value, &ptr);
                }
                "Action" => s.action = Some(self.elements(&entry.value, &ptr, Kind::Action)),
                "NotAction" => s.not_action = Some(self.elements(&entry.value, &ptr, Kind::Action)),
                "Resource" => s.resource = Some(self.elements(&entry.value, &ptr, Kind::Name)),
                "NotResource" => s.not_resource = Some(self.elements(&entry.value, &ptr, Kind::Name)),
                "Principal" => s.principal = Some(self.principals(&entry.value, &ptr)),
                "NotPrincipal" => s.not_principal = Some(self.principals(&entry.value, &ptr)),
                "Condition" => s.conditions = self.conditions(&entry.value, &ptr),
                other => {
                    let hint = STATEMENT_KEYS.iter().find(|k| k.eq_ignore_ascii_case(other.trim_end_matches('s')));
                    misspelt_action |= hint.is_some_and(|k| k.ends_with("Action"));
                    let message = match hint {
                        Some(k) => {
                            format!("unknown statement element `{other}`: did you mean `{k}`?")
                        }
                        None => format!("unknown statement element `{other}`"),
                    };
                    self.problem(entry.key_at, &ptr, message);
                }
            }
        }
        if !has_effect {
            self.problem(value.at, pointer, "the statement has no `Effect`");
        }
        let has = |key: &str| Has::value(value.get(key).map(|e| &e.value));
        let parts = Parts {
            action: has("Action"),
            not_action: has("NotAction"),
            resource: has("Resource"),
            not_resource: has("NotResource"),
            principal: has("Principal"),
            not_principal: has("NotPrincipal"),
        };
        self.shape(&s, parts, kind, misspelt_action);
        Some(s)
    }

    /// The statement elements each kind of policy must and must not have. An element that may
    /// or may not be there satisfies both "must" and "must not".
    fn shape(&mut self, s: &Statement, parts: Parts, kind: PolicyKind, misspelt_action: bool) {
        let (at, pointer) = (s.at, s.pointer.as_str());
        let Parts { action, not_action, resource, not_resource, principal, not_principal } = parts;
        if action == Has::No && not_action == Has::No && !misspelt_action {
            self.problem(at, pointer, "the statement has neither `Action` nor `NotAction`");
        }
        if action == Has::Yes && not_action == Has::Yes {
            self.problem(at, pointer, "the statement has both `Action` and `NotAction`");
        }
        if resource == Has::Yes && not_resource == Has::Yes {
            self.problem(at, pointer, "the statement has both `Resource` and `NotResource`");
        }
        let some_principal = principal == Has::Yes || not_principal == Has::Yes;
        let no_principal = principal == Has::No && not_principal == Has::No;
        let some_resource = resource == Has::Yes || not_resource == Has::Yes;
        let no_resource = resource == Has::No && not_resource == Has::No;
        match kind {
            PolicyKind::Identity if some_principal => {
                self.problem(at, pointer, "an identity policy cannot name a `Principal`: AWS rejects it")
            }
            PolicyKind::Identity if no_resource => {
                self.problem(at, pointer, "the statement has neither `Resource` nor `NotResource`")
            }
            PolicyKind::Trust if some_resource => {
                self.problem(at, pointer, "a trust policy cannot name a `Resource`: AWS rejects it")
            }
            PolicyKind::Trust | PolicyKind::Resource if no_principal => {
                self.problem(at, pointer, format!("a {} policy statement needs a `Principal`", kind.as_str()))
            }
            _ => {}
        }
    }

    /// `Version`: `2012-10-17`, or `2008-10-17`, which AWS still accepts (its default policies
    /// for SNS topics and SQS queues say it) but which does not substitute policy variables.
    fn version(&mut self, value: &Value, name: &str) {
        match value.as_str() {
            Some("2012-10-17") | None => {}
            Some("2008-10-17") => self.old_version = Some(value.at),
            Some(other) => self.problem(
                value.at,
                "/Version",
                format!("`{name}` is `{other}`: AWS knows only `2012-10-17` (current) and `2008-10-17`"),
            ),
        }
    }

    /// Under `Version` `2008-10-17`, a policy variable (`${aws:username}`) is matched as literal
    /// text: the first one found is reported.
    fn policy_variables(&mut self, statements: &[Statement]) {
        if self.old_version.is_none() {
            return;
        }
        let elements = statements.iter().flat_map(|s| {
            s.resource
                .iter()
                .chain(s.not_resource.iter())
                .flat_map(|e| e.items.iter())
                .chain(s.conditions.iter().flat_map(|c| c.values.iter()))
        });
        for element in elements {
            let Some(variable) = element.text.as_deref().and_then(policy_variable) else { continue };
            let message = format!(
                "`Version` is `2008-10-17`, which does not substitute policy variables: `{variable}` here is matched as \
                 literal text; write `Version` `2012-10-17`"
            );
            self.problem(element.at, &element.pointer, message);
            return;
        }
    }

    fn effect(&mut self, value: &Value, pointer: &str) -> Option<Effect> {
        match value.as_str() {
            Some("Allow") => Some(Effect::Allow),
            Some("Deny") => Some(Effect::Deny),
            Some(other) => {
                self.problem(value.at, pointer, format!("`Effect` must be `Allow` or `Deny`, not `{other}`"));
                None
            }
            None if is_written(value) => {
                self.problem(value.at, pointer, "`Effect` must be the string `Allow` or `Deny`");
                None
            }
            None => None,
        }
    }

    fn elements(&mut self, value: &Value, pointer: &str, kind: Kind) -> Elements {
        let items = match &value.kind {
            ValueKind::List(items) => {
                items.iter().enumerate().filter_map(|(i, v)| self.element(v, &format!("{pointer}/{i}"), kind)).collect()
            }
            _ => self.element(value, pointer, kind).into_iter().collect(),
        };
        Elements { at: value.at, pointer: pointer.to_string(), items }
    }

    fn element(&mut self, value: &Value, pointer: &str, kind: Kind) -> Option<Element> {
        let text = match &value.kind {
            ValueKind::String(s) | ValueKind::Template(s) => Some(s.clone()),
            // `format("arn:${local.partition}:iam::%s:root", local.account_id)`: a name known in
            // shape, as a template is (`arn:${...}:iam::${...}:root`).
            ValueKind::Call(call) if kind == Kind::Name && call.name == "format" => {
                call.args.first().and_then(|f| match &f.kind {
                    ValueKind::String(s) | ValueKind::Template(s) => Some(format_shape(s)),
                    _ => None,
                })
            }
            ValueKind::Reference(_)
            | ValueKind::Call(_)
            | ValueKind::Unknown
            | ValueKind::Conditional(_)
            | ValueKind::Operation(_) => None,
            // `values = [true]`: Terraform and AWS read it as the string "true".
            ValueKind::Bool(b) if kind == Kind::ConditionValue => Some(b.to_string()),
            ValueKind::Number(n) if kind == Kind::ConditionValue => Some(n.to_string()),
            _ => {
                let what = if kind == Kind::ConditionValue { "a string, a boolean or a number" } else { "a string" };
                self.problem(value.at, pointer, format!("expected {what}"));
                return None;
            }
        };
        if kind == Kind::Action
            && let Some(t) = &text
            && !t.contains("${")
            && t != "*"
            && !t.contains(':')
        {
            // AWS refuses the document ("Actions/Conditions must be prefaced by a vendor"): the
            // action grants nothing, and no other rule judges it.
            let mut message =
                format!("`{t}` is not an action: actions are written `service:Action`, and AWS rejects the policy");
            if let Some(service) = t.strip_suffix('*')
                && !service.is_empty()
                && service.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            {
                message.push_str(&format!(" (did you mean `{service}:*`?)"));
            }
            self.problem(value.at, pointer, message);
        }
        Some(Element { text, at: value.at, pointer: pointer.to_string() })
    }

    fn principals(&mut self, value: &Value, pointer: &str) -> Vec<Principal> {
        match &value.kind {
            ValueKind::String(s) if s == "*" => vec![Principal {
                kind: "*".into(),
                value: Element { text: Some(s.clone()), at: value.at, pointer: pointer.to_string() },
            }],
            ValueKind::Object(entries) => entries
                .iter()
                .flat_map(|e| {
                    let ptr = format!("{pointer}/{}", e.key);
                    self.elements(&e.value, &ptr, Kind::Name)
                        .items
                        .into_iter()
                        .map(|value| Principal { kind: e.key.to_string(), value })
                        .collect::<Vec<_>>()
                })
                .collect(),
            _ if is_written(value) => {
                self.problem(value.at, pointer, "`Principal` must be `\"*\"` or an object such as `{\"AWS\": [...]}`");
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn conditions(&mut self, value: &Value, pointer: &str) -> Vec<Condition> {
        let Some(operators) = value.as_object() else {
            if is_written(value) {
                self.problem(value.at, pointer, "`Condition` must be an object of operators");
            }
            return Vec::new();
        };
        let mut out = Vec::new();
        for op in operators {
            let ptr = format!("{pointer}/{}", op.key);
            let Some(keys) = op.value.as_object() else {
                if is_written(&op.value) {
                    self.problem(op.value.at, &ptr, format!("condition operator `{}` must map keys to values", op.key));
                }
                continue;
            };
            for key in keys {
                let values = self.elements(&key.value, &format!("{ptr}/{}", key.key), Kind::ConditionValue).items;
                out.push(Condition {
                    operator: Some(op.key.to_string()),
                    key: Some(key.key.to_string()),
                    at: key.key_at,
                    values,
                });
            }
        }
        out
    }
}

/// Reads a `data "aws_iam_policy_document"` block of a module whose locals `locals` gives
/// (`&|_| None` for a block outside any module).
/// `statement` blocks map to statements with the pointers the rendered JSON would have
/// (`/Statement/0/Action/1`). A missing `effect` is `Allow`, as the data source defaults it.
///
/// A `dynamic "statement"` block gives one statement per item of its collection when the
/// collection is written out (a literal, a local), the item's values in place of
/// `statement.value.*`; otherwise one statement whose elements from the iterator are unknown.
/// Either way a statement it makes is not certain unless the collection is written out and not
/// empty (see [`dynamic`]).
pub fn from_document_block(block: &Block, kind: PolicyKind, locals: Locals<'_>) -> Policy {
    let mut reader = Reader { problems: Vec::new(), old_version: None };
    let mut statements = Vec::new();
    if let Some(version) = block.body.attribute("version") {
        reader.version(&version.value, "version");
    }
    for (i, rendered) in dynamic::blocks(&block.body, "statement", locals).iter().enumerate() {
        let (sb, body) = (&rendered.block, &rendered.block.body);
        let pointer = format!("/Statement/{i}");
        // `null` is an absent argument.
        let attr = |name: &str| body.attribute(name).map(|a| &a.value).filter(|v| v.kind != ValueKind::Null);
        let list = |reader: &mut Reader, name: &str, key: &str, kind: Kind| {
            attr(name).map(|v| reader.elements(v, &format!("{pointer}/{key}"), kind))
        };
        let effect = match attr("effect") {
            None => Some(Effect::Allow),
            Some(v) => reader.effect(v, &format!("{pointer}/Effect")),
        };
        let principals = |reader: &mut Reader, ident: &str, key: &str| {
            let (certain, maybe) = nested(body, ident);
            if certain.is_empty() && maybe.is_empty() {
                return (None, Has::No);
            }
            let mut out = Vec::new();
            for p in certain.iter().chain(&maybe) {
                let Some(kind) = p.body.attribute("type").and_then(|t| t.value.as_str()) else {
                    continue;
                };
                let Some(ids) = p.body.attribute("identifiers") else {
                    continue;
                };
                let ptr = format!("{pointer}/{key}/{kind}");
                let ids = local_names(&ids.value, locals);
                for value in reader.elements(&ids, &ptr, Kind::Name).items {
                    // `type = "*"` with `identifiers = ["*"]` renders as `"Principal": "*"`.
                    let kind = if kind == "*" { "*".to_string() } else { kind.to_string() };
                    out.push(Principal { kind, value });
                }
            }
            (Some(out), if certain.is_empty() { Has::Maybe } else { Has::Yes })
        };
        let (certain_conditions, maybe_conditions) = nested(body, "condition");
        let conditions = certain_conditions
            .iter()
            .chain(&maybe_conditions)
            .map(|c| {
                let text = |name: &str| c.body.attribute(name).and_then(|a| a.value.as_str()).map(str::to_string);
                let (operator, key) = (text("test"), text("variable"));
                let ptr = format!(
                    "{pointer}/Condition/{}/{}",
                    operator.as_deref().unwrap_or("?"),
                    key.as_deref().unwrap_or("?")
                );
                let values = c
                    .body
                    .attribute("values")
                    .map(|v| reader.elements(&v.value, &ptr, Kind::ConditionValue).items)
                    .unwrap_or_default();
                let at = c.body.attribute("variable").map_or(c.header, |v| v.value.at);
                Condition { operator, key, at, values }
            })
            .collect();
        let (principal, has_principal) = principals(&mut reader, "principals", "Principal");
        let (not_principal, has_not_principal) = principals(&mut reader, "not_principals", "NotPrincipal");
        let s = Statement {
            at: sb.at,
            pointer: pointer.clone(),
            sid: attr("sid").and_then(Value::as_str).map(str::to_string),
            effect,
            action: list(&mut reader, "actions", "Action", Kind::Action),
            not_action: list(&mut reader, "not_actions", "NotAction", Kind::Action),
            resource: list(&mut reader, "resources", "Resource", Kind::Name),
            not_resource: list(&mut reader, "not_resources", "NotResource", Kind::Name),
            principal,
            not_principal,
            conditions,
            certain: rendered.certain,
            denied: Vec::new(),
        };
        let parts = Parts {
            action: Has::value(attr("actions")),
            not_action: Has::value(attr("not_actions")),
            resource: Has::value(attr("resources")),
            not_resource: Has::value(attr("not_resources")),
            principal: has_principal,
            not_principal: has_not_principal,
        };
        reader.shape(&s, parts, kind, false);
        statements.push(s);
    }
    reader.policy_variables(&statements);
    deny::apply_denies(&mut statements);
    Policy {
        kind,
        at: block.header,
        address: block.address(),
        statements,
        problems: reader.problems,
        via: Vec::new(),
        managed: None,
    }
}

/// A `format` string as a template: each verb (`%s`, `%d`, `%#v`, `%.2f`) becomes `${...}`,
/// `%%` a `%`.
fn format_shape(format: &str) -> String {
    let mut out = String::with_capacity(format.len());
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some(c) if c.is_ascii_alphabetic() => out.push_str("${...}"),
            Some(_) => {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
                out.push_str("${...}");
            }
            None => out.push('%'),
        }
    }
    out
}

/// Principal identifiers with each `local.x` that is written as a text (a string, a template, a
/// `format`) read as that text, at the reference: `local.account_principal` of
/// `"arn:${local.partition}:iam::${local.account_id}:root"` is the account root in shape.
fn local_names(value: &Value, locals: Locals<'_>) -> Value {
    let inline = |v: &Value| match v.as_reference().and_then(|r| r.strip_prefix("local.")).and_then(locals) {
        Some(local) if matches!(&local.kind, ValueKind::String(_) | ValueKind::Template(_) | ValueKind::Call(_)) => {
            Value { at: v.at, kind: local.kind.clone() }
        }
        _ => v.clone(),
    };
    match &value.kind {
        ValueKind::List(items) => {
            Value { at: value.at, kind: ValueKind::List(std::sync::Arc::new(items.iter().map(inline).collect())) }
        }
        _ => inline(value),
    }
}

/// The nested blocks of a type: those certainly there, and those a `dynamic` block may make
/// (wrapped by [`dynamic::blocks`]).
fn nested<'b>(body: &'b Body, ident: &'b str) -> (Vec<&'b Block>, Vec<&'b Block>) {
    let certain = body.blocks(ident).collect();
    let maybe =
        body.blocks("dynamic").filter(|d| d.label(0) == Some(ident)).flat_map(|d| d.body.blocks(ident)).collect();
    (certain, maybe)
}

/// The first IAM policy variable in a text: `${aws:username}`, `${s3:prefix}`, `${*}`, also
/// written `&{...}` or `$${...}` in Terraform, which would otherwise interpolate it. A Terraform
/// interpolation (`${var.x}`) has no colon in its name and is not one.
fn policy_variable(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(open) = text.get(from..)?.find('{').map(|i| from + i) {
        from = open + 1;
        if open == 0 || !matches!(bytes[open - 1], b'$' | b'&') {
            continue;
        }
        let close = text.get(open..)?.find('}').map(|i| open + i)?;
        let name = text.get(open + 1..close)?;
        let special = matches!(name, "*" | "?" | "$");
        let keyed = name.split_once(':').is_some_and(|(service, key)| {
            !service.is_empty()
                && !key.is_empty()
                && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'-' | b'_' | b'.' | b'/'))
        });
        if special || keyed {
            return text.get(open - 1..=close);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SourceId;
    use crate::parse::{hcl, json, strings::OffsetMap, tf_json};

    /// The policy of the first `aws_iam_policy_document` of a module, with its locals.
    fn document(text: &str, kind: PolicyKind) -> Policy {
        let blocks = hcl::parse(text, SourceId(0)).map(|b| b.blocks).unwrap_or_default();
        let locals = |name: &str| {
            blocks.iter().filter(|b| b.ident == "locals").find_map(|b| b.body.attribute(name)).map(|a| &a.value)
        };
        let block = blocks.iter().find(|b| b.label(0) == Some("aws_iam_policy_document")).unwrap();
        from_document_block(block, kind, &locals)
    }

    fn texts(elements: &Option<Elements>) -> Vec<Option<&str>> {
        elements.iter().flat_map(|e| e.items.iter()).map(|e| e.text.as_deref()).collect()
    }

    fn problems(policy: &Policy) -> Vec<&str> {
        policy.problems.iter().map(|p| p.message.as_str()).collect()
    }

    const TEMPLATE: &str = r#"
      content {
        sid           = try(coalesce(statement.value.sid, statement.key))
        actions       = statement.value.actions
        not_actions   = try(statement.value.not_actions, null)
        effect        = lookup(statement.value, "effect", "Allow")
        resources     = statement.value["resources"]
        not_resources = lookup(statement.value, "not_resources", null)
        dynamic "principals" {
          for_each = try(statement.value.principals, null) != null ? statement.value.principals : []
          content {
            type        = principals.value.type
            identifiers = principals.value.identifiers
          }
        }
        dynamic "condition" {
          for_each = try(statement.value.conditions, [])
          content {
            test     = condition.value.test
            variable = condition.value.variable
            values   = condition.value.values
          }
        }
      }"#;

    #[test]
    fn a_dynamic_statement_over_a_variable_is_one_template_and_not_malformed() {
        let text = format!(
            "data \"aws_iam_policy_document\" \"x\" {{\n  dynamic \"statement\" {{\n    for_each = var.statements != null ? var.statements : {{}}\n{TEMPLATE}\n  }}\n}}\n"
        );
        for kind in [PolicyKind::Identity, PolicyKind::Trust, PolicyKind::Resource] {
            let policy = document(&text, kind);
            assert_eq!(problems(&policy), Vec::<&str>::new(), "{kind:?}");
            let [s] = policy.statements.as_slice() else { panic!("{policy:?}") };
            assert!(!s.certain);
            assert_eq!(s.effect, None);
            assert_eq!(texts(&s.action), [None]);
        }
    }

    #[test]
    fn a_dynamic_statement_over_a_local_is_one_statement_per_item() {
        let text = format!(
            r#"locals {{
  statements = {{
    ReadArtifacts = {{
      actions   = ["s3:GetObject"]
      resources = ["arn:aws:s3:::artifacts/*"]
    }}
    DenyInsecure = {{
      effect    = "Deny"
      actions   = ["s3:*"]
      resources = ["*"]
      conditions = [{{ test = "Bool", variable = "aws:SecureTransport", values = [false] }}]
    }}
  }}
}}
data "aws_iam_policy_document" "x" {{
  dynamic "statement" {{
    for_each = local.statements
{TEMPLATE}
  }}
}}
"#
        );
        let policy = document(&text, PolicyKind::Identity);
        assert_eq!(problems(&policy), Vec::<&str>::new());
        let [read, deny] = policy.statements.as_slice() else { panic!("{policy:?}") };
        assert!(read.certain && deny.certain);
        assert_eq!((read.sid.as_deref(), read.effect), (Some("ReadArtifacts"), Some(Effect::Allow)));
        assert_eq!(texts(&read.action), [Some("s3:GetObject")]);
        assert_eq!(texts(&read.resource), [Some("arn:aws:s3:::artifacts/*")]);
        assert!(read.not_action.is_none() && read.not_resource.is_none() && read.principal.is_none());
        assert_eq!((deny.pointer.as_str(), deny.effect), ("/Statement/1", Some(Effect::Deny)));
        let [condition] = deny.conditions.as_slice() else { panic!("{deny:?}") };
        assert_eq!(condition.key.as_deref(), Some("aws:SecureTransport"));
        assert_eq!(condition.values[0].text.as_deref(), Some("false"));
        // The item's values keep the place they were written: in the local.
        let action = &read.action.as_ref().unwrap().items[0];
        assert_eq!(&text[action.at.span.range()], "\"s3:GetObject\"");
    }

    #[test]
    fn a_conditional_collection_gives_statements_that_may_not_be_there() {
        let text = r#"data "aws_iam_policy_document" "x" {
  dynamic "statement" {
    for_each = var.enabled ? [1] : []
    content {
      actions   = ["kms:Decrypt"]
      resources = var.key_arns
    }
  }
  dynamic "statement" {
    for_each = toset(["arn:aws:s3:::a", "arn:aws:s3:::b"])
    iterator = bucket
    content {
      actions   = ["s3:ListBucket"]
      resources = [bucket.value, "${bucket.key}/*"]
    }
  }
}
"#;
        let policy = document(text, PolicyKind::Identity);
        assert_eq!(problems(&policy), Vec::<&str>::new());
        let [kms, a, b] = policy.statements.as_slice() else { panic!("{policy:?}") };
        assert!(!kms.certain && a.certain && b.certain);
        assert_eq!(texts(&kms.action), [Some("kms:Decrypt")]);
        assert_eq!(texts(&a.resource), [Some("arn:aws:s3:::a"), Some("arn:aws:s3:::a/*")]);
        assert_eq!(texts(&b.resource), [Some("arn:aws:s3:::b"), Some("arn:aws:s3:::b/*")]);
    }

    #[test]
    fn dynamic_blocks_in_json_syntax() {
        let text = r#"{"data": {"aws_iam_policy_document": {"x": {"dynamic": {"statement": {
  "for_each": [{"actions": ["*"], "resources": ["*"]}],
  "content": {"actions": "${statement.value.actions}", "resources": "${statement.value.resources}"}
}}}}}}"#;
        let value = json::parse(text, SourceId(0), &OffsetMap::identity(0)).unwrap();
        let body = tf_json::to_body(&value);
        let policy = from_document_block(&body.blocks[0], PolicyKind::Identity, &|_| None);
        assert_eq!(problems(&policy), Vec::<&str>::new());
        let [s] = policy.statements.as_slice() else { panic!("{policy:?}") };
        assert_eq!(texts(&s.action), [Some("*")]);
    }

    #[test]
    fn elements_that_may_be_null_are_neither_missing_nor_doubled() {
        let text = r#"data "aws_iam_policy_document" "x" {
  statement {
    actions       = var.actions
    not_actions   = var.not_actions
    resources     = var.resources
    not_resources = null
    condition {
      test     = "Bool"
      variable = "aws:MultiFactorAuthPresent"
      values   = [true]
    }
    condition {
      test     = "NumericLessThan"
      variable = "aws:MultiFactorAuthAge"
      values   = [3600]
    }
  }
  statement {
    actions = ["s3:GetObject"]
    resources = ["*"]
    not_resources = ["arn:aws:s3:::secret/*"]
  }
}
"#;
        let policy = document(text, PolicyKind::Identity);
        assert_eq!(problems(&policy), ["the statement has both `Resource` and `NotResource`"]);
        let values: Vec<_> = policy.statements[0].conditions.iter().map(|c| c.values[0].text.as_deref()).collect();
        assert_eq!(values, [Some("true"), Some("3600")]);
    }

    #[test]
    fn a_deny_takes_away_what_it_covers_wherever_the_allow_applies() {
        let text = r#"data "aws_iam_policy_document" "x" {
  statement {
    actions   = ["s3:GetObject", "s3:PutObject", "iam:PassRole"]
    resources = ["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceAccount"
      values   = ["123456789012"]
    }
  }
  statement {
    effect    = "Deny"
    actions   = ["s3:Put*"]
    resources = ["arn:aws:s3:::*"]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceAccount"
      values   = ["123456789012"]
    }
  }
  statement {
    effect    = "Deny"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::a/*"]
  }
  statement {
    effect    = "Deny"
    actions   = ["iam:PassRole"]
    resources = ["*"]
    condition {
      test     = "Bool"
      variable = "aws:ViaAWSService"
      values   = ["false"]
    }
  }
  dynamic "statement" {
    for_each = var.lockdown ? [1] : []
    content {
      effect    = "Deny"
      actions   = ["*"]
      resources = ["*"]
    }
  }
}
"#;
        let policy = document(text, PolicyKind::Identity);
        let allow = &policy.statements[0];
        // PutObject is denied on every resource of the allow; GetObject only on one of them;
        // PassRole only under a condition the allow does not have; the lockdown may not exist.
        assert_eq!(allow.denied, [1]);
        assert!(allow.grants());
        let granted: Vec<_> = allow.granted_actions().map(|e| e.text.as_deref()).collect();
        assert_eq!(granted, [Some("s3:GetObject"), Some("iam:PassRole")]);
        let certain = text.replace("var.lockdown ? [1] : []", "[1]");
        let policy = document(&certain, PolicyKind::Identity);
        assert_eq!(policy.statements[0].denied, [0, 1, 2]);
        assert!(!policy.statements[0].grants());
    }

    #[test]
    fn version_2008_is_valid_without_policy_variables() {
        let read = |text: &str| {
            let value = json::parse(text, SourceId(0), &OffsetMap::identity(0)).unwrap();
            from_value(&value, PolicyKind::Resource, None)
        };
        let sns = r#"{"Version": "2008-10-17", "Id": "__default_policy_ID", "Statement": [{"Effect": "Allow",
          "Principal": {"AWS": "*"}, "Action": "SNS:Publish", "Resource": "arn:aws:sns:eu-west-1:123456789012:t",
          "Condition": {"StringEquals": {"AWS:SourceOwner": "123456789012"}}}]}"#;
        assert_eq!(problems(&read(sns)), Vec::<&str>::new());
        let home = r#"{"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"},
          "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"}]}"#;
        assert_eq!(problems(&read(home)).len(), 1);
        let bad = read(&sns.replace("2008-10-17", "2012-10-18"));
        assert_eq!(
            problems(&bad),
            ["`Version` is `2012-10-18`: AWS knows only `2012-10-17` (current) and `2008-10-17`"]
        );
    }

    #[test]
    fn format_strings_are_read_as_templates() {
        assert_eq!(format_shape("arn:${local.p}:iam::%s:root"), "arn:${local.p}:iam::${...}:root");
        assert_eq!(format_shape("%d%% of %#v, %.2f"), "${...}% of ${...}, ${...}");
        assert_eq!(format_shape("trailing %"), "trailing %");
        assert_eq!(format_shape("%-"), "${...}");
    }

    #[test]
    fn policy_variables_are_not_terraform_interpolations() {
        assert_eq!(policy_variable("arn:aws:s3:::home/${aws:username}/*"), Some("${aws:username}"));
        assert_eq!(policy_variable("home/&{aws:userid}"), Some("&{aws:userid}"));
        assert_eq!(policy_variable("home/$${aws:username}"), Some("${aws:username}"));
        assert_eq!(policy_variable("${*}"), Some("${*}"));
        for no in ["arn:aws:s3:::${var.bucket}/*", "${a ? b : c}", "{aws:username}", "${", "${aws:", "}{", "é${"] {
            assert_eq!(policy_variable(no), None, "{no}");
        }
    }
}
