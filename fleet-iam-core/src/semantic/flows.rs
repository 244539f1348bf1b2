//! Secret flows: where a value comes from (the references inside an expression or a template
//! string, followed through `local.*` to a variable, a resource attribute or a module output),
//! whether Terraform marks it sensitive on the way, and whether it is a secret.

use super::resolve::Resolver;
use crate::model::{At, Block, Entry, Module, Value, ValueKind, template};
use crate::secrets::{holds_secret, is_placeholder, is_secret_value};
use crate::source::{Sources, Span};

/// Nesting of values followed before giving up.
const MAX_DEPTH: usize = 24;

/// References followed (through `local.*`, at most [`MAX_DEPTH`] deep) for one question before
/// giving up: bounds cycles and locals that fan out into each other.
const BUDGET: usize = 4096;

/// Functions whose result does not carry their argument's value: hashes, lengths, checks.
/// References inside them do not flow into the result. `sensitive()` is here too: its result is
/// marked, so Terraform never prints it.
pub const OPAQUE_FUNCTIONS: &[&str] = &[
    "md5",
    "sha1",
    "sha256",
    "sha512",
    "base64sha256",
    "base64sha512",
    "bcrypt",
    "filemd5",
    "filesha1",
    "filesha256",
    "filesha512",
    "uuidv5",
    "length",
    "can",
    "type",
    "sensitive",
    "issensitive",
];

/// Reference roots that are not values of the configuration.
const NON_VALUE_ROOTS: &[&str] = &["each", "count", "path", "terraform", "self"];

/// Resource (or data source) attributes that hold a secret although their name does not say so.
/// Attributes whose name holds a secret (`aws_iam_access_key.secret`,
/// `tls_private_key.private_key_pem`, `aws_db_instance.password`) need no entry.
pub const SECRET_ATTRIBUTES: &[(&str, &str)] = &[
    ("random_password", "result"),
    ("kubernetes_secret", "data"),
    ("kubernetes_secret", "binary_data"),
    ("kubernetes_secret_v1", "data"),
    ("kubernetes_secret_v1", "binary_data"),
];

/// Resource (or data source) attributes the provider's schema marks sensitive: Terraform hides
/// them in plans, and refuses a non-sensitive output that shows them.
const PROVIDER_SENSITIVE: &[(&str, &str)] = &[
    ("random_password", "result"),
    ("kubernetes_secret", "data"),
    ("kubernetes_secret", "binary_data"),
    ("kubernetes_secret_v1", "data"),
    ("kubernetes_secret_v1", "binary_data"),
    ("aws_ssm_parameter", "value"),
    ("aws_iam_access_key", "secret"),
    ("aws_iam_access_key", "ses_smtp_password_v4"),
    ("tls_private_key", "private_key_pem"),
    ("tls_private_key", "private_key_openssh"),
    ("tls_private_key", "private_key_pem_pkcs8"),
    ("aws_db_instance", "password"),
    ("aws_rds_cluster", "master_password"),
    ("aws_secretsmanager_secret_version", "secret_string"),
    ("aws_secretsmanager_secret_version", "secret_binary"),
    ("aws_eks_cluster_auth", "token"),
    ("aws_elasticache_replication_group", "auth_token"),
    ("aws_cognito_user_pool_client", "client_secret"),
];

/// A reference whose value flows into an expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    /// As written, indexes included: `random_password.db.result`, `var.db["password"]`.
    pub reference: String,
    /// Where it is written: the reference itself, or the whole string when it cannot be located
    /// inside it.
    pub at: At,
    /// Whether it is wrapped in `nonsensitive()`, which removes Terraform's sensitive mark.
    pub unmasked: bool,
}

/// Every reference whose value flows into `value`: not the conditions of `? :`, not the operands
/// of comparisons, not the arguments of hashes ([`OPAQUE_FUNCTIONS`]); references inside
/// `${...}` of template strings and heredocs included.
pub fn flows(value: &Value, sources: &Sources<'_>) -> Vec<Flow> {
    let mut out = Vec::new();
    collect_flows(value, sources, false, 0, &mut out);
    out
}

