//! What every target does: decode the bytes as a file would be, run the whole `check`, and
//! hold the output to the invariants no input may break. The same sources listed lazily
//! (`check_with`, as the CLI checks a tree) must give the same report.

use fleet_iam_core::source::LineIndex;
use fleet_iam_core::{Config, Load, Location, Source, SourceKind, check, check_with};
use std::sync::OnceLock;

/// Hands out the texts of the sources given.
struct Given<'a>(&'a [Source]);

impl Load for Given<'_> {
    fn load(&self, source: &Source) -> Result<String, String> {
        self.0.iter().find(|s| s.name == source.name).map(|s| s.text.clone()).ok_or_else(|| "not given".into())
    }
}

/// Checks `bytes` as a file of `kind` named `name`, beside a small module that reads a policy
/// file, and panics (a crash for libFuzzer) when a diagnostic is misplaced.
pub fn run(bytes: &[u8], name: &str, kind: SourceKind) {
    let Ok(text) = Source::decode(bytes) else { return };
    let sources = [
        Source::new(name, text, kind),
        Source::new(
            "main.tf",
            "resource \"aws_iam_policy\" \"f\" {\n  policy = file(\"policy.json\")\n}\n",
            SourceKind::Hcl,
        ),
    ];
    static CONFIG: OnceLock<Config> = OnceLock::new();
    let config = CONFIG.get_or_init(Config::strict);
    let report = check(&sources, config);
    let lazy: Vec<Source> = sources.iter().map(|s| Source::lazy(s.name.clone(), s.kind)).collect();
    assert_eq!(report, check_with(&lazy, &Given(&sources), config), "lazy sources give another report");
    for d in report.diagnostics.iter().chain(&report.suppressed) {
        placed(&d.location, &sources);
        d.labels.iter().for_each(|l| placed(&l.location, &sources));
    }
}

fn placed(location: &Location, sources: &[Source]) {
    let source = sources.iter().find(|s| s.name == location.path).expect("a diagnostic names a checked file");
    let (text, span) = (&source.text, location.span);
    assert!(span.start <= span.end && span.end <= text.len(), "{location:?} outside the text");
    assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end), "{location:?} splits a char");
    let index = LineIndex::new(text);
    assert_eq!(location.start, index.line_col(text, span.start), "{location:?}");
    assert_eq!(location.end, index.line_col(text, span.end), "{location:?}");
}
