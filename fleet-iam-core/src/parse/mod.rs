//! Parsers: text in, located model out. Each reader (`hcl`, `json`, `tf_json`, `policy`,
//! `plan`, `strings`, `yaml`) turns text or parsed values into [`crate::model`] types, and fails with
//! one [`ParseError`]. Parsers know no rule and no project: which files make a unit, and what
//! a parse error becomes, is [`crate::project`]'s.

pub mod dynamic;
pub mod hcl;
pub mod hcl_pieces;
pub mod json;
pub mod modules_json;
pub mod plan;
pub mod policy;
pub mod strings;
pub mod tf_json;
pub mod yaml;

use crate::model::{Body, SourceId, Value};
use crate::source::{SourceKind, Span};
use strings::OffsetMap;

/// Why a text could not be read: where the parser stopped, and what it said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Where the parser stopped, in the source.
    pub span: Span,
    /// The parser's message.
    pub message: String,
}

/// A parsed source: Terraform native syntax, or JSON.
pub enum Parsed {
    /// `.tf` and `.tfvars`.
    Hcl(Body),
    /// Every JSON kind: `.tf.json`, `.tfvars.json`, plans, policies, other JSON; and YAML
    /// (workflows), which is a tree of the same values.
    Json(Value),
}

/// Parses the text of a source of `kind`. A plan skips the copies no rule reads
/// ([`json::parse_plan`]); a `.json` file that is not JSON but a `templatefile()` template
/// (`${...}` in it) is read as one.
pub fn source(text: &str, kind: SourceKind, id: SourceId) -> Result<Parsed, ParseError> {
    let map = OffsetMap::identity(0);
    match kind {
        SourceKind::Hcl | SourceKind::Tfvars => hcl::parse(text, id).map(Parsed::Hcl),
        SourceKind::Plan => json::parse_plan(text, id, &map).map(Parsed::Json),
        SourceKind::Policy | SourceKind::OtherJson => match json::parse(text, id, &map) {
            Err(_) => json::parse_template(text, id, &map).unwrap_or_else(|| json::parse(text, id, &map)),
            parsed => parsed,
        }
        .map(Parsed::Json),
        SourceKind::TfJson | SourceKind::TfvarsJson => json::parse(text, id, &map).map(Parsed::Json),
        SourceKind::Workflow => yaml::parse(text, id).map(Parsed::Json),
    }
}