fn collect_flows(value: &Value, sources: &Sources<'_>, unmasked: bool, depth: usize, out: &mut Vec<Flow>) {
    if depth > MAX_DEPTH {
        return;
    }
    match &value.kind {
        ValueKind::Reference(reference) if is_value_reference(reference) => {
            out.push(Flow { reference: reference.clone(), at: value.at, unmasked });
        }
        ValueKind::Template(text) => {
            let mut cursor = 0;
            for (offset, reference) in template_references(text) {
                let at = locate_in(sources, value.at, text, offset, &reference, &mut cursor);
                out.push(Flow { reference, at, unmasked });
            }
        }
        ValueKind::List(items) => {
            for item in items.iter() {
                collect_flows(item, sources, unmasked, depth + 1, out);
            }
        }
        ValueKind::Object(entries) => {
            for entry in entries {
                collect_flows(&entry.value, sources, unmasked, depth + 1, out);
            }
        }
        ValueKind::Call(call) if !OPAQUE_FUNCTIONS.contains(&call.name.as_str()) => {
            let unmasked = unmasked || call.name == "nonsensitive";
            for arg in &call.args {
                collect_flows(arg, sources, unmasked, depth + 1, out);
            }
        }
        ValueKind::Conditional(parts) => {
            let [_, then, otherwise] = parts.as_ref();
            collect_flows(then, sources, unmasked, depth + 1, out);
            collect_flows(otherwise, sources, unmasked, depth + 1, out);
        }
        _ => {}
    }
}

fn is_value_reference(reference: &str) -> bool {
    let names = names(reference);
    names.len() >= 2 && !NON_VALUE_ROOTS.contains(&names[0].as_str())
}

