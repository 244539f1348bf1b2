use crate::diagnostic::Finding;
use crate::fix::{Applicability, Fix, FixEdit};
use crate::model::{At, Block, Module, Value, ValueKind};
use crate::rule::{Context, Rule, Violation, declare_rule};
use crate::secrets::{find_credentials, holds_secret, is_placeholder};
use crate::semantic::Semantic;
use crate::semantic::flows::{Flow, Marked, flows, flows_marked, locate_in, template_references};
use crate::semantic::resolve::Resolver;
use crate::source::{SourceKind, Sources, Span};

declare_rule! {
    /// ## What it does
    /// Finds secret chart values of a `helm_release` passed where they are shown:
    /// - a `set { name = ..., value = ... }` block, or an entry of the provider v3 list form
    ///   `set = [{ name, value }]`, whose `name` (a Helm path such as `grafana.adminPassword`,
    ///   `redis.auth.password`, `secretKey`) holds a secret. The diagnostic points at the name;
    ///   `help` shows the `set_sensitive` block to write instead. A literal placeholder value
    ///   (`value = ""`) hides nothing and is not reported.
    /// - a secret-named key inside `values = [yamlencode({...})]` or `jsonencode({...})`, a
    ///   secret-named `templatefile()` variable, or a `key: ${...}` line of a YAML heredoc,
    ///   whose value comes from a variable that is not `sensitive = true`, a `local.*` built
    ///   only from such values, `random_string.*.result` or `nonsensitive(...)`.
    ///
    /// `set_sensitive` and `set_wo` are never reported, nor are names that only mention a
    /// secret (`auth.existingSecret`, `admin.passwordKey`, `tokenTTL`), nor names known only at
    /// apply time (`dynamic "set"`). In `values`, a value derived from a sensitive variable or
    /// from an attribute the provider marks sensitive (`random_password.result`) is not
    /// reported: Terraform then marks the whole `values` document sensitive and the plan shows
    /// `(sensitive value)`. Values from module outputs and other resource attributes are not
    /// reported either, since their sensitivity is not known from the configuration. A literal
    /// secret is `secret-literal`'s finding.
    ///
    /// ## Why is this bad?
    /// The Helm provider stores every `set` and `values` entry in the release's `metadata`
    /// (`metadata.values`), which `terraform plan`, `terraform show` and the state display;
    /// only `set_sensitive` entries are replaced by `(sensitive value)` there. A `set` value or a
    /// `values` document built from a non-sensitive variable is also printed as is by
    /// `terraform plan` in CI logs. This is the audit's "Grafana password in plan" (M8).
    ///
    /// ## Example
    /// ```hcl
    /// resource "helm_release" "grafana" {
    ///   name       = "grafana"
    ///   repository = "https://grafana.github.io/helm-charts"
    ///   chart      = "grafana"
    ///
    ///   set {
    ///     name  = "adminPassword"
    ///     value = var.grafana_admin_password
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "helm_release" "grafana" {
    ///   name       = "grafana"
    ///   repository = "https://grafana.github.io/helm-charts"
    ///   chart      = "grafana"
    ///
    ///   set_sensitive {
    ///     name  = "adminPassword"
    ///     value = var.grafana_admin_password
    ///   }
    /// }
    /// ```
    /// Better still, keep the password out of Terraform: create the Kubernetes secret from a
    /// secret store (External Secrets) and point the chart at it (`admin.existingSecret`).
    ///
    /// ## Fix
    /// Safe: `check --fix` renames a `set` block to `set_sensitive`, keeping its body as
    /// written. In the provider v3 list form it moves the entry from `set = [...]` into
    /// `set_sensitive = [...]` (created after `set` when absent; `set` is renamed when the entry
    /// was its only one). A literal value stays where it is (`secret-literal` reports it), and a
    /// secret inside `values` is left to you: where it should go depends on the chart.
    ///
    /// ## Options
    /// None.
    ///
    /// ## References
    /// - [helm_release `set_sensitive`](https://registry.terraform.io/providers/hashicorp/helm/latest/docs/resources/release#set_sensitive)
    /// - [Grafana chart: `admin.existingSecret`](https://github.com/grafana/helm-charts/tree/main/charts/grafana#configuration)
    /// - [liatrio/lead-terraform#181: Grafana password moved to `set_sensitive`](https://github.com/liatrio/lead-terraform/pull/181)
    pub struct HelmSetSecret {}
    id: "helm-set-secret", finding: Some(Finding::M8), summary: "a secret Helm value passed with set or values, which plans and release metadata show",
    fix: Applicability::Safe,
}

/// Functions whose object argument is a values document.
const ENCODERS: &[&str] = &["yamlencode", "jsonencode"];

const SET_SENSITIVE_WHY: &str = "the Helm provider hides `set_sensitive` values in plans and in the release metadata";

/// `s` as an HCL quoted string.
fn hcl_string(s: &str) -> String {
    let escaped =
        s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n").replace("${", "$${").replace("%{", "%%{");
    format!("\"{escaped}\"")
}

/// A variable name for a Helm path: `grafana.adminPassword` is `grafana_admin_password`.
fn snake(path: &str) -> String {
    let mut out = String::new();
    let mut prev: Option<char> = None;
    for c in path.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && prev.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit()) {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
        prev = Some(c);
    }
    out.trim_end_matches('_').to_string()
}

/// The expression to write as the `set_sensitive` value: the value as written, or a variable
/// when the value is a literal (never shown: it may be the secret).
fn value_text(value: &Value, sources: &Sources<'_>, path: &str) -> String {
    let variable = || format!("var.{}", snake(path));
    match &value.kind {
        ValueKind::Reference(reference) => reference.clone(),
        ValueKind::String(_) => variable(),
        _ => {
            let Some(source) = sources.get(value.at.source.0).filter(|s| s.kind == SourceKind::Hcl) else {
                return variable();
            };
            match source.text.get(value.at.span.range()) {
                Some(text) if !text.contains('\n') && find_credentials(text).is_empty() => text.to_string(),
                _ => variable(),
            }
        }
    }
}

/// A `set_sensitive` block (or list entry of provider v3) for a Helm path and value.
fn set_sensitive(path: &str, value: &str, list: bool) -> String {
    let name = hcl_string(path);
    if list {
        format!("set_sensitive = [\n  {{ name = {name}, value = {value} }},\n]")
    } else {
        format!("set_sensitive {{\n  name  = {name}\n  value = {value}\n}}")
    }
}

/// A Helm path segment: dots inside a key are escaped, as `--set` reads them.
fn segment(key: &str) -> String {
    key.replace('.', "\\.")
}

/// One secret found inside `values`.
struct Found {
    /// The key.
    at: At,
    /// Its Helm path, when known.
    path: Option<String>,
    /// The value as an expression, for the help.
    value: String,
    /// The references its value comes from.
    flows: Vec<Flow>,
}

struct Values<'a> {
    semantic: &'a Semantic<'a>,
    found: Vec<Found>,
}

impl Values<'_> {
    /// Keeps a secret-named key whose value is built only from values Terraform shows.
    fn check(&mut self, at: At, path: Option<String>, value: &Value, value_text: String) {
        if matches!(value.kind, ValueKind::String(_) | ValueKind::Null | ValueKind::Bool(_) | ValueKind::Number(_)) {
            return;
        }
        let flows = flows(value, self.semantic.sources);
        if flows.is_empty() || flows_marked(&self.semantic.resolver, self.semantic.sources, &flows) != Marked::Clear {
            return;
        }
        self.found.push(Found { at, path, value: value_text, flows });
    }

    /// Walks a values document built with `yamlencode`/`jsonencode`.
    fn document(&mut self, value: &Value, path: &[String], depth: usize) {
        if depth > 32 {
            return;
        }
        match &value.kind {
            ValueKind::Object(entries) => {
                let pair = value.get("name").and_then(|e| e.value.as_str()).filter(|n| holds_secret(n));
                for entry in entries {
                    let mut inner = path.to_vec();
                    inner.push(segment(&entry.key));
                    let secret = holds_secret(&entry.key) || (pair.is_some() && entry.key == "value");
                    if secret {
                        let full = inner.join(".");
                        let text = value_text(&entry.value, self.semantic.sources, &full);
                        self.check(entry.key_at, Some(full), &entry.value, text);
                    } else {
                        self.document(&entry.value, &inner, depth + 1);
                    }
                }
            }
            ValueKind::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    let mut inner = path.to_vec();
                    match inner.last_mut() {
                        Some(last) => last.push_str(&format!("[{i}]")),
                        None => inner.push(format!("[{i}]")),
                    }
                    self.document(item, &inner, depth + 1);
                }
            }
            _ => {}
        }
    }

    /// Reads `key: ${...}` lines of a YAML template (a heredoc), following indentation for the
    /// Helm path; inside a list the path is not known.
    fn yaml(&mut self, value: &Value, text: &str) {
        let mut parents: Vec<(usize, Option<String>)> = Vec::new();
        let mut offset = 0;
        let mut cursor = 0;
        for line in text.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            let content = line.trim_end_matches(['\n', '\r']);
            let body = content.trim_start();
            let mut indent = content.len() - body.len();
            if body.is_empty() || body.starts_with('#') {
                continue;
            }
            parents.retain(|(i, _)| *i < indent);
            let body = match body.strip_prefix("- ") {
                Some(item) => {
                    parents.push((indent, None));
                    indent += 2 + (item.len() - item.trim_start().len());
                    item.trim_start()
                }
                None => body,
            };
            let Some((key, rest)) = body.split_once(':') else { continue };
            let key_name = key.trim_matches(['"', '\'']);
            if key.is_empty() || key.contains(char::is_whitespace) || !rest.is_empty() && !rest.starts_with(' ') {
                continue;
            }
            let rest = rest.trim();
            if rest.is_empty() {
                parents.push((indent, Some(segment(key_name))));
                continue;
            }
            if !holds_secret(key_name) {
                continue;
            }
            let flows: Vec<Flow> = template_references(rest)
                .into_iter()
                .map(|(_, reference)| Flow { reference, at: value.at, unmasked: false })
                .collect();
            if flows.is_empty() || flows_marked(&self.semantic.resolver, self.semantic.sources, &flows) != Marked::Clear
            {
                continue;
            }
            let at = locate_in(self.semantic.sources, value.at, text, start + indent, key, &mut cursor);
            let path = parents
                .iter()
                .map(|(_, k)| k.clone())
                .chain([Some(segment(key_name))])
                .collect::<Option<Vec<String>>>()
                .map(|p| p.join("."));
            let bare =
                ['"', '\''].iter().find_map(|q| rest.strip_prefix(*q).and_then(|r| r.strip_suffix(*q))).unwrap_or(rest);
            let expression = match template_references(bare).as_slice() {
                [(_, reference)] if bare == format!("${{{reference}}}") => reference.clone(),
                _ => hcl_string(bare).replace("$${", "${"),
            };
            self.found.push(Found { at, path, value: expression, flows });
        }
    }

    /// Walks one item of `values`.
    fn item(&mut self, value: &Value) {
        match &value.kind {
            ValueKind::Call(call) if ENCODERS.contains(&call.name.as_str()) => {
                for arg in &call.args {
                    self.document(arg, &[], 0);
                }
            }
            ValueKind::Call(call) if call.name == "templatefile" => {
                let Some(vars) = call.args.get(1).and_then(Value::as_object) else { return };
                for entry in vars.iter().filter(|e| holds_secret(&e.key)) {
                    let text = value_text(&entry.value, self.semantic.sources, &entry.key);
                    self.check(entry.key_at, None, &entry.value, text);
                }
            }
            ValueKind::Template(text) => self.yaml(value, text),
            _ => {}
        }
    }
}

