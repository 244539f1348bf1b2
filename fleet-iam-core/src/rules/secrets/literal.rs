use crate::diagnostic::Finding;
use crate::model::VarSource;
use crate::model::{At, Block, Module, SourceId, Value, ValueKind};
use crate::rule::{Context, Rule, Violation, declare_rule};
use crate::secrets::embedded::{assigned_values, base64_document};
use crate::secrets::{STARS, find_credentials, holds_secret, is_placeholder, is_secret_value};
use crate::semantic::flows::locate_in;
use crate::source::{Sources, Span};
use std::collections::BTreeSet;
use std::ops::Range;

declare_rule! {
    /// ## What it does
    /// Finds secrets written into the code:
    /// - by name: an attribute, object key or variable whose name holds a secret
    ///   (`password`, `master_password`, `secret_key`, `api_token`, `client_secret`), set to a
    ///   literal that is one. This covers resource, data source, module and `locals` attributes,
    ///   keys inside objects and `jsonencode({...})`, a `variable`'s `default` (named by the
    ///   variable), an `output`'s literal `value` (named by the output), name/value pairs whose
    ///   `name` holds a secret (environment variables of Lambda `environment.variables`, ECS
    ///   `container_definitions` and Kubernetes `env`, `{ name = "DB_PASSWORD", value = "..." }`,
    ///   Helm `set`, `aws_ssm_parameter`), and values in the `.tfvars` files Terraform loads for a
    ///   root module (`terraform.tfvars`, `*.auto.tfvars`, `--var-file`). The value decides
    ///   whether the name is right: a password or passphrase may be any word (`password =
    ///   "admin"` is a finding), while a token, key or client secret is generated, so plain words
    ///   there are not one (`access_token = "minutes"` in `token_validity_units`,
    ///   `OPERATOR_SECRET = "operator"`, the name of a Kubernetes Secret). In a `provider` block
    ///   or a `backend`, a secret-named argument (`access_key`, `secret_key`, `token`) is the
    ///   credential the provider signs in with: any literal but a placeholder is reported;
    /// - by value: any string anywhere (attributes, heredocs, templates, nested objects and
    ///   lists, function arguments, `.tfvars`) holding a credential of a known format: AWS
    ///   access key id, private key (PEM), GitHub, Slack and Stripe live tokens, Slack webhook
    ///   URL, Google API key, JWT, password in a URL; and such a credential written anywhere
    ///   else in the module's files or its `.tfvars`: in a comment, as an object key, or in a
    ///   file that does not parse;
    /// - inside a document written in a string: an ECS `container_definitions` heredoc whose
    ///   `environment` gives a secret to a secret name (`{"name": "DB_PASSWORD", "value":
    ///   "..."}`), a `user_data` script (`export DB_PASSWORD=...`, `API_TOKEN="..."`), a YAML or
    ///   JSON snippet (`password: ...`); and the same in base64 (`user_data_base64 = "IyEv..."`,
    ///   decoded up to 64 KiB, reported on the whole string). Values built by an interpolation
    ///   (`DB_PASSWORD=${var.db_password}`) or read at boot (`$(aws ssm get-parameter ...)`) are
    ///   not secrets in the code.
    ///
    /// Plan JSON is not read by this rule: its values are resolved, not written in the code, and
    /// `plan-secret-exposed` reports the ones a plan shows.
    ///
    /// Not secrets, whatever the name: placeholders (empty strings, `${...}` templates and other
    /// references such as `$DB_PASSWORD` or Argo CD's `$slack-token`, `<password>`,
    /// `REPLACE_ME`, `CHANGEME`, `xxx`), ARNs, and the paths and names of secrets
    /// (`/app/db/password`, `~/.ssh/id_rsa`, `admin/db_password`, `spotinst_token`, `NO_TOKEN`).
    /// Names that only mention a secret or say where it is kept (`secret_name`,
    /// `password_length`, `kms_key_id`, `ssm_key_password`, `ssm_path_auth_token`,
    /// `chamber_name_token`, `kube_secret`) are not read by name. AWS's documented example keys
    /// (`AKIAIOSFODNN7EXAMPLE` and its secret key) **are** reported: a key committed in the
    /// documentation's format teaches the pattern, and checkov reports it too. The message and
    /// the excerpt show the secret as `****`.
    ///
    /// ## Why is this bad?
    /// A secret in the code is readable by everyone who can read the repository, its forks, its
    /// history and its CI logs, and it stays in the history after it is removed. It also lands
    /// in the plan and the state unmarked. It must be rotated, not just deleted.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_db_instance" "main" {
    ///   identifier     = "main"
    ///   engine         = "postgres"
    ///   instance_class = "db.t4g.medium"
    ///   username       = "app"
    ///   password       = "hunter2hunter2"
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_db_instance" "main" {
    ///   identifier                  = "main"
    ///   engine                      = "postgres"
    ///   instance_class              = "db.t4g.medium"
    ///   username                    = "app"
    ///   manage_master_user_password = true
    /// }
    /// ```
    /// Or read the secret from a `sensitive = true` variable set outside the code
    /// (`TF_VAR_db_password` from the CI secret store), from
    /// `data "aws_secretsmanager_secret_version"`, from an SSM `SecureString` parameter, or from
    /// an `ephemeral` resource with a write-only attribute (`password_wo`).
    ///
    /// ## Options
    /// None.
    ///
    /// ## References
    /// - [Terraform: ephemeral values and write-only arguments](https://developer.hashicorp.com/terraform/language/manage-sensitive-data/ephemeral)
    /// - [AWS: remove and rotate exposed access keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_console)
    /// - [GitHub: about secret scanning](https://docs.github.com/en/code-security/secret-scanning/introduction/about-secret-scanning)
    /// - [AWS: managing access keys (the documented example key pair)](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html)
    /// - [Amazon ECS: pass sensitive data to a container (`secrets`, `valueFrom`)](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html)
    /// - [Amazon EC2: user data is not protected](https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html)
    /// - [Amazon Cognito: token validity units](https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_TokenValidityUnitsType.html)
    pub struct SecretLiteral {}
    id: "secret-literal", finding: Some(Finding::M8), summary: "a secret written into the code: a secret-named literal or a known credential format",
}

