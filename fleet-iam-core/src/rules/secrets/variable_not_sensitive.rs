use super::helpers::sensitive_line;
use crate::diagnostic::Finding;
use crate::fix::{Applicability, Fix, FixEdit};
use crate::model::{CiSecret, Module, ValueKind};
use crate::rule::{Context, Rule, Violation, declare_rule};
use crate::semantic::flows::{flag, variable_named_secret, variable_secret_attributes};

declare_rule! {
    /// ## What it does
    /// Finds `variable` blocks whose name says they hold a secret (`grafana_admin_password`,
    /// `db_password`, `api_token`, `client_secret`, `private_key`, `datadog_api_key`) without
    /// `sensitive = true`. An absent `sensitive` is `false`. A variable whose `type` (or object
    /// `default`) has a secret-named attribute, such as
    /// `object({ username = string, password = string })`, is reported too.
    ///
    /// Names are read by the secret vocabulary: the last word decides, so names that only
    /// mention a secret do not fire: `secret_name`, `password_length`, `token_ttl`,
    /// `db_password_arn`, `access_key_id`, `secret_rotation_days`, `create_random_password`,
    /// `existing_secret`, `http_tokens`. A variable of `type = bool` or `number` is a switch or
    /// a count, whatever its name. A name is also judged by what the variable is declared to
    /// hold: an object type by its attributes (ECS's `secrets = list(object({ name = string,
    /// valueFrom = string }))` and `repositoryCredentials = object({ credentialsParameter =
    /// string })` hold references to secrets; so do `secrets` and `map_secrets` in an object that
    /// is a container definition, with `image`, `essential`, `port_mappings` or `map_environment`,
    /// as cloudposse's ecs-service declares it), and a `default` that is the path or name of a
    /// secret, or a plain word under the name of a generated credential, says the variable holds
    /// names (`ssm_key_password = "admin/db_password"`, `kube_secret = "tailscale"`), as
    /// `secret-literal` judges a literal. Variables declared `ephemeral = true` (Terraform 1.10) are
    /// never written to plans or state and are not reported.
    ///
    /// A variable that a GitHub Actions workflow of the repository sets from a CI secret is
    /// reported whatever its name (`grafana_admin`, `db_credentials`, a `number`): an `env:`
    /// entry `TF_VAR_<name>: ${{ secrets.X }}` (also `${{ secrets.X || '' }}` and other
    /// expressions that read `secrets`; not `${{ vars.X }}` or a literal), at the level of the
    /// workflow, a job or a step, that reaches a step running `terraform plan` or `apply` in the
    /// variable's module: the step's `working-directory`, the job's or workflow's
    /// `defaults.run.working-directory`, a `cd DIR` or `-chdir=DIR` in the script, or the
    /// repository root; a `dflook/terraform-*` action's `path`. When the workflow does not show
    /// where Terraform runs (a `make plan`, a script, a directory from `${{ matrix.dir }}`), every
    /// root module of the repository that declares the variable is judged. The finding points at
    /// the variable, with the workflow's line as a second label.
    ///
    /// ## Why is this bad?
    /// Terraform hides a value in `terraform plan` and `apply` output only when it is marked
    /// sensitive. A secret variable without the mark is printed wherever it is used: in a Helm
    /// release's `set`, a Kubernetes secret built with `jsonencode`, an environment variable, an
    /// output. CI systems keep those logs, often readable by everyone with access to the
    /// repository. This is how a Grafana admin password ended up in plan logs in the audit
    /// (finding M8).
    ///
    /// ## Example
    /// ```hcl
    /// variable "grafana_admin_password" {
    ///   type        = string
    ///   description = "Grafana admin password"
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// variable "grafana_admin_password" {
    ///   type        = string
    ///   description = "Grafana admin password"
    ///   sensitive   = true
    /// }
    /// ```
    ///
    /// ## Fix
    /// Safe: `check --fix` adds `sensitive = true` at the end of the `variable` block, aligned
    /// with the attribute above it, or turns a literal `sensitive = false` into `true`. A
    /// `sensitive` set from an expression is left to you. Terraform then refuses a plan whose
    /// outputs show the variable without `sensitive = true`: `secret-output-not-sensitive`
    /// reports those outputs, and `--fix` marks them too.
    ///
    /// ## Options
    /// None.
    ///
    /// ## References
    /// - [Terraform: suppressing values in CLI output](https://developer.hashicorp.com/terraform/language/values/variables#suppressing-values-in-cli-output)
    /// - [Terraform: ephemeral variables](https://developer.hashicorp.com/terraform/language/values/variables#exclude-values-from-state)
    /// - [Terraform: `TF_VAR_name` environment variables](https://developer.hashicorp.com/terraform/cli/config/environment-variables#tf_var_name)
    /// - [GitHub Actions: using secrets in a workflow](https://docs.github.com/en/actions/how-tos/write-workflows/choose-what-workflows-do/use-secrets)
    /// - [dfds/infrastructure-modules#532: mark grafana_admin_password as sensitive](https://github.com/dfds/infrastructure-modules/pull/532)
    pub struct SecretVariableNotSensitive {}
    id: "secret-variable-not-sensitive", finding: Some(Finding::M8), summary: "a variable that holds a secret but is not marked sensitive, so plans print it",
    fix: Applicability::Safe,
}