/// A `set` entry whose name holds a secret.
fn set_violation(
    name: &Value,
    value: &Value,
    list: bool,
    resolver: &Resolver<'_>,
    sources: &Sources<'_>,
) -> Option<Violation> {
    let resolved = resolver.resolve(name);
    let path = resolved.as_str()?;
    if !holds_secret(path) || value.as_str().is_some_and(is_placeholder) {
        return None;
    }
    let message = format!(
        "Helm value `{path}` is a secret but is passed with `set`: the release metadata keeps it in clear and `terraform plan` prints it"
    );
    let block = set_sensitive(path, &value_text(value, sources, path), list);
    let what = if list { "this entry" } else { "this block" };
    let literal =
        if value.as_str().is_some() { "\nand move the literal into a variable marked `sensitive = true`" } else { "" };
    let help = format!("replace {what} with `set_sensitive` ({SET_SENSITIVE_WHY}):\n{block}{literal}");
    Some(Violation::new(name.at, message).help(help))
}

fn values_violation(module: &Module, found: Found) -> Violation {
    let source = found.flows.first().map(|f| f.reference.clone()).unwrap_or_default();
    let key = found.path.clone().unwrap_or_default();
    let message = match &found.path {
        Some(path) => format!(
            "Helm value `{path}` is a secret written into `values` from `{source}`, which is not sensitive: `terraform plan` prints the whole values document"
        ),
        None => format!(
            "a secret is templated into `values` from `{source}`, which is not sensitive: `terraform plan` prints the whole values document"
        ),
    };
    let help = match &found.path {
        Some(_) => format!(
            "remove `{key}` from `values` and pass it with `set_sensitive` ({SET_SENSITIVE_WHY}):\n{}",
            set_sensitive(&key, &found.value, false)
        ),
        None => format!(
            "pass it with a `set_sensitive` block at its Helm path instead ({SET_SENSITIVE_WHY}), or mark `{source}` `sensitive = true`"
        ),
    };
    let mut violation = Violation::new(found.at, message).help(help);
    let declared = source.strip_prefix("var.").and_then(|n| module.variable(n.split(['.', '[']).next().unwrap_or(n)));
    if let Some(block) = declared {
        violation = violation.label(block.header, format!("`{source}` is declared here without `sensitive = true`"));
    }
    violation
}

