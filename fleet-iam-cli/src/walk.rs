//! The one file walker: finds the files to check under the paths given and reads them into
//! sources, in parallel, returning them sorted by path.

use fleet_iam_core::{Source, SourceKind};
use ignore::overrides::{Override, OverrideBuilder};
use ignore::{DirEntry, WalkBuilder, WalkState};
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// Directories never walked, whatever the ignore files say.
const SKIPPED_DIRS: &[&str] = &[".git", ".terraform"];

/// The files found: those read as text, and those that could not be.
#[derive(Debug, Default)]
pub struct Walked {
    /// Decoded sources, sorted by name.
    pub sources: Vec<Source>,
    /// Files that could not be read or decoded, sorted by path.
    pub unreadable: Vec<Unreadable>,
}

/// A file that could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// The path, as displayed.
    pub path: String,
    /// Why it could not be read.
    pub message: String,
}

/// Why the walk could not start: the tool cannot do its job.
#[derive(Debug)]
pub enum WalkError {
    /// A path given on the command line does not exist.
    Missing(String),
    /// An `--exclude` glob is not valid.
    BadGlob(String, String),
}

impl fmt::Display for WalkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WalkError::Missing(path) => write!(f, "`{path}`: no such file or directory"),
            WalkError::BadGlob(glob, message) => write!(f, "--exclude `{glob}`: {message}"),
        }
    }
}

impl std::error::Error for WalkError {}

enum Item {
    Source(Source),
    Unreadable(Unreadable),
}

/// Reads every file to check under `paths`. Directories are walked honouring `.gitignore`
/// (even outside a git repository) and `excludes`; files named in `paths` are always read.
pub fn walk(paths: &[PathBuf], excludes: &[String]) -> Result<Walked, WalkError> {
    for path in paths {
        if path.symlink_metadata().is_err() {
            return Err(WalkError::Missing(display(path)));
        }
    }
    let items = Mutex::new(Vec::new());
    for path in paths {
        if path.is_dir() {
            walk_dir(path, excludes, &items)?;
        } else {
            let item = read(path, display(path), true);
            items.lock().unwrap_or_else(PoisonError::into_inner).push(item);
        }
    }
    let mut walked = Walked::default();
    for item in items.into_inner().unwrap_or_else(PoisonError::into_inner) {
        match item {
            Item::Source(source) => walked.sources.push(source),
            Item::Unreadable(unreadable) => walked.unreadable.push(unreadable),
        }
    }
    walked.sources.sort_by(|a, b| a.name.cmp(&b.name));
    walked.sources.dedup_by(|a, b| a.name == b.name);
    walked.unreadable.sort_by(|a, b| a.path.cmp(&b.path));
    walked.unreadable.dedup_by(|a, b| a.path == b.path);
    Ok(walked)
}

fn walk_dir(root: &Path, excludes: &[String], items: &Mutex<Vec<Item>>) -> Result<(), WalkError> {
    let walker = WalkBuilder::new(root)
        .hidden(false)
        .require_git(false)
        .follow_links(true)
        .overrides(overrides(root, excludes)?)
        .filter_entry(|entry| !is_skipped_dir(entry))
        .build_parallel();
    walker.run(|| {
        Box::new(|result| {
            let item = match result {
                Ok(entry) => visit(&entry),
                Err(error) => walk_error(error),
            };
            if let Some(item) = item {
                items.lock().unwrap_or_else(PoisonError::into_inner).push(item);
            }
            WalkState::Continue
        })
    });
    Ok(())
}

/// `--exclude` globs as ignore overrides, so they read like `.gitignore` lines relative to the root.
fn overrides(root: &Path, excludes: &[String]) -> Result<Override, WalkError> {
    let mut builder = OverrideBuilder::new(root);
    for glob in excludes {
        // Checked on its own first, so that the error shows the glob as the user wrote it.
        globset::Glob::new(glob).map_err(|e| WalkError::BadGlob(glob.clone(), e.kind().to_string()))?;
        builder.add(&format!("!{glob}")).map_err(|e| WalkError::BadGlob(glob.clone(), e.to_string()))?;
    }
    builder.build().map_err(|e| WalkError::BadGlob(excludes.join(", "), e.to_string()))
}

fn is_skipped_dir(entry: &DirEntry) -> bool {
    let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
    is_dir && entry.depth() > 0 && SKIPPED_DIRS.iter().any(|d| entry.file_name() == *d)
}

fn visit(entry: &DirEntry) -> Option<Item> {
    if entry.file_type().is_some_and(|t| t.is_dir()) {
        return None;
    }
    let name = display(entry.path());
    SourceKind::detect(&name, "")?;
    Some(read(entry.path(), name, false))
}

/// Walk errors: a symlink loop only repeats what is walked anyway; any other error on a path
/// hides that path's content, so it becomes a diagnostic.
fn walk_error(error: ignore::Error) -> Option<Item> {
    let mut error = &error;
    let mut path = None;
    loop {
        match error {
            ignore::Error::WithPath { path: p, err } => {
                path = Some(p.clone());
                error = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => error = err,
            _ => break,
        }
    }
    if matches!(error, ignore::Error::Loop { .. }) {
        return None;
    }
    let message = match error {
        ignore::Error::Io(e) => io_message(e),
        other => other.to_string(),
    };
    let path = path?;
    Some(Item::Unreadable(Unreadable { path: display(&path), message }))
}

/// Reads and decodes one file. A file named on the command line is read whatever its name.
fn read(path: &Path, name: String, explicit: bool) -> Item {
    let unreadable = |message: String| Item::Unreadable(Unreadable { path: name.clone(), message });
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => return unreadable(io_message(&e)),
    };
    let text = match Source::decode(&bytes) {
        Ok(text) => text,
        Err(e) => return unreadable(e.to_string()),
    };
    let kind = match SourceKind::detect(&name, &text) {
        Some(kind) => kind,
        None if explicit => sniff(&text),
        None => return unreadable("not a Terraform or JSON file".into()),
    };
    Item::Source(Source::new(name, text, kind))
}

/// The kind of a file named on the command line whose name says nothing: JSON when it looks
/// like JSON (the core then tells a plan from a policy), Terraform otherwise.
fn sniff(text: &str) -> SourceKind {
    if text.trim_start().starts_with('{') {
        // The core only sniffs JSON content behind a `.json` name.
        return SourceKind::detect("command-line.json", text).unwrap_or(SourceKind::OtherJson);
    }
    SourceKind::Hcl
}

/// An I/O error in words that do not depend on the platform's error numbers.
fn io_message(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "it does not exist (a dangling symbolic link?)".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::IsADirectory => "it is a directory".into(),
        _ => error.to_string(),
    }
}

/// A path as displayed and used as the source name: as given, with `/` separators and without
/// a leading `./`.
pub fn display(path: &Path) -> String {
    let text = path.to_string_lossy();
    let text = if cfg!(windows) { text.replace('\\', "/") } else { text.into_owned() };
    let mut rest = text.as_str();
    while let Some(stripped) = rest.strip_prefix("./") {
        rest = stripped.trim_start_matches('/');
    }
    if rest.is_empty() { ".".to_string() } else { rest.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_strips_leading_dot_slash() {
        assert_eq!(display(Path::new("./a/b.tf")), "a/b.tf");
        assert_eq!(display(Path::new(".//a.tf")), "a.tf");
        assert_eq!(display(Path::new("a/./b.tf")), "a/./b.tf");
        assert_eq!(display(Path::new("./")), ".");
        assert_eq!(display(Path::new("../x.tf")), "../x.tf");
    }
}