/// Functions that pass their argument through unchanged or only encoded, so it keeps the name
/// it is given to (`user_data = base64encode(<<EOF ... EOF)`).
const PASS_THROUGH: &[&str] = &[
    "sensitive",
    "nonsensitive",
    "tostring",
    "trimspace",
    "chomp",
    "base64encode",
    "base64gzip",
    "jsonencode",
    "yamlencode",
];

/// What a secret inside a string is.
enum Found {
    /// A credential of a known format, by its kind.
    Credential(&'static str),
    /// A value given to a secret name in a document, by that name.
    Assigned(String),
}

/// The secrets of a string or of a document decoded from one, in order, without overlaps: its
/// credentials, and the values it gives to secret names that are secrets by their shape.
fn document_secrets(text: &str) -> Vec<(Range<usize>, Found)> {
    let mut found: Vec<(Range<usize>, Found)> =
        find_credentials(text).into_iter().map(|c| (c.range, Found::Credential(c.kind))).collect();
    let credentials = found.len();
    for assigned in assigned_values(text) {
        let Some(secret) = text.get(assigned.range.clone()) else { continue };
        // Credentials are in order and apart: the first that ends after the value starts is the
        // only one that may overlap it.
        let first = found[..credentials].partition_point(|(r, _)| r.end <= assigned.range.start);
        let overlaps = found[..credentials].get(first).is_some_and(|(r, _)| r.start < assigned.range.end);
        if !overlaps && is_secret_value(&assigned.name, secret) {
            found.push((assigned.range, Found::Assigned(assigned.name)));
        }
    }
    found.sort_by_key(|(r, _)| r.start);
    found
}

const HELP: &str = "read it from a variable marked `sensitive = true` and set outside the code (`TF_VAR_...` from the CI secret store), from a secret store (`data \"aws_secretsmanager_secret_version\"`, an SSM `SecureString` parameter) or from an `ephemeral` resource; then rotate it: it stays in the repository's history";

/// The article and the name of a credential kind, for messages.
fn kind_phrase(kind: &str) -> String {
    match kind {
        "password in URL" => "a password in a URL".to_string(),
        k if k.starts_with(['A', 'E', 'I', 'O', 'U']) => format!("an {k}"),
        k => format!("a {k}"),
    }
}

struct Walker<'a> {
    sources: &'a Sources<'a>,
    address: Option<String>,
    help: String,
    /// In a `provider` block or a backend: a secret-named argument there is the credential the
    /// provider signs in with, so any literal but a placeholder is one.
    credentials_block: bool,
    out: &'a mut Vec<Violation>,
}

