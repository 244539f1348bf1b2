//! Human output, rustc-like: the title, the source excerpt with the span underlined, secondary
//! labels, `help`, the finding/address/pointer note, and a summary line at the end.

use super::Texts;
use annotate_snippets::{Annotation, AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use fleet_iam_core::secrets::{Masked, escape_controls};
use fleet_iam_core::source::LineIndex;
use fleet_iam_core::{Diagnostic, Location, Report, Severity};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

/// Writes every diagnostic, then the summary.
pub fn render(report: &Report, texts: &dyn Texts, out: &mut dyn Write, color: bool) -> io::Result<()> {
    findings(report, texts, out, color)?;
    writeln!(out, "{}", summary(report))
}

/// Writes every diagnostic, without the summary (`--quiet`).
pub fn findings(report: &Report, texts: &dyn Texts, out: &mut dyn Write, color: bool) -> io::Result<()> {
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    // Excerpts are cut from texts that went through the sanitiser: secrets masked, control
    // characters escaped, and the spans mapped to the new offsets. Diagnostics come sorted by
    // file: each file's run is drawn from sanitised copies of just the files it shows (its own
    // and those its labels point into), asked for once per run and dropped after it, so that no
    // copy of the whole tree is held. Paths are escaped as the diagnostics' are, to match.
    for run in report.diagnostics.chunk_by(|a, b| a.location.path == b.location.path) {
        let shown: BTreeSet<&str> = run
            .iter()
            .flat_map(|d| std::iter::once(&d.location).chain(d.labels.iter().map(|l| &l.location)))
            .map(|l| l.path.as_str())
            .collect();
        let masked: Vec<(String, Masked)> = shown
            .into_iter()
            .filter_map(|name| {
                let text = texts.text(name)?;
                Some((escape_controls(name, false).into_owned(), report.secrets.mask_source(name, &text, true)))
            })
            .collect();
        let files = Files::new(&masked);
        for diagnostic in run {
            let diagnostic = super::escaped(diagnostic);
            let group = group(&diagnostic, &files);
            let rendered = renderer.render(&[group]);
            // The excerpt of the finding's own file has no path of its own (the `-->` line above
            // says where): drop the empty `:::` line annotate-snippets leaves for it.
            let rendered: Vec<&str> = rendered.lines().filter(|l| l.trim() != ":::").collect();
            writeln!(out, "{}\n", rendered.join("\n"))?;
        }
    }
    Ok(())
}

/// `3 findings (2 errors, 1 warning) in 12 files`, or `no findings in 12 files`.
pub fn summary(report: &Report) -> String {
    let files = plural(report.files, "file");
    let suppressed = match report.suppressed.len() {
        0 => String::new(),
        n => format!("; {n} suppressed"),
    };
    if report.diagnostics.is_empty() {
        return format!("no findings in {files}{suppressed}");
    }
    let counts: Vec<String> = [(Severity::Error, "error"), (Severity::Warning, "warning"), (Severity::Note, "note")]
        .into_iter()
        .map(|(severity, word)| (report.count(severity), word))
        .filter(|&(n, _)| n > 0)
        .map(|(n, word)| plural(n, word))
        .collect();
    format!("{} ({}) in {files}{suppressed}", plural(report.diagnostics.len(), "finding"), counts.join(", "))
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}

/// The sanitised texts of files by (escaped) name, with their line indexes.
struct Files<'a> {
    by_name: BTreeMap<&'a str, (&'a Masked, LineIndex)>,
}

impl<'a> Files<'a> {
    fn new(texts: &'a [(String, Masked)]) -> Files<'a> {
        let by_name =
            texts.iter().map(|(name, masked)| (name.as_str(), (masked, LineIndex::new(&masked.text)))).collect();
        Files { by_name }
    }

    /// The lines of `path` that cover `locations`, with each location's span made relative to them.
    fn excerpt<'l>(&self, path: &str, locations: impl Iterator<Item = &'l Location> + Clone) -> Option<Excerpt<'a>> {
        let &(masked, ref index) = self.by_name.get(path)?;
        let text = masked.text.as_str();
        // Lines are the same in the sanitised text (line breaks are kept); byte offsets are not.
        let moved: Vec<Location> = locations
            .map(|l| {
                let mut l = l.clone();
                l.span = masked.range(l.span.range()).into();
                l
            })
            .collect();
        let locations = moved.iter();
        let first = locations.clone().map(|l| l.start.line).min()?;
        let last = locations.clone().map(|l| l.end.line.max(l.start.line)).max()?;
        let mut start = index.line_span(text, first).start;
        let mut end = index.line_span(text, last).end.max(start);
        // A plan is one line of megabytes: show a window around the spans, not the whole line.
        if first == last && end - start > LONG_LINE {
            let lo = locations.clone().map(|l| l.span.start).min()?.clamp(start, end);
            let hi = locations.clone().map(|l| l.span.end).max()?.clamp(lo, end);
            start = text.floor_char_boundary(lo.saturating_sub(WINDOW).max(start));
            end = text.ceil_char_boundary((hi + WINDOW).min(end));
        }
        let spans = locations.map(|l| relative(text, start, end, l)).collect();
        Some(Excerpt { text: &text[start..end], line_start: first, spans })
    }
}