fn release_violations(release: &Block, semantic: &Semantic<'_>, out: &mut Vec<Violation>) {
    let (resolver, sources, module) = (&semantic.resolver, semantic.sources, semantic.module());
    let address = release.address();
    let mut found = Vec::new();
    for set in release.body.blocks("set") {
        let (Some(name), Some(value)) = (set.body.attribute("name"), set.body.attribute("value")) else { continue };
        let ident = Span::new(set.header.span.start, set.header.span.start + set.ident.len());
        let fix = Fix::safe("replace `set` with `set_sensitive`", vec![FixEdit::replace(ident, "set_sensitive")]);
        let fix = (name.value.at.source == set.at.source).then_some(fix);
        found.extend(set_violation(&name.value, &value.value, false, resolver, sources).map(|v| v.fix(fix)));
    }
    if let Some(attr) = release.body.attribute("set") {
        for item in attr.value.as_list().unwrap_or_default() {
            let (Some(name), Some(value)) = (item.get("name"), item.get("value")) else { continue };
            let edit = FixEdit::MoveElement { element: item.at.span, to: "set_sensitive".into() };
            let fix = Fix::safe("move this entry to `set_sensitive`", vec![edit]);
            // The entry is written in the list itself, not in a `local` elsewhere.
            let inline = item.at.source == attr.at.source && attr.value.at.span.range().contains(&item.at.span.start);
            let fix = (inline && name.value.at.source == attr.at.source).then_some(fix);
            found.extend(set_violation(&name.value, &value.value, true, resolver, sources).map(|v| v.fix(fix)));
        }
    }
    if let Some(attr) = release.body.attribute("values") {
        let mut values = Values { semantic, found: Vec::new() };
        match attr.value.as_list() {
            Some(items) => items.iter().for_each(|item| values.item(item)),
            None => values.item(&attr.value),
        }
        found.extend(values.found.into_iter().map(|f| values_violation(module, f)));
    }
    out.extend(found.into_iter().map(|v| v.address(address.as_deref())));
}