impl Walker<'_> {
    fn report(&mut self, at: At, message: String) {
        let violation = Violation::new(at, message).help(self.help.clone()).address(self.address.as_deref());
        self.out.push(violation);
    }

    /// Reports the secrets inside a string (`text` as the model holds it): its credentials, and
    /// the secrets given to names in a document it holds, as written or in base64; whether any.
    fn secrets_in(&mut self, value: &Value, text: &str, name: Option<&str>) -> bool {
        let place = name.map_or_else(|| "the code".to_string(), |n| format!("`{n}`"));
        let found = document_secrets(text);
        let mut cursor = 0;
        for (range, what) in &found {
            let secret = text.get(range.clone()).unwrap_or_default();
            let at = locate_in(self.sources, value.at, text, range.start, secret, &mut cursor);
            if at == value.at {
                // Not found as written (escapes): the rest of the literal is not searched again.
                cursor = usize::MAX;
            }
            let message = match what {
                Found::Credential(kind) => format!(
                    "{} is written in {place} (`\"{STARS}\"`): anyone who can read the repository or its history can use it",
                    kind_phrase(kind),
                ),
                Found::Assigned(assigned) => format!(
                    "`{assigned}` is set to a literal secret in the document in {place} (`\"{STARS}\"`): anyone who can read the repository or its history can use it",
                ),
            };
            self.report(at, message);
        }
        if !found.is_empty() {
            return true;
        }
        let Some((_, what)) = base64_document(text).and_then(|doc| document_secrets(&doc).into_iter().next()) else {
            return false;
        };
        let what = match what {
            Found::Credential(kind) => kind_phrase(kind),
            Found::Assigned(assigned) => format!("the secret `{assigned}`"),
        };
        let message = format!(
            "{what} is written in {place}, encoded in base64 (`\"{STARS}\"`): base64 hides nothing, anyone who can read the repository or its history can decode and use it",
        );
        self.report(value.at, message);
        true
    }

    fn value(&mut self, value: &Value, name: Option<&str>, depth: usize) {
        if depth > 32 {
            return;
        }
        match &value.kind {
            ValueKind::String(text) => {
                if self.secrets_in(value, text, name) {
                    return;
                }
                let Some(name) = name.filter(|n| holds_secret(n)) else { return };
                let secret = if self.credentials_block { !is_placeholder(text) } else { is_secret_value(name, text) };
                if !secret {
                    return;
                }
                let message = format!(
                    "`{name}` is set to a literal secret (`\"{STARS}\"`): anyone who can read the repository or its history can use it",
                );
                self.report(value.at, message);
            }
            ValueKind::Template(text) => {
                self.secrets_in(value, text, name);
            }
            ValueKind::List(items) => {
                for item in items.iter() {
                    self.value(item, name, depth + 1);
                }
            }
            ValueKind::Object(entries) => {
                // `{ name = "DB_PASSWORD", value = "..." }`: the value is named by `name`.
                let pair = value.get("name").and_then(|e| e.value.as_str()).filter(|_| value.get("value").is_some());
                for entry in entries {
                    let key = match pair {
                        Some(pair) if entry.key == "value" => pair,
                        _ => entry.key.as_str(),
                    };
                    self.value(&entry.value, Some(key), depth + 1);
                }
            }
            ValueKind::Call(call) => {
                let name = if PASS_THROUGH.contains(&call.name.as_str()) { name } else { None };
                for arg in &call.args {
                    self.value(arg, name, depth + 1);
                }
            }
            ValueKind::Conditional(parts) => {
                let [condition, then, otherwise] = parts.as_ref();
                self.value(condition, None, depth + 1);
                self.value(then, name, depth + 1);
                self.value(otherwise, name, depth + 1);
            }
            ValueKind::Operation(operation) => {
                for operand in &operation.operands {
                    self.value(operand, None, depth + 1);
                }
            }
            _ => {}
        }
    }

    fn block(&mut self, block: &Block, depth: usize) {
        if depth > 32 {
            return;
        }
        let pair = block
            .body
            .attribute("name")
            .and_then(|a| a.value.as_str())
            .filter(|_| block.body.attribute("value").is_some());
        for attr in &block.body.attributes {
            let name = match (block.ident.as_str(), attr.name.as_str(), pair) {
                ("variable", "default", _) | ("output", "value", _) if depth == 0 => block.label(0).unwrap_or_default(),
                (_, "value", Some(pair)) => pair,
                _ => attr.name.as_str(),
            };
            self.value(&attr.value, Some(name), depth + 1);
        }
        for child in &block.body.blocks {
            self.block(child, depth + 1);
        }
    }
}