/// The names of a reference without its index operators: `module.db["x"].password` is
/// `["module", "db", "password"]`.
pub fn names(reference: &str) -> Vec<String> {
    let mut plain = String::with_capacity(reference.len());
    let mut depth = 0usize;
    let mut quoted = false;
    let mut escaped = false;
    for c in reference.chars() {
        if quoted {
            match (escaped, c) {
                (false, '\\') => escaped = true,
                (false, '"') => quoted = false,
                _ => escaped = false,
            }
            continue;
        }
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '"' if depth > 0 => quoted = true,
            c if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    plain.split('.').filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// Byte offsets and texts of the references to values inside the `${...}` interpolations of a
/// template (see [`template::references`]): not inside hashes ([`OPAQUE_FUNCTIONS`]), not
/// `each.*`, `count.*`, `path.*`.
pub fn template_references(text: &str) -> Vec<(usize, String)> {
    let mut refs = template::references(text, OPAQUE_FUNCTIONS);
    refs.retain(|(_, reference)| is_value_reference(reference));
    refs
}

/// Where `needle`, found at `offset` of a string value's `text`, is in the source: exact when the
/// text is the source as written (a heredoc, or what is between the quotes), else the next
/// occurrence of `needle` after `cursor` in the value's source text, else the whole value.
pub fn locate_in(sources: &Sources<'_>, within: At, text: &str, offset: usize, needle: &str, cursor: &mut usize) -> At {
    let Some(raw) = sources.get(within.source.0).and_then(|s| s.text.get(within.span.range())) else {
        return within;
    };
    let base = if raw == text {
        Some(within.span.start)
    } else if raw.len() >= 2 && raw.get(1..raw.len() - 1) == Some(text) {
        Some(within.span.start + 1)
    } else {
        None
    };
    if let Some(base) = base
        && text.get(offset..offset + needle.len()) == Some(needle)
    {
        return At::new(within.source, Span::new(base + offset, base + offset + needle.len()));
    }
    // A multi-line needle may be indented differently (`<<-EOT`): its first line still points at it.
    let first_line = needle.lines().next().unwrap_or(needle);
    for needle in [needle, first_line] {
        if let Some(found) = raw.get(*cursor..).and_then(|rest| rest.find(needle)).filter(|_| !needle.is_empty()) {
            let start = within.span.start + *cursor + found;
            *cursor += found + needle.len();
            return At::new(within.source, Span::new(start, start + needle.len()));
        }
    }
    within
}

/// A boolean meta-argument (`sensitive`, `ephemeral`) of a block: `Some(false)` when absent,
/// `None` when it cannot be known.
pub fn flag(block: &Block, name: &str, resolver: &Resolver<'_>) -> Option<bool> {
    match block.body.attribute(name) {
        None => Some(false),
        Some(attr) => resolver.resolve(&attr.value).as_bool(),
    }
}

/// Whether a `variable` named like a secret shows by its `default` that it holds something
/// else: a literal string that is not a placeholder and that the value-shape test
/// ([`is_secret_value`]) does not take for a secret, such as the path or name of a secret
/// (`ssm_key_password = "admin/db_password"`) or a plain word under the name of a generated
/// credential (`kube_secret = "tailscale"`, `datadog_api_secret_key = "default"`).
pub fn default_names_no_secret(block: &Block) -> bool {
    let (Some(name), Some(default)) = (block.label(0), block.body.attribute("default")) else { return false };
    literal_names_no_secret(name, &default.value)
}

/// Whether `value`, written under the secret name `name`, is a literal string that shows the
/// name holds something else (see [`default_names_no_secret`]): `access_token = "minutes"`.
pub fn literal_names_no_secret(name: &str, value: &Value) -> bool {
    value.as_str().is_some_and(|text| !is_placeholder(text) && !is_secret_value(name, text))
}

/// Type constructors whose arguments describe the value's shape.
const TYPE_CONSTRUCTORS: &[&str] = &["object", "map", "list", "set", "tuple", "optional"];

/// The attributes of an object type, through the collections and `optional()` around it:
/// `list(object({ name = string, valueFrom = string }))` has `name` and `valueFrom`.
fn object_attributes(value: &Value, depth: usize) -> Option<&[Entry]> {
    let ValueKind::Call(call) = &value.kind else { return None };
    if depth > 16 || !TYPE_CONSTRUCTORS.contains(&call.name.as_str()) {
        return None;
    }
    match (call.name.as_str(), call.args.first().map(|a| &a.kind)) {
        ("object", Some(ValueKind::Object(entries))) if !entries.is_empty() => Some(entries),
        _ => call.args.first().and_then(|a| object_attributes(a, depth + 1)),
    }
}

/// Attributes of an object that make it an ECS container definition, as the module libraries
/// mirror one in a variable's type (`image`, `port_mappings`, `essential`, ...): two are enough.
const CONTAINER_DEFINITION_KEYS: &[&str] = &[
    "image",
    "ecr_image",
    "essential",
    "port_mappings",
    "portMappings",
    "environment",
    "map_environment",
    "log_configuration",
    "logConfiguration",
];

/// Attributes of a container definition that hold references to secrets, never values: ECS reads
/// `secrets` as `name`/`valueFrom` pairs (a Secrets Manager or SSM ARN), and cloudposse's
/// `map_secrets` is the same as a map from name to `valueFrom`.
const CONTAINER_SECRET_REFERENCES: &[&str] = &["secrets", "map_secrets"];

/// Whether `entries` are the attributes of an ECS container definition.
fn is_container_definition(entries: &[Entry]) -> bool {
    entries.iter().filter(|e| CONTAINER_DEFINITION_KEYS.contains(&e.key.as_str())).take(2).count() == 2
}

/// Secret-named attributes of an object type or object default: where each key is, and its path.
/// A secret-named attribute whose type is an object is judged by its own attributes (ECS's
/// `repositoryCredentials = object({ credentialsParameter = string })` holds an ARN), and one
/// whose default is a literal that is not a secret holds something else
/// (`token_validity_units = { access_token = "minutes" }`). In a container definition,
/// `secrets` and `map_secrets` hold references ([`CONTAINER_SECRET_REFERENCES`]).
fn secret_attributes(value: &Value, path: &str, depth: usize, out: &mut Vec<(At, String)>) {
    if depth > 16 {
        return;
    }
    match &value.kind {
        ValueKind::Call(call) if TYPE_CONSTRUCTORS.contains(&call.name.as_str()) => {
            for arg in &call.args {
                secret_attributes(arg, path, depth + 1, out);
            }
        }
        ValueKind::Object(entries) => {
            let container = is_container_definition(entries);
            for entry in entries {
                if container && CONTAINER_SECRET_REFERENCES.contains(&entry.key.as_str()) {
                    continue;
                }
                let inner = if path.is_empty() { entry.key.to_string() } else { format!("{path}.{}", entry.key) };
                let secret = holds_secret(&entry.key)
                    && object_attributes(&entry.value, 0).is_none()
                    && !literal_names_no_secret(&entry.key, &entry.value);
                if secret {
                    out.push((entry.key_at, inner));
                } else {
                    secret_attributes(&entry.value, &inner, depth + 1, out);
                }
            }
        }
        ValueKind::List(items) => {
            for item in items.iter() {
                secret_attributes(item, path, depth + 1, out);
            }
        }
        _ => {}
    }
}

/// Whether a `variable` holds a secret by its name, judged by what it is declared to hold: not
/// when its type is an object (its attributes are judged, [`variable_secret_attributes`]), nor
/// when its default names a secret rather than being one ([`default_names_no_secret`]).
pub fn variable_named_secret(block: &Block) -> bool {
    let object = block.body.attribute("type").and_then(|t| object_attributes(&t.value, 0)).is_some();
    block.label(0).is_some_and(holds_secret) && !object && !default_names_no_secret(block)
}

/// The secret-named attributes of a `variable`'s object `type` or `default`: where each key is,
/// and its path (`db.password`).
pub fn variable_secret_attributes(block: &Block) -> Vec<(At, String)> {
    let mut attributes = Vec::new();
    for shape in ["type", "default"] {
        if let Some(attr) = block.body.attribute(shape) {
            secret_attributes(&attr.value, "", 0, &mut attributes);
        }
    }
    attributes
}

/// Whether Terraform marks a value sensitive, as far as the configuration shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Marked {
    /// Hidden in plans: a `sensitive = true` (or ephemeral) variable, an attribute the provider
    /// marks sensitive, or anything computed from one.
    Sensitive,
    /// Shown in plans.
    Clear,
    /// Not known from the configuration (module outputs, most resource attributes).
    Unknown,
}

/// Whether a value built from these references is marked sensitive: sensitive when any of them
/// is, clear when every one is clear (or there is none), unknown otherwise.
pub fn flows_marked(resolver: &Resolver<'_>, sources: &Sources<'_>, flows: &[Flow]) -> Marked {
    marked_in(resolver, sources, flows, 0, &mut BUDGET.clone())
}

fn marked_in(
    resolver: &Resolver<'_>,
    sources: &Sources<'_>,
    flows: &[Flow],
    depth: usize,
    budget: &mut usize,
) -> Marked {
    let marks: Vec<Marked> =
        flows
            .iter()
            .map(|f| {
                if f.unmasked {
                    Marked::Clear
                } else {
                    reference_marked(resolver, sources, &f.reference, depth, budget)
                }
            })
            .collect();
    if marks.contains(&Marked::Sensitive) {
        Marked::Sensitive
    } else if marks.contains(&Marked::Unknown) {
        Marked::Unknown
    } else {
        Marked::Clear
    }
}

fn reference_marked(
    resolver: &Resolver<'_>,
    sources: &Sources<'_>,
    reference: &str,
    depth: usize,
    budget: &mut usize,
) -> Marked {
    let Some(left) = budget.checked_sub(1).filter(|_| depth <= MAX_DEPTH) else { return Marked::Unknown };
    *budget = left;
    let module = resolver.module();
    let names = names(reference);
    match names.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["var", name, ..] => match module.variable(name) {
            Some(block) => match (flag(block, "sensitive", resolver), flag(block, "ephemeral", resolver)) {
                (Some(true), _) | (_, Some(true)) => Marked::Sensitive,
                (Some(false), Some(false)) => Marked::Clear,
                _ => Marked::Unknown,
            },
            None => Marked::Unknown,
        },
        ["local", name, ..] => match module.local(name) {
            Some(value) => marked_in(resolver, sources, &flows(value, sources), depth + 1, budget),
            None => Marked::Unknown,
        },
        ["module", ..] => Marked::Unknown,
        ["data", kind, _, attribute, ..] | [kind, _, attribute, ..] => {
            if PROVIDER_SENSITIVE.contains(&(*kind, *attribute)) {
                Marked::Sensitive
            } else if (*kind, *attribute) == ("random_string", "result") {
                Marked::Clear
            } else {
                Marked::Unknown
            }
        }
        _ => Marked::Unknown,
    }
}

