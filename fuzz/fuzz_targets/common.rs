//! What every target does: decode the bytes as a file would be, run the whole `check`, and
//! hold the output to the invariants no input may break. The same sources listed lazily
//! (`check_with`, as the CLI checks a tree) must give the same report.
//!
//! Each input is checked beside a sibling `secrets.tf` that holds a planted secret under a
//! secret name, and once more with a second secret planted inside the fuzzed text itself
//! (`password = "..."` appended to HCL, a `"password"` member added to a JSON object). No
//! message, help, label, address or pointer may hold a planted secret or a 4-character piece of
//! one that the inputs do not hold elsewhere, and no source as the sanitiser shows it may hold a
//! planted secret.

use fleet_iam_core::source::LineIndex;
use fleet_iam_core::{Config, Load, Location, Report, Source, SourceKind, check, check_with};
use std::sync::OnceLock;

/// Hands out the texts of the sources given.
struct Given<'a>(&'a [Source]);

impl Load for Given<'_> {
    fn load(&self, source: &Source) -> Result<String, String> {
        self.0.iter().find(|s| s.name == source.name).map(|s| s.text.clone()).ok_or_else(|| "not given".into())
    }
}

/// Checks `bytes` as a file of `kind` named `name`, beside a small module that reads a policy
/// file and a file with a planted secret, and panics (a crash for libFuzzer) when a diagnostic
/// is misplaced or a planted secret shows.
pub fn run(bytes: &[u8], name: &str, kind: SourceKind) {
    let Ok(text) = Source::decode(bytes) else { return };
    // A piece of a secret can match fixed wording of a message by chance (the shape of the
    // secrets makes that rare, not impossible): a leak counts only when a second pair of
    // secrets leaks too.
    let Some(first) = leak(&text, name, kind, 0) else { return };
    if let Some(second) = leak(&text, name, kind, 1) {
        panic!("planted secrets leak: {first}; with other secrets: {second}");
    }
}

/// Checks the text plain and with a secret planted in it, both beside a sibling secret; returns
/// what leaked.
fn leak(text: &str, name: &str, kind: SourceKind, seed: u64) -> Option<String> {
    let sibling = secret(text, seed * 2);
    let inner = secret(text, seed * 2 + 1);
    let plain = sources(name, text.to_string(), kind, &sibling);
    let report = checked(&plain);
    if let Some(found) = shown(&report, &plain, &[&sibling]) {
        return Some(format!("{found} (fuzzed text as is)"));
    }
    let planted = plant(text, kind, &inner)?;
    let with_secret = sources(name, planted, kind, &sibling);
    let report = checked(&with_secret);
    shown(&report, &with_secret, &[&sibling, &inner]).map(|found| format!("{found} (secret planted in {name})"))
}

/// The fuzzed file, the module that reads `policy.json`, and `secrets.tf` holding `sibling`
/// under a secret name.
fn sources(name: &str, text: String, kind: SourceKind, sibling: &str) -> [Source; 3] {
    [
        Source::new(name, text, kind),
        Source::new(
            "main.tf",
            "resource \"aws_iam_policy\" \"f\" {\n  policy = file(\"policy.json\")\n}\n",
            SourceKind::Hcl,
        ),
        Source::new("secrets.tf", format!("locals {{\n  db_password = \"{sibling}\"\n}}\n"), SourceKind::Hcl),
    ]
}

/// The report of `sources`, held to the invariants on placement and laziness.
fn checked(sources: &[Source]) -> Report {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    let config = CONFIG.get_or_init(Config::strict);
    let report = check(sources, config);
    let lazy: Vec<Source> = sources.iter().map(|s| Source::lazy(s.name.clone(), s.kind)).collect();
    assert_eq!(report, check_with(&lazy, &Given(sources), config), "lazy sources give another report");
    for d in report.diagnostics.iter().chain(&report.suppressed) {
        placed(&d.location, sources);
        d.labels.iter().for_each(|l| placed(&l.location, sources));
    }
    report
}

/// `text` with `secret` planted where a parser knows a secret: a `locals` block with a
/// `password` appended to HCL, a first `"password"` member of a JSON object. `None` for JSON
/// that is no object. Appending and inserting after the opening brace leave the rest of the text
/// as written. (A bare top-level `password = ...`, which Terraform rejects, is not marked: the
/// model of a `.tf` file keeps only its blocks.)
fn plant(text: &str, kind: SourceKind, secret: &str) -> Option<String> {
    if kind == SourceKind::Hcl {
        return Some(format!("{text}\nlocals {{\n  password = \"{secret}\"\n}}\n"));
    }
    let serde_json::Value::Object(members) = serde_json::from_str::<serde_json::Value>(text).ok()? else {
        return None;
    };
    let brace = text.find('{')?;
    let comma = if members.is_empty() { "" } else { "," };
    Some(format!("{}\"password\": \"{secret}\"{comma}{}", &text[..=brace], &text[brace + 1..]))
}

/// Where a planted secret shows: a whole one or a 4-character piece not found elsewhere in the
/// inputs in a message, help, label, address or pointer; a whole one in a sanitised source.
fn shown(report: &Report, sources: &[Source], secrets: &[&str]) -> Option<String> {
    // The inputs without the planted secrets: a piece they hold may show legitimately.
    let elsewhere: Vec<String> =
        sources.iter().map(|s| secrets.iter().fold(s.text.clone(), |t, secret| t.replace(secret, "\n"))).collect();
    let pieces: Vec<&str> = secrets
        .iter()
        .flat_map(|secret| (0..=secret.len() - 4).map(move |i| &secret[i..i + 4]))
        .filter(|piece| !elsewhere.iter().any(|t| t.contains(piece)))
        .chain(secrets.iter().copied())
        .collect();
    for d in report.diagnostics.iter().chain(&report.suppressed) {
        let texts = [Some(&d.message), d.help.as_ref(), d.address.as_ref(), d.pointer.as_ref()]
            .into_iter()
            .flatten()
            .chain(d.labels.iter().map(|l| &l.message));
        for t in texts {
            if let Some(piece) = pieces.iter().find(|p| t.contains(**p)) {
                return Some(format!("{piece:?} in a {} diagnostic: {t:?}", d.rule));
            }
        }
    }
    for source in sources {
        let masked = report.secrets.mask_source(&source.name, &source.text, true).text;
        if let Some(secret) = secrets.iter().find(|s| masked.contains(**s)) {
            return Some(format!("{secret:?} in {} as sanitised: {masked:?}", source.name));
        }
    }
    None
}

/// A secret derived from the input (the same input always plants the same one): `Pz` then 14
/// characters that cycle upper case, lower case, digit, so that every 4-character piece mixes
/// classes and is unlike the words of a message. It is not in `text` (a seed further on is
/// taken if it were).
fn secret(text: &str, seed: u64) -> String {
    const CLASSES: [&[u8]; 3] = [b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz", b"0123456789"];
    // FNV-1a of the text, then splitmix64 steps: deterministic and dependency-free.
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    let mut state = hash ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    loop {
        let mut out = String::from("Pz");
        for i in 2..16 {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^= z >> 31;
            let class = CLASSES[i % 3];
            out.push(char::from(class[(z % class.len() as u64) as usize]));
        }
        if !text.contains(&out) {
            return out;
        }
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
