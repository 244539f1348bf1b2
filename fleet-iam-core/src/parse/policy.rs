//! Reading IAM policy documents into [`Policy`]: from a located JSON or HCL value (a `.json`
//! file, a JSON string, `jsonencode({...})`) or from a `data "aws_iam_policy_document"` block.

use crate::model::{
    At, Block, Condition, Effect, Element, Elements, Entry, Policy, PolicyKind, Principal, Problem, Statement, Value,
    ValueKind,
};

const STATEMENT_KEYS: &[&str] =
    &["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition"];

/// Reads a policy document value. Never fails: what is wrong becomes a [`Problem`].
pub fn from_value(doc: &Value, kind: PolicyKind, address: Option<String>) -> Policy {
    let mut reader = Reader { problems: Vec::new() };
    let mut statements = Vec::new();
    if let Some(entries) = doc.as_object() {
        reader.top_level(doc, entries, kind, &mut statements);
    } else if is_written(doc) {
        reader.problem(doc.at, "", "a policy document must be a JSON object");
    }
    Policy { kind, at: doc.at, address, statements, problems: reader.problems, managed: None }
}

/// Whether a value is written out (a literal, list or object), not an expression such as a
/// reference or a call, which is known only at apply.
fn is_written(value: &Value) -> bool {
    !matches!(value.kind, ValueKind::Reference(_) | ValueKind::Call(_) | ValueKind::Unknown | ValueKind::Template(_))
}

struct Reader {
    problems: Vec<Problem>,
}

impl Reader {
    fn problem(&mut self, at: At, pointer: &str, message: impl Into<String>) {
        self.problems.push(Problem { at, pointer: pointer.to_string(), message: message.into() });
    }