/// Lines longer than this many bytes are shown as a window around the spans.
const LONG_LINE: usize = 4096;
/// Bytes shown on each side of the spans in a long line.
const WINDOW: usize = 160;

struct Excerpt<'a> {
    text: &'a str,
    line_start: usize,
    spans: Vec<std::ops::Range<usize>>,
}

/// A location's byte span clamped to `start..end` and to character boundaries, relative to `start`.
fn relative(text: &str, start: usize, end: usize, location: &Location) -> std::ops::Range<usize> {
    let clamp = |offset: usize| text.floor_char_boundary(offset.clamp(start, end)) - start;
    let from = clamp(location.span.start);
    from..clamp(location.span.end).max(from)
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        // `Severity` is non-exhaustive: a level added later is a note.
        _ => Level::NOTE,
    }
}

fn group<'a>(d: &'a Diagnostic, files: &Files<'a>) -> Group<'a> {
    let title = level(d.severity).primary_title(d.message.as_str()).id(d.rule);
    let path = d.location.path.as_str();
    let mut elements: Vec<annotate_snippets::Element<'a>> = Vec::new();

    // `--> path:line:col` is the finding's own position, as every other format gives it. The
    // excerpt cannot tell it: a window of a long line starts mid-line, and a span that begins
    // inside a masked secret starts where the `****` does.
    elements.push(Origin::path(path).line(d.location.start.line).char_column(d.location.start.column).into());
    let same_file: Vec<_> = d.labels.iter().filter(|l| l.location.path == path).collect();
    let locations = std::iter::once(&d.location).chain(same_file.iter().map(|l| &l.location));
    // Without the file's text (it could not be read), the position alone.
    if let Some(excerpt) = files.excerpt(path, locations) {
        let mut spans = excerpt.spans.into_iter();
        let primary = spans.next().map(|span| AnnotationKind::Primary.span(span));
        let context =
            spans.zip(&same_file).map(|(span, l)| AnnotationKind::Context.span(span).label(l.message.as_str()));
        let snippet = Snippet::<Annotation<'a>>::source(excerpt.text).line_start(excerpt.line_start);
        elements.push(snippet.annotations(primary.into_iter().chain(context)).into());
    }

    let mut other_files: BTreeMap<&str, Vec<_>> = BTreeMap::new();
    for label in d.labels.iter().filter(|l| l.location.path != path) {
        other_files.entry(label.location.path.as_str()).or_default().push(label);
    }
    // Labels in files whose text is not at hand are listed after the excerpts.
    let mut unshown = Vec::new();
    for (other, labels) in other_files {
        let Some(excerpt) = files.excerpt(other, labels.iter().map(|l| &l.location)) else {
            unshown.extend(
                labels
                    .iter()
                    .map(|l| format!("{}:{}:{}: {}", other, l.location.start.line, l.location.start.column, l.message)),
            );
            continue;
        };
        let annotations = excerpt
            .spans
            .into_iter()
            .zip(&labels)
            .map(|(span, l)| AnnotationKind::Context.span(span).label(l.message.as_str()));
        let snippet = Snippet::<Annotation<'a>>::source(excerpt.text)
            .line_start(excerpt.line_start)
            .path(other)
            .annotations(annotations);
        elements.push(snippet.into());
    }

    elements.extend(unshown.into_iter().map(|at| Level::NOTE.message(at).into()));
    if let Some(help) = &d.help {
        elements.push(Level::HELP.message(help.as_str()).into());
    }
    if let Some(note) = note(d) {
        elements.push(Level::NOTE.message(note).into());
    }
    Group::with_title(title).elements(elements)
}

