use crate::diagnostic::Finding;
use crate::model::Plan;
use crate::model::{Value, ValueKind};
use crate::rule::{Context, Rule, Violation, declare_rule};
use crate::secrets::embedded::{assigned_values, base64_document};
use crate::secrets::{STARS, find_credentials, holds_secret, is_placeholder, is_secret_value};

declare_rule! {
    /// ## What it does
    /// Finds secrets that `terraform plan` prints, in plan JSON (`terraform show -json`):
    /// - a value of a resource, data source or root output (`output_changes`) that has a known
    ///   credential format (AWS access key id, private key, GitHub, Slack or Stripe token...) or
    ///   sits under a name that holds a secret (`password`, `client_secret`, `token`; for `{name, value}` pairs such as
    ///   Helm `set` entries, the `name` counts), at a path that `after_sensitive` /
    ///   `sensitive_values` does not mask;
    /// - a string value that holds a document giving a secret to a secret name: an ECS task
    ///   definition's `container_definitions` (`{"name": "DB_PASSWORD", "value": "..."}` in its
    ///   `environment`), a `user_data` script (`export DB_PASSWORD=...`), or the same in base64
    ///   (a launch template's `user_data`, `user_data_base64`), decoded up to 64 KiB (EC2 takes
    ///   16 KB of user data);
    /// - a root variable whose name holds a secret (`grafana_admin_password`) but whose
    ///   declaration in the plan's `configuration` is not `sensitive`: the Grafana case of the
    ///   audit.
    ///
    /// A secret-named value is judged as `secret-literal` judges a literal: placeholders, the
    /// paths and names of secrets (`admin/db_password`), and plain words under the name of a
    /// generated credential (`token_validity_units.access_token = "minutes"`, an env
    /// `OPERATOR_SECRET = "operator"`) are not secrets.
    ///
    /// Plans in format `0.1` (Terraform 0.12 to 0.15) do not say what is masked: only credential
    /// formats are reported there. Messages show the value masked (`"gr****"`), never whole.
    ///
    /// ## Why is this bad?
    /// CI runs `terraform plan` on every change and keeps its log, readable by everyone who can
    /// read the pipeline. A value that is not marked sensitive is printed there in clear text.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "format_version": "1.2",
    ///   "planned_values": { "root_module": {} },
    ///   "variables": { "grafana_admin_password": { "value": "Gr4fana-Adm1n-2024" } },
    ///   "configuration": { "root_module": { "variables": { "grafana_admin_password": {} } } }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {
    ///   "format_version": "1.2",
    ///   "planned_values": { "root_module": {} },
    ///   "variables": { "grafana_admin_password": { "value": "Gr4fana-Adm1n-2024" } },
    ///   "configuration": { "root_module": { "variables": { "grafana_admin_password": { "sensitive": true } } } }
    /// }
    /// ```
    /// That is, `sensitive = true` on `variable "grafana_admin_password"`.
    /// `secret-variable-not-sensitive` reports the same declaration in the `.tf` source.
    ///
    /// ## Options
    /// None.
    ///
    /// ## References
    /// - [Terraform: suppressing values in CLI output](https://developer.hashicorp.com/terraform/language/values/variables#suppressing-values-in-cli-output)
    /// - [Terraform JSON output format](https://developer.hashicorp.com/terraform/internals/json-format)
    pub struct PlanSecretExposed {}
    id: "plan-secret-exposed", finding: Some(Finding::M8), summary: "a secret that terraform plan prints, unmasked, in plan JSON",
}

/// What makes a value secret, for the message: a credential, a secret name, or either inside a
/// document the value holds (a container definition's environment, a `user_data` script), as
/// written or in base64.
fn secret_reason(key: Option<&str>, text: &str, names_count: bool) -> Option<String> {
    let within = key.map(|k| format!(" in `{k}`")).unwrap_or_default();
    if let Some(reason) = document_reason(text, names_count) {
        return Some(format!("{reason}{within}"));
    }
    if let Some(key) = key
        && names_count
        && holds_secret(key)
        && is_secret_value(key, text)
    {
        return Some(format!("the secret `{key}`"));
    }
    let doc = base64_document(text)?;
    document_reason(&doc, names_count).map(|reason| format!("{reason}, encoded in base64,{within}"))
}