    fn top_level(&mut self, doc: &Value, entries: &[Entry], kind: PolicyKind, statements: &mut Vec<Statement>) {
        for entry in entries {
            match entry.key.as_str() {
                "Version" => match entry.value.as_str() {
                    Some("2012-10-17") | None => {}
                    Some(other) => self.problem(
                        entry.value.at,
                        "/Version",
                        format!(
                            "`Version` is `{other}`: only `2012-10-17` is current, and older versions do not \
                             substitute policy variables such as `${{aws:username}}`"
                        ),
                    ),
                },
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
                "Action" => s.action = Some(self.elements(&entry.value, &ptr, true)),
                "NotAction" => s.not_action = Some(self.elements(&entry.value, &ptr, true)),
                "Resource" => s.resource = Some(self.elements(&entry.value, &ptr, false)),
                "NotResource" => s.not_resource = Some(self.elements(&entry.value, &ptr, false)),
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
        self.shape(&s, kind, misspelt_action);
        Some(s)
    }

    /// The statement elements each kind of policy must and must not have.
    fn shape(&mut self, s: &Statement, kind: PolicyKind, misspelt_action: bool) {
        let (at, pointer) = (s.at, s.pointer.as_str());
        match (&s.action, &s.not_action) {
            (None, None) if !misspelt_action => {
                self.problem(at, pointer, "the statement has neither `Action` nor `NotAction`")
            }
            (Some(_), Some(_)) => self.problem(at, pointer, "the statement has both `Action` and `NotAction`"),
            _ => {}
        }
        if s.resource.is_some() && s.not_resource.is_some() {
            self.problem(at, pointer, "the statement has both `Resource` and `NotResource`");
        }
        let has_principal = s.principal.is_some() || s.not_principal.is_some();
        let has_resource = s.resource.is_some() || s.not_resource.is_some();
        match kind {
            PolicyKind::Identity if has_principal => {
                self.problem(at, pointer, "an identity policy cannot name a `Principal`: AWS rejects it")
            }
            PolicyKind::Identity if !has_resource => {
                self.problem(at, pointer, "the statement has neither `Resource` nor `NotResource`")
            }
            PolicyKind::Trust if has_resource => {
                self.problem(at, pointer, "a trust policy cannot name a `Resource`: AWS rejects it")
            }
            PolicyKind::Trust | PolicyKind::Resource if !has_principal => {
                self.problem(at, pointer, format!("a {} policy statement needs a `Principal`", kind.as_str()))
            }
            _ => {}
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

    fn elements(&mut self, value: &Value, pointer: &str, actions: bool) -> Elements {
        let items = match &value.kind {
            ValueKind::List(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, v)| self.element(v, &format!("{pointer}/{i}"), actions))
                .collect(),
            _ => self.element(value, pointer, actions).into_iter().collect(),
        };
        Elements { at: value.at, pointer: pointer.to_string(), items }
    }

    fn element(&mut self, value: &Value, pointer: &str, action: bool) -> Option<Element> {
        let text = match &value.kind {
            ValueKind::String(s) | ValueKind::Template(s) => Some(s.clone()),
            ValueKind::Reference(_)
            | ValueKind::Call(_)
            | ValueKind::Unknown
            | ValueKind::Conditional(_)
            | ValueKind::Operation(_) => None,
            _ => {
                self.problem(value.at, pointer, "expected a string");
                return None;
            }
        };
        if action
            && let Some(t) = &text
            && !t.contains("${")
            && t != "*"
            && !t.contains(':')
        {
            self.problem(value.at, pointer, format!("`{t}` is not an action: actions are written `service:Action`"));
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
                    self.elements(&e.value, &ptr, false)
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
                let values = self.elements(&key.value, &format!("{ptr}/{}", key.key), false).items;
                out.push(Condition { operator: op.key.to_string(), key: key.key.to_string(), at: key.key_at, values });
            }
        }
        out
    }
}

/// Reads a `data "aws_iam_policy_document"` block. `statement` blocks map to statements with
/// the pointers the rendered JSON would have (`/Statement/0/Action/1`). A missing `effect` is
/// `Allow`, as the data source defaults it.
pub fn from_document_block(block: &Block, kind: PolicyKind) -> Policy {
    let mut reader = Reader { problems: Vec::new() };
    let mut statements = Vec::new();
    if let Some(version) = block.body.attribute("version")
        && let Some(v) = version.value.as_str()
        && v != "2012-10-17"
    {
        reader.problem(version.value.at, "/Version", format!("`version` is `{v}`: only `2012-10-17` is current"));
    }
    // `dynamic "statement"` blocks count too: their literal elements are known, references to
    // `statement.value` are not.
    let statement_bodies = block.body.blocks.iter().filter_map(|b| match (b.ident.as_str(), b.label(0)) {
        ("statement", _) => Some((b, &b.body)),
        ("dynamic", Some("statement")) => b.body.blocks("content").next().map(|c| (b, &c.body)),
        _ => None,
    });
    for (i, (sb, body)) in statement_bodies.enumerate() {
        let pointer = format!("/Statement/{i}");
        let attr = |name: &str| body.attribute(name).map(|a| &a.value);
        let list = |reader: &mut Reader, name: &str, key: &str, actions: bool| {
            attr(name).map(|v| reader.elements(v, &format!("{pointer}/{key}"), actions))
        };
        let effect = match attr("effect") {
            None => Some(Effect::Allow),
            Some(v) => reader.effect(v, &format!("{pointer}/Effect")),
        };
        let principals = |reader: &mut Reader, ident: &str, key: &str| {
            let blocks: Vec<&Block> = body.blocks(ident).collect();
            if blocks.is_empty() {
                return None;
            }
            let mut out = Vec::new();
            for p in blocks {
                let Some(kind) = p.body.attribute("type").and_then(|t| t.value.as_str()) else {
                    continue;
                };
                let Some(ids) = p.body.attribute("identifiers") else {
                    continue;
                };
                let ptr = format!("{pointer}/{key}/{kind}");
                for value in reader.elements(&ids.value, &ptr, false).items {
                    // `type = "*"` with `identifiers = ["*"]` renders as `"Principal": "*"`.
                    let kind = if kind == "*" { "*".to_string() } else { kind.to_string() };
                    out.push(Principal { kind, value });
                }
            }
            Some(out)
        };
        let conditions = body
            .blocks("condition")
            .filter_map(|c| {
                let test = c.body.attribute("test")?.value.as_str()?.to_string();
                let variable = c.body.attribute("variable")?;
                let key = variable.value.as_str()?.to_string();
                let ptr = format!("{pointer}/Condition/{test}/{key}");
                let values = c.body.attribute("values").map(|v| reader.elements(&v.value, &ptr, false).items);
                Some(Condition { operator: test, key, at: variable.value.at, values: values.unwrap_or_default() })
            })
            .collect();
        let s = Statement {
            at: sb.at,
            pointer: pointer.clone(),
            sid: attr("sid").and_then(Value::as_str).map(str::to_string),
            effect,
            action: list(&mut reader, "actions", "Action", true),
            not_action: list(&mut reader, "not_actions", "NotAction", true),
            resource: list(&mut reader, "resources", "Resource", false),
            not_resource: list(&mut reader, "not_resources", "NotResource", false),
            principal: principals(&mut reader, "principals", "Principal"),
            not_principal: principals(&mut reader, "not_principals", "NotPrincipal"),
            conditions,
        };
        reader.shape(&s, kind, false);
        statements.push(s);
    }
    Policy { kind, at: block.header, address: block.address(), statements, problems: reader.problems, managed: None }
}
