//! fleet-iam checks Terraform and AWS IAM for four findings of a platform security audit:
//! wildcard IAM permissions (H5), a public EKS API endpoint (M5), secrets that leak into
//! `terraform plan` output (M8) and instances that do not require IMDSv2 (IMDS).
//!
//! The library takes text and returns diagnostics: no file system, no environment, no network.
//! Every input (HCL, `.tf.json`, IAM policy JSON, plan JSON, GitHub Actions workflows) is parsed
//! into one located model, so each diagnostic points at the exact element that is wrong, in the
//! file where it was written.
//!
//! ```
//! use fleet_iam_core::{check, Config, Source, SourceKind};
//!
//! let policy = r#"{
//!   "Version": "2012-10-17",
//!   "Statement": [{ "Effect": "Allow", "Action": "eks:*", "Resource": "*" }]
//! }"#;
//! let sources = [Source::new("ci.policy.json", policy, SourceKind::Policy)];
//! let report = check(&sources, &Config::recommended());
//! for d in &report.diagnostics {
//!     // `ci.policy.json:3:48: error[iam-service-wildcard] `eks:*` allows all 74 EKS actions...`
//!     println!("{d}");
//! }
//! let first = &report.diagnostics[0];
//! assert_eq!(first.rule, "iam-service-wildcard");
//! assert_eq!((first.location.start.line, first.location.start.column), (3, 48));
//! assert_eq!(first.pointer.as_deref(), Some("/Statement/0/Action"));
//! ```
//!
//! A whole tree need not be held in memory: list its files with [`Source::lazy`] and give
//! [`check_with`] a [`Load`] that reads one. Each unit of the check (a module directory, a policy
//! file, a plan) reads the texts it needs and drops them when it is done; a file that cannot be
//! read becomes a `parse-error` and the others are still checked.
//!
//! ```
//! use fleet_iam_core::{check_with, Config, Load, Source, SourceKind};
//!
//! struct Disk;
//! impl Load for Disk {
//!     fn load(&self, source: &Source) -> Result<String, String> {
//!         match source.name.as_str() {
//!             "app/main.tf" => Ok("resource \"aws_instance\" \"web\" {\n  ami = \"ami-1\"\n}\n".into()),
//!             _ => Err("permission denied".into()),
//!         }
//!     }
//! }
//!
//! let sources = [Source::lazy("app/main.tf", SourceKind::Hcl), Source::lazy("app/iam.tf", SourceKind::Hcl)];
//! let report = check_with(&sources, &Disk, &Config::recommended());
//! let rules: Vec<(&str, &str)> =
//!     report.diagnostics.iter().map(|d| (d.location.path.as_str(), d.rule)).collect();
//! assert_eq!(rules, [("app/iam.tf", "parse-error"), ("app/main.tf", "imdsv2-required")]);
//! ```
//!
//! With the default `serde` feature, [`Diagnostic`] implements `Serialize` in the shape of the
//! JSON format's findings (`rule`, `finding`, `severity`, `message`, `help`, `path`, `line`,
//! `column`, `end_line`, `end_column`, `address`, `pointer`, `labels`). `examples/embed.rs` is a
//! whole program that embeds the library.
//!
//! Secrets never leave a report in clear: the messages, help, labels, addresses and pointers of
//! its diagnostics are already masked (`****`), and a location on a secret is a point. To show
//! source text, pass it through [`Secrets::mask_source`] (`report.secrets`), which masks the
//! secrets the check found in it and maps byte offsets for underlines; see [`secrets`].
//!
//! # Layers
//!
//! Each folder is a layer, and edges go one way (a test, `tests/architecture.rs`, holds them):
//!
//! ```text
//! engine ──> project ──> parse ──> model
//!   │                                ^
//!   └──> rules ──> semantic ─────────┤
//!           ├────> iam               │
//!           └────> secrets ──────────┘
//! ```
//!
//! - `parse`: every reader (HCL, JSON, `.tf.json`, policies, plans, YAML) behind one `ParseError`;
//!   text in, model out. No rule, no project.
//! - [`model`]: located values, Terraform blocks and modules, policies, plans, variable values
//!   with their origin, the `${}` scanner.
//! - `project`: how files become units (modules and local calls, tfvars, the policies of a
//!   unit, what a module makes of its inputs, a plan's context, the variables CI workflows set
//!   from secrets, paths).
//! - [`semantic`]: what the model means, built once per module: value resolution, module
//!   sources, CIDRs, EKS endpoints, EC2 hosts, secret flows.
//! - [`iam`], [`secrets`]: knowledge tables and their matchers; `secrets` also holds the one
//!   sanitiser every output goes through.
//! - `rules`: one file per rule, by family. They see [`rule::Context`] (the unit's texts and
//!   its [`semantic::Semantic`]), never `parse` or `project`.
//! - `engine`: the pipeline: units, rules, locate, suppress, sanitise, sort.
//! - [`fix`]: what a rule proposes to change for a diagnostic (`Diagnostic::fix`), as
//!   structural edits of the `.tf` file it points into; the CLI turns them into text edits.
#![forbid(unsafe_code)]

pub mod config;
pub mod diagnostic;
mod engine;
pub mod fix;
pub mod iam;
pub mod model;
mod parse;
mod project;
pub mod registry;
pub mod rule;
mod rules;
pub mod secrets;
pub mod semantic;
pub mod source;
mod suppress;
#[cfg(test)]
mod testing;
mod triage;

pub use config::{Config, ConfigError, FileSettings, MAX_FILE_BYTES, MAX_PLAN_BYTES};
pub use diagnostic::{Diagnostic, Finding, Label, Location, Report, Severity};
pub use engine::{check, check_with};
pub use fix::{Applicability, Fix, FixEdit};
pub use parse::modules_json::{DownloadedModule, downloaded_modules};
pub use rule::RuleMeta;
pub use secrets::Secrets;
pub use source::{LineCol, Load, Source, SourceKind, Sources, Span};
pub use triage::Precision;
