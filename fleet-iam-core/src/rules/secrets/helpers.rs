//! What the M8 rules share: where a value comes from (the references inside an expression or a
//! template string, followed through `local.*` to a variable, a resource attribute or a module
//! output), whether it is marked sensitive on the way, and where a secret sits in its literal.

use crate::model::{At, Block, Module, Value, ValueKind};
use crate::resolve::Resolver;
use crate::source::{SourceKind, Sources, Span};

/// Nesting of values followed before giving up.
const MAX_DEPTH: usize = 24;

/// References followed (through `local.*`, at most [`MAX_DEPTH`] deep) for one question before
/// giving up: bounds cycles and locals that fan out into each other.
const BUDGET: usize = 4096;

/// Functions whose result does not carry their argument's value: hashes, lengths, checks.
/// References inside them do not flow into the result. `sensitive()` is here too: its result is
/// marked, so Terraform never prints it.
const OPAQUE_FUNCTIONS: &[&str] = &[
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
const SECRET_ATTRIBUTES: &[(&str, &str)] = &[
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
pub(crate) struct Flow {
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
pub(crate) fn flows(value: &Value, sources: &Sources<'_>) -> Vec<Flow> {
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
pub(crate) fn names(reference: &str) -> Vec<String> {
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

/// Byte offsets and texts of the references inside the `${...}` interpolations of a template
/// (as written between its quotes, or a whole heredoc). `%{...}` directives are conditions and
/// loops, not values, and are skipped, as are `$${` escapes.
pub(crate) fn template_references(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    template_references_at(text, 0, 0, &mut out);
    out
}

/// Adds the references of the template `text` (found at `base` of the outermost one), `depth`
/// strings deep inside interpolations.
fn template_references_at(text: &str, base: usize, depth: usize, out: &mut Vec<(usize, String)>) {
    if depth > MAX_DEPTH {
        return;
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    while i + 1 < bytes.len() {
        match (bytes[i], bytes[i + 1]) {
            (b'$', b'$') | (b'%', b'%') => i += 2,
            (b'$', b'{') => {
                let end = closing(bytes, i + 2, b'{', b'}');
                expression_references(text, i + 2, end, base, depth, out);
                i = end + 1;
            }
            (b'%', b'{') => i = closing(bytes, i + 2, b'{', b'}') + 1,
            _ => i += 1,
        }
    }
}

/// The index of the bracket that closes the one opened just before `from` (or the end), skipping
/// quoted strings.
fn closing(bytes: &[u8], from: usize, open: u8, close: u8) -> usize {
    let mut depth = 0usize;
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => i = string_end(bytes, i + 1),
            b if b == open => depth += 1,
            b if b == close && depth == 0 => return i,
            b if b == close => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// The index of the quote that ends a string whose content starts at `from`.
fn string_end(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-')
}

/// References in the expression `text[start..end]`, skipping the arguments of opaque functions.
fn expression_references(
    text: &str,
    start: usize,
    end: usize,
    base: usize,
    depth: usize,
    out: &mut Vec<(usize, String)>,
) {
    let bytes = text.as_bytes();
    let end = end.min(bytes.len());
    let mut i = start;
    while i < end {
        let b = bytes[i];
        if b == b'"' {
            let close = string_end(bytes, i + 1).min(end);
            // A string inside an interpolation is a template of its own.
            if let Some(inner) = text.get(i + 1..close) {
                template_references_at(inner, base + i + 1, depth + 1, out);
            }
            i = close + 1;
            continue;
        }
        let starts_word = i == start || !(is_ident(bytes[i - 1]) || bytes[i - 1] == b'.');
        if !(is_ident_start(b) && starts_word) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < end && is_ident(bytes[j]) {
            j += 1;
        }
        loop {
            if j + 1 < end && bytes[j] == b'.' && (is_ident_start(bytes[j + 1]) || bytes[j + 1] == b'*') {
                j += 1;
                while j < end && (is_ident(bytes[j]) || bytes[j] == b'*') {
                    j += 1;
                }
            } else if j < end && bytes[j] == b'[' {
                j = closing(bytes, j + 1, b'[', b']').min(end) + 1;
            } else {
                break;
            }
        }
        let j = j.min(end);
        let mut after = j;
        while after < end && bytes[after].is_ascii_whitespace() {
            after += 1;
        }
        if after < end && bytes[after] == b'(' {
            let name = text.get(i..j).unwrap_or_default();
            if OPAQUE_FUNCTIONS.contains(&name) {
                i = closing(bytes, after + 1, b'(', b')').min(end) + 1;
                continue;
            }
            i = after + 1;
            continue;
        }
        if let Some(reference) = text.get(i..j)
            && reference.contains('.')
            && is_value_reference(reference)
        {
            out.push((base + i, reference.to_string()));
        }
        i = j.max(i + 1);
    }
}

/// Where `needle`, found at `offset` of a string value's `text`, is in the source: exact when the
/// text is the source as written (a heredoc, or what is between the quotes), else the next
/// occurrence of `needle` after `cursor` in the value's source text, else the whole value.
pub(crate) fn locate_in(
    sources: &Sources<'_>,
    within: At,
    text: &str,
    offset: usize,
    needle: &str,
    cursor: &mut usize,
) -> At {
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

/// The line that marks a block sensitive, in the syntax of the file that declares it.
pub(crate) fn sensitive_line(sources: &Sources<'_>, block: &Block) -> &'static str {
    match sources.get(block.header.source.0).map(|s| s.kind) {
        Some(SourceKind::TfJson) => "\"sensitive\": true",
        _ => "sensitive = true",
    }
}

/// Whether a name holds a secret.
pub(crate) fn is_secret_name(name: &str) -> bool {
    crate::secrets::holds_secret(name)
}

/// The `variable` block with this name.
pub(crate) fn variable<'m>(module: &'m Module, name: &str) -> Option<&'m Block> {
    module.blocks.iter().find(|b| b.ident == "variable" && b.label(0) == Some(name))
}

/// A boolean meta-argument (`sensitive`, `ephemeral`) of a block: `Some(false)` when absent,
/// `None` when it cannot be known.
pub(crate) fn flag(block: &Block, name: &str, resolver: &Resolver<'_>) -> Option<bool> {
    match block.body.attribute(name) {
        None => Some(false),
        Some(attr) => resolver.resolve(&attr.value).as_bool(),
    }
}

/// Whether Terraform marks a value sensitive, as far as the configuration shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Marked {
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
pub(crate) fn flows_marked(module: &Module, sources: &Sources<'_>, flows: &[Flow]) -> Marked {
    marked_in(module, sources, flows, 0, &mut BUDGET.clone())
}

fn marked_in(module: &Module, sources: &Sources<'_>, flows: &[Flow], depth: usize, budget: &mut usize) -> Marked {
    let marks: Vec<Marked> = flows
        .iter()
        .map(
            |f| if f.unmasked { Marked::Clear } else { reference_marked(module, sources, &f.reference, depth, budget) },
        )
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
    module: &Module,
    sources: &Sources<'_>,
    reference: &str,
    depth: usize,
    budget: &mut usize,
) -> Marked {
    let Some(left) = budget.checked_sub(1).filter(|_| depth <= MAX_DEPTH) else { return Marked::Unknown };
    *budget = left;
    let names = names(reference);
    let resolver = Resolver::new(module);
    match names.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["var", name, ..] => match variable(module, name) {
            Some(block) => match (flag(block, "sensitive", &resolver), flag(block, "ephemeral", &resolver)) {
                (Some(true), _) | (_, Some(true)) => Marked::Sensitive,
                (Some(false), Some(false)) => Marked::Clear,
                _ => Marked::Unknown,
            },
            None => Marked::Unknown,
        },
        ["local", name, ..] => match module.local(name) {
            Some(value) => marked_in(module, sources, &flows(value, sources), depth + 1, budget),
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
pub(crate) struct Secret {
    /// For messages: `` `var.db_password` ``, with a reason when the name does not say it.
    pub what: String,
    /// Whether Terraform already marks it sensitive.
    pub marked: Marked,
    /// Where it comes from, for a label: the variable's declaration, the generating resource, or
    /// the secret inside a `local.*`.
    pub origin: Option<(At, String)>,
}

/// Whether the value of a reference is a secret: a variable whose name holds a secret or that is
/// declared `sensitive = true`; a resource, data source or module attribute whose name holds one;
/// one of [`SECRET_ATTRIBUTES`]; `random_string.NAME.result` and `aws_ssm_parameter.NAME.value`
/// when `NAME` holds a secret (or the parameter is a `SecureString`); a `local.*` whose name
/// holds a secret or whose expression carries one.
pub(crate) fn secret(module: &Module, sources: &Sources<'_>, reference: &str) -> Option<Secret> {
    secret_in(module, sources, reference, 0, &mut BUDGET.clone())
}

fn secret_in(
    module: &Module,
    sources: &Sources<'_>,
    reference: &str,
    depth: usize,
    budget: &mut usize,
) -> Option<Secret> {
    let left = budget.checked_sub(1).filter(|_| depth <= MAX_DEPTH)?;
    *budget = left;
    let names = names(reference);
    let parts: Vec<&str> = names.iter().map(String::as_str).collect();
    let marked = reference_marked(module, sources, reference, depth, budget);
    let named = |path: &[&str]| !path.is_empty() && is_secret_name(&path.join("."));
    let plain = |marked| Some(Secret { what: format!("`{reference}`"), marked, origin: None });
    match parts.as_slice() {
        ["var", name, ..] => {
            let declared = variable(module, name);
            let resolver = Resolver::new(module);
            let sensitive = declared.is_some_and(|b| flag(b, "sensitive", &resolver) == Some(true));
            if !named(&parts[1..]) && !sensitive {
                return None;
            }
            let what = format!("`{reference}`");
            let origin = declared.map(|b| (b.header, format!("`var.{name}` is declared here")));
            Some(Secret { what, marked, origin })
        }
        ["local", name, rest @ ..] => {
            if named(&parts[1..]) {
                return plain(marked);
            }
            if !rest.is_empty() {
                return None;
            }
            let value = module.local(name)?;
            let inner = flows(value, sources)
                .into_iter()
                .find_map(|f| secret_in(module, sources, &f.reference, depth + 1, budget).map(|s| (f, s)))?;
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
        ("random_string", "result") => is_secret_name(name),
        ("aws_ssm_parameter", "value") => is_secret_name(name) || secure_string(),
        _ => false,
    };
    if !(by_table || by_resource_name || is_secret_name(&rest.join("."))) {
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
    use crate::rules::secrets::{literal, output_not_sensitive, variable_not_sensitive};

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

    /// The rules' own messages, before the engine's redaction, never show a fixture secret.
    #[test]
    fn rules_mask_secrets_themselves() {
        use crate::model::SourceId;
        use crate::parse::{hcl, json, strings::OffsetMap, tf_json};
        use crate::rule::{Context, Rule};

        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata");
        let list = std::fs::read_to_string(root.join("fixture-secrets.txt")).unwrap_or_default();
        let secrets: Vec<&str> = list.lines().filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
        let rules: [Box<dyn Rule>; 4] = [
            Box::new(variable_not_sensitive::SecretVariableNotSensitive {}),
            Box::new(output_not_sensitive::SecretOutputNotSensitive {}),
            Box::new(crate::rules::secrets::helm_set_secret::HelmSetSecret {}),
            Box::new(literal::SecretLiteral {}),
        ];
        let mut checked = 0;
        for dir in ["secret-variable-not-sensitive", "secret-output-not-sensitive", "helm-set-secret", "secret-literal"]
        {
            let entries = std::fs::read_dir(root.join("rules").join(dir)).into_iter().flatten().flatten();
            for path in entries.map(|e| e.path()).filter(|p| p.is_file()) {
                let name = path.to_string_lossy().to_string();
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                let body = if name.ends_with(".tf") {
                    hcl::parse(&text, SourceId(0)).ok()
                } else if name.ends_with(".tf.json") {
                    json::parse(&text, SourceId(0), &OffsetMap::identity(0)).ok().map(|v| tf_json::to_body(&v))
                } else {
                    None
                };
                let Some(body) = body else { continue };
                let kind = if name.ends_with(".json") { SourceKind::TfJson } else { SourceKind::Hcl };
                let listed = [crate::source::Source::new(name.clone(), text, kind)];
                let sources = Sources::given(&listed);
                let module = Module { sources: vec![SourceId(0)], blocks: body.blocks, ..Module::default() };
                let mut out = Vec::new();
                for rule in &rules {
                    rule.check_module(&Context { sources: &sources }, &module, &mut out);
                }
                for v in &out {
                    let shown: Vec<&str> = [v.message.as_str(), v.help.as_deref().unwrap_or_default()]
                        .into_iter()
                        .chain(v.labels.iter().map(|(_, l)| l.as_str()))
                        .collect();
                    for secret in &secrets {
                        assert!(shown.iter().all(|s| !s.contains(secret)), "{name}: {shown:?}");
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked >= 30, "only {checked} violations");
    }

    #[test]
    fn local_cycles_and_fan_out_end() {
        use crate::model::SourceId;
        let mut text = String::from("locals {\n  a0 = local.a0\n");
        for i in 1..40 {
            text.push_str(&format!("  a{i} = \"${{local.a{0}}}${{local.a{0}}}${{local.a{0}}}\"\n", i - 1));
        }
        text.push_str("}\n");
        let body = crate::parse::hcl::parse(&text, SourceId(0)).unwrap_or_default();
        let listed = [crate::source::Source::new("main.tf", text.as_str(), SourceKind::Hcl)];
        let sources = Sources::given(&listed);
        let module = Module { sources: vec![SourceId(0)], blocks: body.blocks, ..Module::default() };
        let flow = Flow { reference: "local.a39".into(), at: At::default(), unmasked: false };
        assert_eq!(flows_marked(&module, &sources, &[flow]), Marked::Unknown);
        assert!(secret(&module, &sources, "local.a39").is_none());
    }

    #[test]
    fn unterminated_templates_do_not_panic() {
        for text in ["${", "${var.", "${\"", "${f(", "${a[", "%{", "${var.x[\"", "${é.ü}"] {
            let _ = template_references(text);
        }
        let deep = "${\"".repeat(100_000) + "${var.x}";
        let _ = template_references(&deep);
    }
}
