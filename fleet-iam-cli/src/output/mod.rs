//! Renderers: pure functions from a report (and the texts of the files it points into) to a
//! writer.

pub mod compact;
pub mod fingerprint;
pub mod github;
pub mod json;
pub mod markdown;
pub mod plan_changes;
pub mod sarif;
pub mod statistics;
pub mod text;

use crate::args::Format;
use fleet_iam_core::secrets::escape_controls;
use fleet_iam_core::{Diagnostic, Report};
use std::borrow::Cow;
use std::io::{self, Write};

/// Where renderers get the text of a file a diagnostic points into, by its path as the report
/// shows it. The CLI reads it again from disk; it is asked once per run of diagnostics in the same
/// file.
pub trait Texts {
    /// The text of the file `name`, or `None` when it is not at hand.
    fn text(&self, name: &str) -> Option<Cow<'_, str>>;

    /// The names of the plans checked (whether or not they have findings), for the formats
    /// that summarise a plan's changes.
    fn plans(&self) -> Vec<String> {
        Vec::new()
    }
}

/// How a report is written, besides its format.
#[derive(Debug, Clone, Copy, Default)]
pub struct Settings<'a> {
    /// Colors, in the text format.
    pub color: bool,
    /// The findings without the summary (`--quiet`): the text format drops its summary line.
    pub quiet: bool,
    /// Per-rule counts instead of the findings (`--statistics`): a JSON array with `--format
    /// json`, an aligned table otherwise.
    pub statistics: bool,
    /// The URL of the project's `docs/` folder, for links to rule documentation (SARIF
    /// `helpUri`).
    pub docs_url: Option<&'a str>,
}

/// Writes `report` in `format`.
pub fn render(
    format: Format,
    report: &Report,
    texts: &dyn Texts,
    out: &mut dyn Write,
    settings: &Settings<'_>,
) -> io::Result<()> {
    if settings.statistics {
        return statistics::render(report, format == Format::Json, out);
    }
    match format {
        Format::Text if settings.quiet => text::findings(report, texts, out, settings.color),
        Format::Text => text::render(report, texts, out, settings.color),
        Format::Compact => compact::render(report, texts, out),
        Format::Json => json::render(report, texts, out),
        Format::Sarif => sarif::render(report, texts, out, settings.docs_url),
        Format::Github => github::render(report, texts, out),
        Format::Markdown => markdown::render(report, texts, out),
    }
}

/// A diagnostic as a human format shows it: control characters in its path, message, help,
/// address, pointer and labels escaped (`\u{1b}`), so that input cannot rewrite a terminal or a
/// CI log. Secrets are already masked in the report.
pub fn escaped(d: &Diagnostic) -> Cow<'_, Diagnostic> {
    // Paths, addresses and pointers are one line; messages may hold line breaks, which each
    // format deals with as it does with its own.
    let one_line = [Some(&d.location.path), d.address.as_ref(), d.pointer.as_ref()]
        .into_iter()
        .flatten()
        .chain(d.labels.iter().map(|l| &l.location.path));
    let lines = [Some(&d.message), d.help.as_ref()].into_iter().flatten().chain(d.labels.iter().map(|l| &l.message));
    let clean = one_line.into_iter().all(|f| matches!(escape_controls(f, false), Cow::Borrowed(_)))
        && lines.into_iter().all(|f| matches!(escape_controls(f, true), Cow::Borrowed(_)));
    if clean {
        return Cow::Borrowed(d);
    }
    let line = |s: &String| escape_controls(s, false).into_owned();
    let text = |s: &String| escape_controls(s, true).into_owned();
    let mut shown = d.clone();
    shown.location.path = line(&d.location.path);
    shown.message = text(&d.message);
    shown.help = d.help.as_ref().map(text);
    shown.address = d.address.as_ref().map(line);
    shown.pointer = d.pointer.as_ref().map(line);
    for label in &mut shown.labels {
        label.location.path = line(&label.location.path);
        label.message = text(&label.message);
    }
    Cow::Owned(shown)
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
