//! M8 in Helm releases: secret chart values passed where `terraform plan` and the release
//! metadata show them.

pub mod set_secret;