/// A credential in `text`, or (when names count) a secret given to a secret name in the document
/// `text` holds.
fn document_reason(text: &str, names_count: bool) -> Option<String> {
    if let Some(credential) = find_credentials(text).into_iter().find(|c| !is_placeholder(&text[c.range.clone()])) {
        return Some(with_article(credential.kind));
    }
    if !names_count {
        return None;
    }
    assigned_values(text)
        .into_iter()
        .find(|a| text.get(a.range.clone()).is_some_and(|v| is_secret_value(&a.name, v)))
        .map(|a| format!("the secret `{}`", a.name))
}

struct Walk<'o> {
    address: String,
    names_count: bool,
    out: &'o mut Vec<Violation>,
}

impl Walk<'_> {
    fn value(&mut self, value: &Value, sensitive: Option<&Value>, key: Option<&str>, pointer: &str) {
        if sensitive.is_some_and(|s| s.kind == ValueKind::Bool(true)) {
            return;
        }
        match &value.kind {
            ValueKind::String(text) => {
                let Some(reason) = secret_reason(key, text, self.names_count) else { return };
                self.out.push(
                    Violation::new(
                        value.at,
                        format!(
                            "`terraform plan` prints {reason} of `{}` in clear text: \"{STARS}\"",
                            self.address,
                        ),
                    )
                    .help("mark the value sensitive where it is declared (`sensitive = true` on the variable or output, `sensitive()` on an expression), or read it from a secret store at apply time")
                    .address(Some(&self.address))
                    .pointer(pointer),
                );
            }
            ValueKind::Object(entries) => {
                // `{name = "adminPassword", value = "..."}`: the value is named by `name`.
                let pair_name = entries.iter().find(|e| e.key == "name").and_then(|e| e.value.as_str());
                for entry in entries {
                    let key =
                        if entry.key == "value" && pair_name.is_some() { pair_name } else { Some(entry.key.as_str()) };
                    let child = sensitive.and_then(|s| s.get(&entry.key)).map(|e| &e.value);
                    self.value(&entry.value, child, key, &format!("{pointer}/{}", escape(&entry.key)));
                }
            }
            ValueKind::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    let child = sensitive.and_then(Value::as_list).and_then(|l| l.get(i));
                    self.value(item, child, key, &format!("{pointer}/{i}"));
                }
            }
            _ => {}
        }
    }
}

/// `an AWS access key id`, `a GitHub token`.
fn with_article(kind: &str) -> String {
    let article = if kind.starts_with(['A', 'E', 'I', 'O', 'U', 'a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    format!("{article} {kind}")
}

/// A JSON pointer segment.
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

impl Rule for PlanSecretExposed {
    fn check_plan(&self, _ctx: &Context<'_>, plan: &Plan<'_>, out: &mut Vec<Violation>) {
        for resource in &plan.resources {
            let names_count = resource.sensitive.is_some();
            let mut walk = Walk { address: resource.address.clone(), names_count, out: &mut *out };
            walk.value(resource.values, resource.sensitive, None, &resource.pointer);
        }
        let names_count = !plan.format.starts_with("0.");
        for output in &plan.outputs {
            let mut walk = Walk { address: format!("output.{}", output.name), names_count, out: &mut *out };
            walk.value(
                output.value,
                output.sensitive,
                Some(&output.name),
                &format!("/output_changes/{}/after", escape(&output.name)),
            );
        }
        for var in &plan.variables {
            let declared_sensitive =
                var.declaration.and_then(|d| d.get("sensitive")).and_then(|s| s.value.as_bool()).unwrap_or(false);
            if declared_sensitive {
                continue;
            }
            let Some(text) = var.value.as_str() else { continue };
            if text.is_empty() || is_placeholder(text) {
                continue;
            }
            let named = holds_secret(&var.name) && is_secret_value(&var.name, text);
            let credential = find_credentials(text).into_iter().find(|c| !is_placeholder(&text[c.range.clone()]));
            if !named && credential.is_none() {
                continue;
            }
            let what =
                credential.map_or_else(|| "holds a secret".to_string(), |c| format!("holds {}", with_article(c.kind)));
            out.push(
                Violation::new(
                    var.value.at,
                    format!(
                        "`var.{}` {what} but is not declared `sensitive`, so `terraform plan` prints it: \"{STARS}\"",
                        var.name,
                    ),
                )
                .help(format!("add `sensitive = true` to `variable \"{}\"`", var.name))
                .address(Some(&format!("var.{}", var.name)))
                .pointer(&format!("/variables/{}/value", escape(&var.name))),
            );
        }
    }
}
