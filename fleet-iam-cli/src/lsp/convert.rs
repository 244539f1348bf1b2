//! The core's diagnostics as LSP diagnostics: the exact range in the negotiated encoding, the
//! rule id as `code`, `source` = `fleet-iam`, the severity, the help, and the labels (where a
//! value comes from) as related information. Messages are the report's, which the core has
//! already masked, with control characters escaped as in every human format of the CLI.

use super::module::Checked;
use super::text::{Encoding, Lines};
use crate::output;
use fleet_iam_core::{Diagnostic, Location, Severity, registry};
use lsp_types::{CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, NumberOrString, Range, Uri};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The `source` of every diagnostic.
pub const SOURCE: &str = "fleet-iam";

/// A file a diagnostic points into, read once per conversion.
pub struct File {
    /// Its URI.
    pub uri: Uri,
    /// Its text as checked.
    pub text: String,
    /// Its line index.
    pub lines: Lines,
}

/// The files of one check, read as diagnostics point into them.
pub struct Files<'a> {
    checked: &'a Checked,
    uri_of: &'a dyn Fn(&Path) -> Option<Uri>,
    read: BTreeMap<PathBuf, Option<File>>,
}

impl<'a> Files<'a> {
    /// The files of `checked`, with `uri_of` giving the URI of a path (the client's own for an
    /// open file).
    pub fn new(checked: &'a Checked, uri_of: &'a dyn Fn(&Path) -> Option<Uri>) -> Files<'a> {
        Files { checked, uri_of, read: BTreeMap::new() }
    }

    /// The file a report name stands for, when it can be read.
    pub fn get(&mut self, name: &str) -> Option<(&Path, &File)> {
        let path = self.checked.path(name)?;
        if !self.read.contains_key(&path) {
            let file = (self.uri_of)(&path).and_then(|uri| {
                let text = self.checked.text(&path)?;
                Some(File { uri, lines: Lines::new(&text), text })
            });
            self.read.insert(path.clone(), file);
        }
        let (path, file) = self.read.get_key_value(&path)?;
        Some((path.as_path(), file.as_ref()?))
    }

    /// The range of a location, in its own file.
    pub fn range(&mut self, location: &Location, encoding: Encoding) -> Option<(Uri, Range)> {
        let (_, file) = self.get(&location.path)?;
        Some((file.uri.clone(), file.lines.range(&file.text, location, encoding)))
    }
}

/// The LSP diagnostic of `d`, whose own file is `file`.
pub fn diagnostic(d: &Diagnostic, range: Range, files: &mut Files<'_>, encoding: Encoding) -> lsp_types::Diagnostic {
    let shown = output::escaped(d);
    let mut message = shown.message.clone();
    if let Some(help) = &shown.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = shown
        .labels
        .iter()
        .zip(&d.labels)
        .filter_map(|(shown, label)| {
            let (uri, range) = files.range(&label.location, encoding)?;
            Some(DiagnosticRelatedInformation {
                location: lsp_types::Location { uri, range },
                message: shown.message.clone(),
            })
        })
        .collect();
    lsp_types::Diagnostic {
        range,
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.rule.to_string())),
        // With `docs-url` in the configuration, the rule's page; hover shows its documentation
        // either way.
        code_description: files
            .checked
            .docs_url
            .as_deref()
            .and_then(|url| registry::find(d.rule)?.help_uri(url))
            .and_then(|href| href.parse::<Uri>().ok())
            .map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

/// `note` is information, as the CLI's problem matcher shows it.
pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Note => DiagnosticSeverity::INFORMATION,
        // A severity added later is shown as the mildest until it is mapped here.
        _ => DiagnosticSeverity::INFORMATION,
    }
}
