//! Renderers: pure functions from a report (and the texts of the files it points into) to a
//! writer.

pub mod compact;
pub mod fingerprint;
pub mod github;
pub mod json;
pub mod sarif;
pub mod text;

use crate::args::Format;
use fleet_iam_core::Report;
use std::borrow::Cow;
use std::io::{self, Write};

/// Where renderers get the text of a file a diagnostic points into, by its path as the report
/// shows it. The CLI reads it again from disk; it is asked once per run of diagnostics in the same
/// file.
pub trait Texts {
    /// The text of the file `name`, or `None` when it is not at hand.
    fn text(&self, name: &str) -> Option<Cow<'_, str>>;
}

/// Writes `report` in `format`. `color` only affects the text format.
pub fn render(format: Format, report: &Report, texts: &dyn Texts, out: &mut dyn Write, color: bool) -> io::Result<()> {
    match format {
        Format::Text => text::render(report, texts, out, color),
        Format::Compact => compact::render(report, texts, out),
        Format::Json => json::render(report, texts, out),
        Format::Sarif => sarif::render(report, texts, out),
        Format::Github => github::render(report, texts, out),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use fleet_iam_core::Source;
    use std::cell::RefCell;

    /// Sources given with their text, as tests build them.
    impl Texts for Vec<Source> {
        fn text(&self, name: &str) -> Option<Cow<'_, str>> {
            self.iter().find(|s| s.name == name).map(|s| Cow::Borrowed(s.text.as_str()))
        }
    }

    /// Texts that record which names were asked for, in order.
    pub(crate) struct Recording {
        pub(crate) sources: Vec<Source>,
        pub(crate) asked: RefCell<Vec<String>>,
    }

    impl Texts for Recording {
        fn text(&self, name: &str) -> Option<Cow<'_, str>> {
            self.asked.borrow_mut().push(name.to_string());
            self.sources.text(name)
        }
    }
}