/// Why the value of a reference is a secret.
#[derive(Debug, Clone, PartialEq)]
pub struct Secret {
    /// For messages: `` `var.db_password` ``, with a reason when the name does not say it.
    pub what: String,
    /// Whether Terraform already marks it sensitive.
    pub marked: Marked,
    /// Where it comes from, for a label: the variable's declaration, the generating resource, or
    /// the secret inside a `local.*`.
    pub origin: Option<(At, String)>,
}

/// Whether the value of a reference is a secret: a variable whose name holds a secret (unless
/// its default shows otherwise, [`default_names_no_secret`]) or that is declared
/// `sensitive = true`; a resource, data source or module attribute whose name holds one;
/// one of [`SECRET_ATTRIBUTES`]; `random_string.NAME.result` and `aws_ssm_parameter.NAME.value`
/// when `NAME` holds a secret (or the parameter is a `SecureString`); a `local.*` whose name
/// holds a secret or whose expression carries one.
pub fn secret(resolver: &Resolver<'_>, sources: &Sources<'_>, reference: &str) -> Option<Secret> {
    secret_in(resolver, sources, reference, 0, &mut BUDGET.clone())
}

fn secret_in(
    resolver: &Resolver<'_>,
    sources: &Sources<'_>,
    reference: &str,
    depth: usize,
    budget: &mut usize,
) -> Option<Secret> {
    let left = budget.checked_sub(1).filter(|_| depth <= MAX_DEPTH)?;
    *budget = left;
    let module = resolver.module();
    let names = names(reference);
    let parts: Vec<&str> = names.iter().map(String::as_str).collect();
    let marked = reference_marked(resolver, sources, reference, depth, budget);
    let named = |path: &[&str]| !path.is_empty() && holds_secret(&path.join("."));
    let plain = |marked| Some(Secret { what: format!("`{reference}`"), marked, origin: None });
    match parts.as_slice() {
        ["var", name, ..] => {
            let declared = module.variable(name);
            let sensitive = declared.is_some_and(|b| flag(b, "sensitive", resolver) == Some(true));
            // The whole variable by what it is declared to hold (an object by its attributes);
            // an attribute of it by its path (`var.db.password`).
            let by_name = match (parts.len(), declared) {
                (2, Some(block)) => variable_named_secret(block) || !variable_secret_attributes(block).is_empty(),
                _ => named(&parts[1..]),
            };
            if !by_name && !sensitive {
                return None;
            }
            let what = format!("`{reference}`");
            let origin = declared.map(|b| (b.header, format!("`var.{name}` is declared here")));
            Some(Secret { what, marked, origin })
        }
        ["local", name, rest @ ..] => {
            if named(&parts[1..]) {
                let built = rest.is_empty()
                    && module
                        .local(name)
                        .is_some_and(|v| local_names_no_secret(resolver, sources, name, v, depth, budget));
                return if built { None } else { plain(marked) };
            }
            if !rest.is_empty() {
                return None;
            }
            let value = module.local(name)?;
            let inner = flows(value, sources)
                .into_iter()
                .find_map(|f| secret_in(resolver, sources, &f.reference, depth + 1, budget).map(|s| (f, s)))?;
            let (flow, found) = inner;
            Some(Secret {
                what: format!("`{reference}`, which is built from {}", found.what),
                marked,
                origin: Some((flow.at, format!("`local.{name}` takes {} here", found.what))),
            })
        }
        ["module", _, rest @ ..] => {
            if named(rest) {
                plain(marked)
            } else {
                None
            }
        }
        ["data", kind, name, rest @ ..] => resource_secret(module, reference, "data", kind, name, rest, marked),
        [kind, name, rest @ ..] => resource_secret(module, reference, "resource", kind, name, rest, marked),
        _ => None,
    }
}