/// `finding: H5, address: aws_iam_policy.ci, pointer: /Statement/0/Action`, for what applies.
fn note(d: &Diagnostic) -> Option<String> {
    let parts: Vec<String> = [
        d.finding.map(|f| format!("finding: {f}")),
        d.address.as_ref().map(|a| format!("address: {a}")),
        d.pointer.as_ref().map(|p| format!("pointer: {p}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if parts.is_empty() { None } else { Some(parts.join(", ")) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fleet_iam_core::{Finding, Label, LineCol, Source, SourceKind, Span};

    fn location(source: &Source, needle: &str) -> Location {
        let index = LineIndex::new(&source.text);
        let start = source.text.find(needle).unwrap_or(0);
        let span = Span::new(start, start + needle.len());
        let (from, to) = (index.line_col(&source.text, span.start), index.line_col(&source.text, span.end));
        Location { path: source.name.clone(), span, start: from, end: to }
    }

    #[test]
    fn labels_in_the_same_file_other_files_and_unread_files() {
        let main = Source::new(
            "infra/main.tf",
            "variable \"actions\" {\n  default = [\"eks:*\"]\n}\n\nresource \"aws_iam_policy\" \"ci\" {\n  policy = local.doc\n}\n",
            SourceKind::Hcl,
        );
        let vars = Source::new("infra/prod.tfvars", "actions = [\"eks:*\", \"s3:GetObject\"]\n", SourceKind::Tfvars);
        let gone = Location {
            path: "infra/gone.json".into(),
            span: Span::default(),
            start: LineCol { line: 3, column: 7 },
            end: LineCol { line: 3, column: 7 },
        };
        let diagnostic = Diagnostic {
            rule: "iam-service-wildcard",
            finding: Some(Finding::H5),
            severity: Severity::Warning,
            message: "`eks:*` allows every EKS action".into(),
            help: Some("list the actions".into()),
            location: location(&main, "local.doc"),
            address: Some("aws_iam_policy.ci".into()),
            pointer: None,
            labels: vec![
                Label { location: location(&vars, "\"eks:*\""), message: "the value comes from here".into() },
                Label { location: location(&main, "[\"eks:*\"]"), message: "the default".into() },
                Label { location: gone, message: "and here".into() },
            ],
            fix: None,
        };
        let report = Report { files: 2, diagnostics: vec![diagnostic], ..Report::default() };
        let mut out = Vec::new();
        render(&report, &vec![main, vars], &mut out, false).unwrap_or_default();
        let expected = r#"warning[iam-service-wildcard]: `eks:*` allows every EKS action
 --> infra/main.tf:6:12
  |
2 |   default = ["eks:*"]
  |             --------- the default
...
6 |   policy = local.doc
  |            ^^^^^^^^^
  |
 ::: infra/prod.tfvars:1:12
  |
1 | actions = ["eks:*", "s3:GetObject"]
  |            ------- the value comes from here
  |
  = note: infra/gone.json:3:7: and here
  = help: list the actions
  = note: finding: H5, address: aws_iam_policy.ci

1 finding (1 warning) in 2 files
"#;
        assert_eq!(String::from_utf8_lossy(&out), expected);
    }

    #[test]
    fn a_file_that_changed_since_the_check_is_drawn_without_panic() {
        // The CLI reads a file again to draw its excerpt: it may have shrunk or changed since.
        let before = Source::new("infra/main.tf", "a = 1\nb = \"ü\"\npolicy = local.doc\n", SourceKind::Hcl);
        let mut at = location(&before, "local.doc");
        at.end.line += 5;
        let d = Diagnostic {
            rule: "iam-service-wildcard",
            finding: None,
            severity: Severity::Warning,
            message: "m".into(),
            help: None,
            location: at,
            address: None,
            pointer: None,
            labels: Vec::new(),
            fix: None,
        };
        let report = Report { files: 1, diagnostics: vec![d], ..Report::default() };
        for after in ["", "ü", "a = 1\n", "b = \"üüüü\"\r\n\r\n"] {
            let mut out = Vec::new();
            let now = vec![Source::new("infra/main.tf", after, SourceKind::Hcl)];
            render(&report, &now, &mut out, false).unwrap();
            // The line is still the one the check found; the excerpt is what the file now holds.
            assert!(String::from_utf8_lossy(&out).contains(" --> infra/main.tf:3:"), "{after:?}");
        }
    }

    #[test]
    fn the_files_a_run_shows_are_asked_for_once_per_run() {
        let main = Source::new("infra/main.tf", "policy = local.doc\n", SourceKind::Hcl);
        let vars = Source::new("infra/prod.tfvars", "actions = [\"eks:*\"]\n", SourceKind::Tfvars);
        let diagnostic = |location: Location, labels| Diagnostic {
            rule: "iam-service-wildcard",
            finding: None,
            severity: Severity::Warning,
            message: "m".into(),
            help: None,
            location,
            address: None,
            pointer: None,
            labels,
            fix: None,
        };
        let diagnostics = vec![
            diagnostic(
                location(&main, "local.doc"),
                vec![Label { location: location(&vars, "\"eks:*\""), message: "here".into() }],
            ),
            diagnostic(location(&main, "policy"), Vec::new()),
            diagnostic(location(&vars, "actions"), Vec::new()),
        ];
        let report = Report { files: 2, diagnostics, ..Report::default() };
        let texts = super::super::tests::Recording { sources: vec![main, vars], asked: Default::default() };
        let (mut recorded, mut plain) = (Vec::new(), Vec::new());
        render(&report, &texts, &mut recorded, false).unwrap_or_default();
        render(&report, &texts.sources, &mut plain, false).unwrap_or_default();
        assert_eq!(recorded, plain);
        assert_eq!(texts.asked.into_inner(), ["infra/main.tf", "infra/prod.tfvars", "infra/prod.tfvars"]);
    }

    #[test]
    fn summary_counts_each_severity() {
        assert_eq!(
            summary(&Report { files: 1, diagnostics: Vec::new(), ..Report::default() }),
            "no findings in 1 file"
        );
    }
}