impl Rule for HelmSetSecret {
    fn check_module(&self, ctx: &Context<'_>, module: &Module, out: &mut Vec<Violation>) {
        for release in module.resources("helm_release") {
            release_violations(release, ctx.semantic, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, Option<String>, String)> {
        let (listed, module) = crate::testing::module("main.tf", text, SourceKind::Hcl);
        let sources = Sources::given(&listed);
        let semantic = Semantic::new(Some(&module), &sources);
        let mut values = Values { semantic: &semantic, found: Vec::new() };
        for release in module.resources("helm_release") {
            let Some(attr) = release.body.attribute("values") else { continue };
            attr.value.as_list().unwrap_or_default().iter().for_each(|item| values.item(item));
        }
        values
            .found
            .into_iter()
            .map(|f| (text.get(f.at.span.range()).unwrap_or_default().to_string(), f.path, f.value))
            .collect()
    }

    #[test]
    fn yaml_heredoc_paths_follow_indentation_and_give_up_in_lists() {
        let text = "variable \"pw\" {\n  type = string\n}\nresource \"helm_release\" \"x\" {\n  values = [<<-EOT\n    a:\n      b:\n        password: ${var.pw}\n      c: 1\n    list:\n      - name: x\n        token: \"${var.pw}\"\n    top_secret: pre-${var.pw}\n  EOT\n  ]\n}\n";
        let got = found(text);
        assert_eq!(
            got,
            [
                ("password".to_string(), Some("a.b.password".to_string()), "var.pw".to_string()),
                ("token".to_string(), None, "var.pw".to_string()),
                ("top_secret".to_string(), Some("top_secret".to_string()), "\"pre-${var.pw}\"".to_string()),
            ]
        );
    }

    #[test]
    fn helm_names_become_variable_names() {
        assert_eq!(snake("grafana.adminPassword"), "grafana_admin_password");
        assert_eq!(snake("configs.secret.argocdServerAdminPassword"), "configs_secret_argocd_server_admin_password");
        assert_eq!(hcl_string("a\\.b\"${x}"), "\"a\\\\.b\\\"$${x}\"");
    }
}
