//! `fleet-iam check -`: one source read from standard input, as editors and pre-commit pipelines
//! pass a buffer.
//!
//! `--stdin-filename NAME` gives its name: the path every format shows, the kind of input (as a
//! file of that name would be read: `.tf`, `.tfvars`, `.tf.json`, a plan or policy `.json`), and
//! where its configuration is looked for (the nearest `fleet-iam.toml` above NAME's directory,
//! or above the nearest directory of it that exists).
//!
//! The input is checked as if it were the file at NAME, in its module: when NAME's directory
//! exists, the Terraform, tfvars and JSON files beside it are read as context, as a directory
//! check would read them (its variables, `terraform.tfvars`, the policy files it reads; `.json`
//! files up to 1 MiB, and no plan, which is not a module's context), so an
//! editor's buffer gets the findings the saved file would, and a secret that a sibling shows to
//! be one is masked in the input too. They are not reported on, and the file at NAME itself is
//! not read: the input takes its place. Without a name, the source is called `-`, its kind is
//! told from its content, and nothing else is read.

use crate::walk::{self, Limits, Walked};
use anyhow::{Context, bail};
use fleet_iam_core::{Source, SourceKind};
use std::io::Read;
use std::path::Path;

/// Whether the paths ask for standard input.
pub fn wanted(paths: &[std::path::PathBuf]) -> bool {
    paths.iter().any(|p| p.as_os_str() == "-")
}

/// Standard input as the one source of a walk. An input over the limit, or not text, is a
/// `parse-error` as a file would be.
pub fn read(paths: &[std::path::PathBuf], name: Option<&Path>, limits: Limits) -> anyhow::Result<Walked> {
    if paths.len() != 1 {
        bail!("`-` reads standard input, and cannot be given with other paths");
    }
    let name = name.map_or_else(|| "-".to_string(), walk::display);
    let limit = limits.max_file_bytes.max(limits.max_plan_bytes);
    let mut bytes = Vec::new();
    std::io::stdin().lock().take(limit as u64 + 1).read_to_end(&mut bytes).context("cannot read standard input")?;
    let mut walked = Walked::default();
    let text = if bytes.len() > limit {
        Err(format!("it is above the limit of {} MiB, so it is not read", limit >> 20))
    } else {
        Source::decode(&bytes).map_err(|e| e.to_string())
    };
    match text {
        Ok(text) => match SourceKind::detect(&name, &text).or_else(|| walk::sniff(&name, &text)) {
            Some(kind) => walked.sources.push(Source::new(name, text, kind)),
            None => {
                let reason = "its name says it is not Terraform, and it is not JSON: not checked".into();
                walked.skipped.push(walk::Skipped { what: name, reason });
            }
        },
        Err(message) => walked.unreadable.push(walk::Unreadable { path: name, message }),
    }
    Ok(walked)
}

/// The largest `.json` file beside the input that is read as its context.
const SIBLING_JSON_BYTES: u64 = 1 << 20;

/// The files beside `name` that a check of its directory would read, without `name` itself, as
/// a walk of them (their names displayed as the walk displays them). Empty when `name` has no
/// directory on disk.
pub fn siblings(name: &Path, limits: Limits) -> anyhow::Result<Walked> {
    let dir = match name.parent() {
        Some(dir) if dir.as_os_str().is_empty() => Path::new("."),
        Some(dir) => dir,
        None => return Ok(Walked::default()),
    };
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(Walked::default()) };
    let own = name.file_name();
    let mut files: Vec<std::path::PathBuf> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter(|e| Some(e.file_name().as_os_str()) != own)
        .filter(|e| {
            let file = e.file_name().to_string_lossy().to_ascii_lowercase();
            // A `.json` beside a module is a policy it reads, or a plan, which is no context of
            // the module's and may run to hundreds of megabytes: only small ones are looked at.
            let small = || e.metadata().is_ok_and(|m| m.len() <= SIBLING_JSON_BYTES);
            SourceKind::detect(&file, "").is_some_and(|k| k != SourceKind::OtherJson)
                || (file.ends_with(".json") && small())
        })
        .map(|e| if dir == Path::new(".") { std::path::PathBuf::from(e.file_name()) } else { dir.join(e.file_name()) })
        .collect();
    files.sort();
    let mut walked = walk::walk(&files, &[], limits)?;
    walked.unreadable.clear();
    walked.sources.retain(|s| s.kind != SourceKind::Plan);
    Ok(walked)
}
