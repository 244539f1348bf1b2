use crate::diagnostic::Finding;
use crate::model::Module;
use crate::rule::{Context, Rule, Violation, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds a CI secret that a GitHub Actions workflow passes to Terraform as `TF_VAR_<name>`
    /// (`${{ secrets.X }}` in an `env:` map) for a module that declares no `variable "<name>"`.
    /// The module is the one the workflow names: the directory a `terraform plan` or `apply`
    /// step runs in (its `working-directory`, a `defaults.run.working-directory`, a `cd DIR` or
    /// `-chdir=DIR`, or the repository root), or a `dflook/terraform-*` action's `path`.
    ///
    /// When the workflow does not show where Terraform runs (a `make plan`, a script, a directory
    /// from `${{ matrix.dir }}`), nothing is reported: any root module may be the one. A module
    /// with a file that does not parse is not judged either, since the variable may be declared
    /// there. Directories outside the check are not judged.
    ///
    /// ## Why is this bad?
    /// Terraform ignores a `TF_VAR_` environment variable that no variable declares, without a
    /// word. The secret reaches nothing, yet every step of the job has it in its environment.
    /// Most often the variable was renamed, or the workflow runs in another directory than the
    /// one meant: the variable that should hold the secret then gets its default or no value,
    /// and fleet-iam cannot tell whether the variable that does receive it is marked
    /// `sensitive` (`secret-variable-not-sensitive`). A note: the fix is to match the names, or
    /// to remove the entry and the secret if nothing needs it.
    ///
    /// ## Example
    /// ```yaml
    /// on: push
    /// jobs:
    ///   deploy:
    ///     runs-on: ubuntu-latest
    ///     env:
    ///       TF_VAR_grafana_password: ${{ secrets.GRAFANA_PASSWORD }}
    ///     steps:
    ///       - uses: actions/checkout@v4
    ///       - run: terraform init && terraform apply -auto-approve
    /// ```
    /// ```hcl
    /// variable "grafana_admin_password" {
    ///   type      = string
    ///   sensitive = true
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// on: push
    /// jobs:
    ///   deploy:
    ///     runs-on: ubuntu-latest
    ///     env:
    ///       TF_VAR_grafana_admin_password: ${{ secrets.GRAFANA_PASSWORD }}
    ///     steps:
    ///       - uses: actions/checkout@v4
    ///       - run: terraform init && terraform apply -auto-approve
    /// ```
    /// ```hcl
    /// variable "grafana_admin_password" {
    ///   type      = string
    ///   sensitive = true
    /// }
    /// ```
    ///
    /// ## Options
    /// None.
    ///
    /// ## References
    /// - [Terraform: `TF_VAR_name` environment variables](https://developer.hashicorp.com/terraform/cli/config/environment-variables#tf_var_name)
    /// - [GitHub Actions: using secrets in a workflow](https://docs.github.com/en/actions/security-guides/using-secrets-in-github-actions)
    pub struct SecretCiVariableUndeclared {}
    id: "secret-ci-variable-undeclared", finding: Some(Finding::M8), summary: "a CI secret passed to Terraform as TF_VAR_x for a module that declares no variable x",
}

impl Rule for SecretCiVariableUndeclared {
    fn check_module(&self, _ctx: &Context<'_>, module: &Module, out: &mut Vec<Violation>) {
        // A file that does not parse may declare it.
        if !module.unparsed.is_empty() || module.from_plan {
            return;
        }
        for ci in module.ci_secrets.iter().filter(|c| c.exact) {
            if module.variable(&ci.variable).is_some() {
                continue;
            }
            let name = &ci.variable;
            let dir = if module.dir.is_empty() { "." } else { module.dir.as_str() };
            let message = format!(
                "`TF_VAR_{name}` passes `{}` to Terraform in `{dir}`, which declares no `variable \"{name}\"`: Terraform ignores it, so the secret reaches nothing",
                ci.secret
            );
            let help = format!(
                "name the entry after the variable that should hold the secret (and mark that variable `sensitive = true`), or declare `variable \"{name}\"` with `sensitive = true`; remove the entry if nothing needs the secret"
            );
            out.push(Violation::new(ci.at, message).help(help));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{At, CiSecret, SourceId};
    use crate::semantic::Semantic;
    use crate::source::{SourceKind, Sources, Span};

    fn found(text: &str, exact: bool, unparsed: bool) -> usize {
        let (sources, mut module) = crate::testing::module("main.tf", text, SourceKind::Hcl);
        let at = At::new(SourceId(1), Span::new(0, 10));
        module.ci_secrets = vec![CiSecret { variable: "db_password".into(), secret: "secrets.DB".into(), at, exact }];
        if unparsed {
            module.unparsed.push(SourceId(2));
        }
        let texts = Sources::given(&sources);
        let semantic = Semantic::new(Some(&module), &texts);
        let mut out = Vec::new();
        SecretCiVariableUndeclared {}.check_module(&Context { unit: &texts, semantic: &semantic }, &module, &mut out);
        out.len()
    }

    #[test]
    fn only_a_named_directory_that_parses_is_judged() {
        let other = "variable \"db_pass\" {\n  sensitive = true\n}\n";
        assert_eq!(found(other, true, false), 1);
        assert_eq!(found("variable \"db_password\" {\n  sensitive = true\n}\n", true, false), 0);
        // A guess among root modules, or a module with a file that may declare it: silent.
        assert_eq!(found(other, false, false), 0);
        assert_eq!(found(other, true, true), 0);
    }
}
