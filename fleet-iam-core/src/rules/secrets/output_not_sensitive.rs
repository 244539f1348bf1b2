use super::helpers::sensitive_line;
use crate::diagnostic::Finding;
use crate::fix::{Applicability, Fix, FixEdit};
use crate::model::{At, Block, Module, ValueKind};
use crate::rule::{Context, Rule, Violation, declare_rule};
use crate::secrets::{NameClass, classify_name, holds_secret};
use crate::semantic::flows::{Marked, Secret, flag, flows, names, secret};

declare_rule! {
    /// ## What it does
    /// Finds `output` blocks without `sensitive = true` whose `value` carries a secret,
    /// anywhere in the expression: directly, inside a template string
    /// (`"postgres://app:${var.db_password}@host/app"`), an object, a list, a function call, or
    /// through a `local.*` built from one. A secret is:
    /// - a variable whose name holds a secret (`var.db_password`, `var.grafana.admin_password`),
    ///   or a variable declared `sensitive = true`, judged as `secret-variable-not-sensitive`
    ///   judges it: an object type by its attributes (`object({ password = string })` is a
    ///   secret whatever its name; ECS's `repositoryCredentials = object({ credentialsParameter
    ///   = string })` holds an ARN and is not);
    /// - a resource, data source or module attribute whose name holds a secret:
    ///   `aws_iam_access_key.*.secret`, `aws_iam_access_key.*.ses_smtp_password_v4`,
    ///   `tls_private_key.*.private_key_pem` (`_openssh`, `_pem_pkcs8`),
    ///   `aws_db_instance.*.password`, `aws_rds_cluster.*.master_password`,
    ///   `aws_secretsmanager_secret_version.*.secret_string` (resource or data source),
    ///   `data.aws_eks_cluster_auth.*.token`, `module.db.master_password`;
    /// - an attribute that holds a secret although its name does not say so:
    ///
    ///   | resource | attribute | when |
    ///   |---|---|---|
    ///   | `random_password` | `result` | always |
    ///   | `kubernetes_secret`, `kubernetes_secret_v1` | `data`, `binary_data` | always |
    ///   | `random_string` | `result` | the resource's name holds a secret (`random_string.db_password`); `random_string.suffix` is not one |
    ///   | `aws_ssm_parameter` | `value` | `type = "SecureString"`, or the resource's name holds a secret |
    ///
    /// An output whose own name holds a secret (`output "admin_password"`) and whose value is an
    /// expression is reported too, unless every reference in it names something that only
    /// mentions a secret: `aws_iam_access_key.*.encrypted_secret` and
    /// `encrypted_ses_smtp_password_v4` (with `pgp_key` set, the provider stores the secret
    /// encrypted with that PGP key: ciphertext that only the key's holder can read, which the
    /// provider documents as the way to output it), `*_arn`, `*_name`, `*_ssm_key`, or a
    /// resource's `arn`, `id` or `name` (`aws_secretsmanager_secret.db.arn`: where the secret is
    /// kept, as the help below recommends). References whose value does not reach the output are not:
    /// the condition of `? :`, comparisons, and arguments of `sha256()`, `md5()`, `bcrypt()`,
    /// `length()` and other hashes. `ephemeral = true` outputs are not reported.
    ///
    /// When the secret is already marked sensitive (a `sensitive = true` variable, or an
    /// attribute the provider marks sensitive such as `random_password.result`), Terraform
    /// refuses the plan with "Output refers to sensitive values"; the rule reports these too,
    /// since the usual "fix" is `nonsensitive()`, which prints the secret.
    ///
    /// ## Why is this bad?
    /// `terraform plan`, `apply` and `output` print every output that is not marked sensitive,
    /// and CI logs keep them; every configuration that reads it through
    /// `terraform_remote_state` and copies it into its own resources or outputs prints it again.
    /// `sensitive = true` only hides the value from the CLI: the state still holds it, so
    /// outputting where the secret is stored (its Secrets Manager or SSM ARN) is better still.
    ///
    /// ## Example
    /// ```hcl
    /// resource "random_password" "db" {
    ///   length = 32
    /// }
    ///
    /// output "database_url" {
    ///   value = "postgres://app:${random_password.db.result}@db.internal:5432/app"
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "random_password" "db" {
    ///   length = 32
    /// }
    ///
    /// output "database_url" {
    ///   value     = "postgres://app:${random_password.db.result}@db.internal:5432/app"
    ///   sensitive = true
    /// }
    /// ```
    /// Better still, store the secret in Secrets Manager or SSM and output its ARN.
    ///
    /// ## Fix
    /// Safe: `check --fix` adds `sensitive = true` at the end of the `output` block, or turns a
    /// literal `sensitive = false` into `true`. A `sensitive` set from an expression is left to
    /// you, and so is an output whose secret reaches it through a `local` of another file (the
    /// finding then points there).
    ///
    /// ## Options
    /// None.
    ///
    /// ## References
    /// - [Terraform: output `sensitive`](https://developer.hashicorp.com/terraform/language/values/outputs#sensitive-suppressing-values-in-cli-output)
    /// - [Terraform: sensitive data in state](https://developer.hashicorp.com/terraform/language/state/sensitive-data)
    /// - [AWS provider: `aws_iam_access_key` (`pgp_key`, `encrypted_secret`)](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_access_key)
    pub struct SecretOutputNotSensitive {}
    id: "secret-output-not-sensitive", finding: Some(Finding::M8), summary: "an output that carries a secret but is not marked sensitive",
    fix: Applicability::Safe,
}

/// Attributes that identify a resource and never hold a secret.
const IDENTIFIERS: &[&str] = &["arn", "id", "name"];

fn message(name: &str, secret: &Secret) -> String {
    let what = &secret.what;
    match secret.marked {
        Marked::Sensitive => format!(
            "output `{name}` carries {what}, which is marked sensitive, but the output is not: Terraform refuses the plan, and `nonsensitive()` would print the secret"
        ),
        _ => format!(
            "output `{name}` is not marked sensitive but carries a secret, {what}: `terraform plan`, `apply` and `output` print it"
        ),
    }
}

/// `sensitive = true` in the output block, when the diagnostic is in the block's file.
fn fix(block: &Block, at: At) -> Option<Fix> {
    if at.source != block.at.source {
        return None;
    }
    let edit = match block.body.attribute("sensitive") {
        None => FixEdit::set_attribute(block.at.span, &[], "sensitive", "true"),
        Some(attr) if attr.value.kind == ValueKind::Bool(false) => FixEdit::replace(attr.value.at.span, "true"),
        Some(_) => return None,
    };
    Some(Fix::safe("mark the output `sensitive = true`", vec![edit]))
}

impl Rule for SecretOutputNotSensitive {
    fn check_module(&self, ctx: &Context<'_>, module: &Module, out: &mut Vec<Violation>) {
        let resolver = &ctx.semantic.resolver;
        for block in module.blocks.iter().filter(|b| b.ident == "output") {
            let Some(name) = block.label(0) else { continue };
            let Some(value) = block.body.attribute("value") else { continue };
            if flag(block, "sensitive", resolver) != Some(false) || flag(block, "ephemeral", resolver) != Some(false) {
                continue;
            }
            let flows = flows(&value.value, ctx.unit);
            let found = flows.iter().find_map(|f| {
                let secret = secret(resolver, ctx.unit, &f.reference)?;
                let marked = if f.unmasked { Marked::Clear } else { secret.marked };
                Some((f.at, Secret { marked, ..secret }))
            });
            // By its name alone, an output carries a secret when its value does not say what it
            // is: a reference to a resource's identifier (`arn`, `id`, `name`) or whose own name
            // only mentions a secret (`encrypted_secret`, the PGP ciphertext of
            // `aws_iam_access_key`; `db_password_arn`) says it is not one.
            let opaque = flows.iter().find(|f| {
                let names = names(&f.reference);
                names.last().is_none_or(|last| {
                    !IDENTIFIERS.contains(&last.as_str()) && classify_name(last) != NameClass::MentionsSecret
                })
            });
            let (at, secret) = match (found, opaque) {
                (Some(found), _) => found,
                (None, Some(first)) if holds_secret(name) => (
                    first.at,
                    Secret {
                        what: format!("`{}`, by the output's name", first.reference),
                        marked: Marked::Unknown,
                        origin: None,
                    },
                ),
                _ => continue,
            };
            let mut violation = Violation::new(at, message(name, &secret))
                .help(format!(
                    "add this line to the `output \"{name}\"` block (or output the ARN of a Secrets Manager secret or SSM parameter instead of the secret):\n    {}",
                    sensitive_line(ctx.unit, block)
                ))
                .address(block.address().as_deref())
                .fix(fix(block, at));
            if let Some((origin_at, why)) = secret.origin {
                violation = violation.label(origin_at, why);
            }
            out.push(violation);
        }
    }
}
