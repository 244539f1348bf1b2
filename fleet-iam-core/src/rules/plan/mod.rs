//! M8 in plan JSON: what `terraform plan` prints.

pub mod secret_exposed;
