//! The rules, one file each, grouped by family: `iam` (H5), `eks` (M5), `imds` (IMDS),
//! `secrets` (M8) and `builtin` (the tool's own). A family's `mod.rs` holds its list and its
//! doc; what its rules share is in its `helpers.rs`. Rules read the model, its meaning
//! ([`crate::semantic`]) and the knowledge tables ([`crate::iam`], [`crate::secrets`]); never a
//! parser or the project.

pub mod builtin;
pub mod eks;
pub mod iam;
pub mod imds;
pub mod secrets;
