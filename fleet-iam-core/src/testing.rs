//! Test helpers for the crate's unit tests: a module parsed from text, as the project layer
//! would read it, so that tests of rules and semantics need not import `parse`.

use crate::model::{Module, SourceId};
use crate::parse::{hcl, json, strings::OffsetMap, tf_json};
use crate::source::{Source, SourceKind};

/// One source and the module of its blocks (`SourceId(0)`); an empty module when the text does
/// not parse.
pub(crate) fn module(name: &str, text: &str, kind: SourceKind) -> ([Source; 1], Module) {
    let body = match kind {
        SourceKind::TfJson => {
            json::parse(text, SourceId(0), &OffsetMap::identity(0)).ok().map(|v| tf_json::to_body(&v))
        }
        _ => hcl::parse(text, SourceId(0)).ok(),
    };
    let blocks = body.map(|b| b.blocks).unwrap_or_default();
    let module = Module { sources: vec![SourceId(0)], blocks, ..Module::default() };
    ([Source::new(name, text, kind)], module)
}
