//! M8: secrets written into the code, and secrets that `terraform plan` prints because nothing
//! marks them sensitive: in variables and outputs, in Helm releases, and in plan JSON. Names and
//! values are judged by [`crate::secrets`]; [`helpers`] follows where a value comes from.

pub mod helm_set_secret;
pub(crate) mod helpers;
pub mod literal;
pub mod output_not_sensitive;
pub mod plan_secret_exposed;
pub mod variable_not_sensitive;