/// Whether a `local` named like a secret shows by its expression that it holds something else:
/// a literal that [`literal_names_no_secret`] accepts, or a path built by `format` from a path
/// format (`"/elasticsearch/${module.this.name}/%s"`, written there or in a local) or by `join`
/// with `"/"`, from no secret: the name of the SSM parameter that keeps the password, as
/// cloudposse's components write it (`elasticsearch_admin_password = format(local.path, "password")`).
fn local_names_no_secret(
    resolver: &Resolver<'_>,
    sources: &Sources<'_>,
    name: &str,
    value: &Value,
    depth: usize,
    budget: &mut usize,
) -> bool {
    if literal_names_no_secret(name, value) {
        return true;
    }
    let ValueKind::Call(call) = &value.kind else { return false };
    let text = |v: &Value| -> Option<String> {
        let v = match &v.kind {
            ValueKind::Reference(r) => resolver.module().local(r.strip_prefix("local.")?)?,
            _ => v,
        };
        match &v.kind {
            ValueKind::String(t) | ValueKind::Template(t) => Some(t.clone()),
            _ => None,
        }
    };
    let path = match call.name.as_str() {
        "format" => call.args.first().and_then(text).is_some_and(|f| f.starts_with('/') && f.contains("%s")),
        "join" => call.args.first().and_then(text).as_deref() == Some("/"),
        _ => false,
    };
    path && flows(value, sources)
        .iter()
        .all(|f| secret_in(resolver, sources, &f.reference, depth + 1, budget).is_none())
}

