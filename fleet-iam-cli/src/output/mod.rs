//! Renderers: pure functions from a report (and the sources it points into) to a writer.

pub mod compact;
pub mod fingerprint;
pub mod github;
pub mod json;
pub mod sarif;
pub mod text;

use crate::args::Format;
use fleet_iam_core::{Report, Source};
use std::io::{self, Write};

/// Writes `report` in `format`. `color` only affects the text format.
pub fn render(format: Format, report: &Report, sources: &[Source], out: &mut dyn Write, color: bool) -> io::Result<()> {
    match format {
        Format::Text => text::render(report, sources, out, color),
        Format::Compact => compact::render(report, sources, out),
        Format::Json => json::render(report, sources, out),
        Format::Sarif => sarif::render(report, sources, out),
        Format::Github => github::render(report, sources, out),
    }
}
