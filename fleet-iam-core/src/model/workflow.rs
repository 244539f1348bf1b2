//! What CI workflows tell about a module: the variables they set from the CI's secret store.

use super::value::At;

/// A Terraform variable that a CI workflow sets from a secret: `TF_VAR_<name>` in an `env:` map
/// of a GitHub Actions workflow, with a value that reads `${{ secrets.X }}`. Terraform reads
/// `TF_VAR_<name>` as the value of `variable "<name>"` of the module it runs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiSecret {
    /// The variable's name: what follows `TF_VAR_`.
    pub variable: String,
    /// The secret as the workflow reads it (`secrets.GRAFANA_PASSWORD`), or `secrets` when the
    /// expression reads the whole context.
    pub secret: String,
    /// The `env:` entry in the workflow, from the name to the end of the value.
    pub at: At,
    /// Whether the workflow names this module's directory (a `working-directory`, a `-chdir`),
    /// rather than this module being one of the root modules of its repository that the
    /// workflow may run Terraform in.
    pub exact: bool,
}