fn resource_secret(
    module: &Module,
    reference: &str,
    ident: &str,
    kind: &str,
    name: &str,
    rest: &[&str],
    marked: Marked,
) -> Option<Secret> {
    let attribute = *rest.first()?;
    let block = module.blocks.iter().find(|b| b.ident == ident && b.label(0) == Some(kind) && b.label(1) == Some(name));
    let secure_string =
        || block.and_then(|b| b.body.attribute("type")).and_then(|a| a.value.as_str()) == Some("SecureString");
    let by_table = SECRET_ATTRIBUTES.contains(&(kind, attribute));
    let by_resource_name = match (kind, attribute) {
        ("random_string", "result") => holds_secret(name),
        ("aws_ssm_parameter", "value") => holds_secret(name) || secure_string(),
        _ => false,
    };
    if !(by_table || by_resource_name || holds_secret(&rest.join("."))) {
        return None;
    }
    let origin = block.filter(|_| by_table || by_resource_name).map(|b| {
        let address = b.address().unwrap_or_default();
        (b.header, format!("`{address}` generates the secret"))
    });
    Some(Secret { what: format!("`{reference}`"), marked, origin })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceKind;

    #[test]
    fn finds_references_in_templates() {
        let text = "postgres://${var.db_user}:${var.db_password}@${aws_db_instance.main.address}/app";
        let refs: Vec<String> = template_references(text).into_iter().map(|(_, r)| r).collect();
        assert_eq!(refs, ["var.db_user", "var.db_password", "aws_db_instance.main.address"]);
        let (offset, reference) = &template_references(text)[1];
        assert_eq!(&text[*offset..*offset + reference.len()], "var.db_password");
    }

    #[test]
    fn skips_escapes_directives_hashes_and_non_values() {
        let text =
            "$${var.not_a_ref} %{ if var.enabled }${sha256(var.password)}%{ endif } ${each.value} ${count.index}";
        assert!(template_references(text).is_empty(), "{:?}", template_references(text));
        let nested = "${format(\"%s:%s\", var.user, random_password.db[0].result)} ${lookup(var.map, \"k\")}";
        let refs: Vec<String> = template_references(nested).into_iter().map(|(_, r)| r).collect();
        assert_eq!(refs, ["var.user", "random_password.db[0].result", "var.map"]);
        let inner = "${join(\",\", [\"${var.token}\"])}";
        let refs: Vec<String> = template_references(inner).into_iter().map(|(_, r)| r).collect();
        assert_eq!(refs, ["var.token"]);
    }

    #[test]
    fn reference_names_drop_indexes() {
        assert_eq!(names("module.db[\"a.b\"].master_password"), ["module", "db", "master_password"]);
        assert_eq!(names("random_password.db[0].result"), ["random_password", "db", "result"]);
        assert_eq!(names("var.x"), ["var", "x"]);
    }

    #[test]
    fn local_cycles_and_fan_out_end() {
        let mut text = String::from("locals {\n  a0 = local.a0\n");
        for i in 1..40 {
            text.push_str(&format!("  a{i} = \"${{local.a{0}}}${{local.a{0}}}${{local.a{0}}}\"\n", i - 1));
        }
        text.push_str("}\n");
        let (listed, module) = crate::testing::module("main.tf", &text, SourceKind::Hcl);
        let sources = Sources::given(&listed);
        let resolver = Resolver::new(&module);
        let flow = Flow { reference: "local.a39".into(), at: At::default(), unmasked: false };
        assert_eq!(flows_marked(&resolver, &sources, &[flow]), Marked::Unknown);
        assert!(secret(&resolver, &sources, "local.a39").is_none());
    }
}
