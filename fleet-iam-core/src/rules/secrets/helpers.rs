//! What the M8 rules share besides [`crate::semantic::flows`]: how a fix is written in the
//! syntax of the file.

use crate::model::Block;
use crate::source::{SourceKind, Sources};

/// The line that marks a block sensitive, in the syntax of the file that declares it.
pub(crate) fn sensitive_line(sources: &Sources<'_>, block: &Block) -> &'static str {
    match sources.get(block.header.source.0).map(|s| s.kind) {
        Some(SourceKind::TfJson) => "\"sensitive\": true",
        _ => "sensitive = true",
    }
}