impl Rule for SecretVariableNotSensitive {
    fn check_module(&self, ctx: &Context<'_>, module: &Module, out: &mut Vec<Violation>) {
        let resolver = &ctx.semantic.resolver;
        for block in module.blocks.iter().filter(|b| b.ident == "variable") {
            let Some(name) = block.label(0) else { continue };
            if flag(block, "sensitive", resolver) != Some(false) || flag(block, "ephemeral", resolver) != Some(false) {
                continue;
            }
            let fed: Vec<&CiSecret> = module.ci_secrets.iter().filter(|c| c.variable == name).collect();
            // A boolean or a number is a switch or a count, whatever its name; a number a CI
            // secret sets is that secret.
            let scalar = block.body.attribute("type").and_then(|t| t.value.as_reference());
            if scalar == Some("bool") || (scalar == Some("number") && fed.is_empty()) {
                continue;
            }
            let attributes = variable_secret_attributes(block);
            let named = variable_named_secret(block);
            let what = if let Some(ci) = fed.first() {
                format!("`var.{name}` is set from the CI secret `{}`", ci.secret)
            } else if named {
                format!("`var.{name}` holds a secret")
            } else if let Some((_, path)) = attributes.first() {
                format!("`var.{name}` has a secret attribute `{path}`")
            } else {
                continue;
            };
            let message = format!(
                "{what} but is not marked sensitive: `terraform plan` prints its value in every resource and output that uses it"
            );
            let explicit = block.body.attribute("sensitive");
            let line = sensitive_line(ctx.unit, block);
            let (at, help) = match explicit {
                Some(attr) => (attr.value.at, format!("set `{line}`")),
                None => (block.header, format!("add this line to the `variable \"{name}\"` block:\n    {line}")),
            };
            let fix = match explicit {
                Some(attr) if attr.value.kind == ValueKind::Bool(false) => {
                    Some(FixEdit::replace(attr.value.at.span, "true"))
                }
                // `sensitive = var.x`: the owner decides where that is set.
                Some(_) => None,
                None => Some(FixEdit::set_attribute(block.at.span, &[], "sensitive", "true")),
            };
            let fix = fix.map(|edit| Fix::safe("mark the variable `sensitive = true`", vec![edit]));
            let mut violation = Violation::new(at, message).help(help).address(block.address().as_deref()).fix(fix);
            for ci in &fed {
                let place = if ci.exact {
                    ""
                } else {
                    " (by a workflow that does not name the directory it runs Terraform in)"
                };
                violation = violation.label(ci.at, format!("`TF_VAR_{name}` is set from `{}` here{place}", ci.secret));
            }
            if fed.is_empty() && !named {
                for (key_at, path) in &attributes {
                    violation = violation.label(*key_at, format!("`{path}` holds a secret"));
                }
            }
            if explicit.is_some() {
                violation = violation.label(block.header, format!("`var.{name}` is declared here"));
            }
            out.push(violation);
        }
    }
}