impl Rule for SecretLiteral {
    fn check_module(&self, ctx: &Context<'_>, module: &Module, out: &mut Vec<Violation>) {
        // A plan holds resolved values, not code: what it shows is `plan-secret-exposed`'s.
        if module.from_plan {
            return;
        }
        let first = out.len();
        for block in &module.blocks {
            let credentials_block = matches!(block.ident.as_str(), "provider" | "terraform");
            let mut walker =
                Walker { sources: ctx.unit, address: block.address(), help: HELP.to_string(), credentials_block, out };
            walker.block(block, 0);
        }
        for (name, var) in &module.vars {
            if !matches!(var.source, VarSource::File(_)) || ctx.unit.get(var.value.at.source.0).is_none() {
                continue;
            }
            let help = format!(
                "keep it out of committed `.tfvars`: set `TF_VAR_{name}` from the CI secret store, or read it from Secrets Manager or SSM in the configuration; then rotate it: it stays in the repository's history"
            );
            let mut walker =
                Walker { sources: ctx.unit, address: Some(format!("var.{name}")), help, credentials_block: false, out };
            walker.value(&var.value, Some(name), 0);
        }
        // Credentials where no value holds them: comments, keys, files that do not parse.
        // The module's own files were scanned once, into `module.credentials`; its tfvars are
        // scanned here.
        let var_files: BTreeSet<SourceId> = module
            .vars
            .values()
            .filter_map(|v| match v.source {
                VarSource::File(_) => Some(v.value.at.source),
                _ => None,
            })
            .collect();
        let mut credentials = module.credentials.clone();
        for id in var_files {
            let Some(source) = ctx.unit.get(id.0) else { continue };
            credentials.extend(find_credentials(&source.text).into_iter().map(|c| (id, c)));
        }
        // What the walk reported, by file and start, with the furthest end so far in each file:
        // a credential is known when a report that starts before its end ends after its start.
        let mut reported: Vec<(SourceId, usize, usize)> = out[first..]
            .iter()
            .map(|v| (v.at.source, v.at.span.start, v.at.span.end.max(v.at.span.start + 1)))
            .collect();
        reported.sort_unstable();
        for i in 1..reported.len() {
            if reported[i].0 == reported[i - 1].0 {
                reported[i].2 = reported[i].2.max(reported[i - 1].2);
            }
        }
        for (id, credential) in credentials {
            let span = Span::from(credential.range.clone());
            let before = reported.partition_point(|&(s, start, _)| (s, start) < (id, span.end));
            let known = before
                .checked_sub(1)
                .and_then(|i| reported.get(i))
                .is_some_and(|&(s, _, furthest)| s == id && span.start < furthest);
            if known {
                continue;
            }
            let message = format!(
                "{} is written in a comment or a key (`\"{STARS}\"`): anyone who can read the repository or its history can use it",
                kind_phrase(credential.kind),
            );
            out.push(Violation::new(At::new(id, span), message).help(HELP));
        }
    }
}
