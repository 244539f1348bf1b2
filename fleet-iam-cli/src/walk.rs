//! The one file walker: finds the files to check under the paths given and lists them as lazy
//! sources, in parallel, returning them sorted by path; [`Disk`] reads their text when the check
//! or a renderer needs it. A walk stays inside its [`Confinement`]: a symbolic link out of it is
//! skipped, and listed in [`Walked::skipped`].

use crate::confine::Confinement;
use fleet_iam_core::{Source, SourceKind};
use ignore::overrides::{Override, OverrideBuilder};
use ignore::{DirEntry, WalkBuilder, WalkState};
use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

/// Directories never walked, whatever the ignore files say.
const SKIPPED_DIRS: &[&str] = &[".git", ".terraform"];

/// How large a file may be to be read at all: a larger one is reported without being read,
/// so that memory stays bounded whatever the tree holds. The core holds each kind of file to its
/// own limit ([`fleet_iam_core::Config::max_file_bytes`], `max_plan_bytes`); a `.json` name
/// does not say whether it is a plan, so the walker reads it up to the larger of the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// For Terraform files (`.tf`, `.tfvars`, `.tf.json`, `.tfvars.json`) and workflows.
    pub max_file_bytes: usize,
    /// For plans: `.json` files and files named on the command line may be one.
    pub max_plan_bytes: usize,
}

impl Limits {
    /// The most bytes read of a file of this name.
    fn for_name(&self, name: &str) -> usize {
        match SourceKind::detect(name, "") {
            Some(
                SourceKind::Hcl
                | SourceKind::Tfvars
                | SourceKind::TfJson
                | SourceKind::TfvarsJson
                | SourceKind::Workflow,
            ) => self.max_file_bytes,
            _ => self.max_file_bytes.max(self.max_plan_bytes),
        }
    }
}

/// The files found: those read as text, and those that could not be.
#[derive(Debug, Default)]
pub struct Walked {
    /// The sources found, sorted by name: lazy, but for a pipe named on the command line.
    pub sources: Vec<Source>,
    /// Files that could not be read or decoded, sorted by path.
    pub unreadable: Vec<Unreadable>,
    /// The paths of the sources whose name is not their path: a file name that is not valid
    /// UTF-8 is displayed with replacement characters, and must be opened by its real path.
    pub paths: BTreeMap<String, PathBuf>,
    /// Symbolic links not followed, because they lead out of the checked tree; sorted.
    pub skipped: Vec<Skipped>,
}

/// Something not read because it leads out of the checked tree, for a note on stderr: it names
/// the link (or the `modules.json` entry), never what it leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// What was skipped: a link's path, as displayed, or a `modules.json` entry.
    pub what: String,
    /// Why it was skipped.
    pub reason: String,
}

impl fmt::Display for Skipped {
    /// `skipped WHAT: REASON`, with control characters escaped: a file name could otherwise
    /// send escape sequences to the terminal.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let escaped = |text: &str| -> String {
            text.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect()
        };
        write!(f, "skipped {}: {}", escaped(&self.what), escaped(&self.reason))
    }
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
    /// A source, with its path when its name is not it (a name that is not UTF-8 is displayed
    /// with replacement characters).
    Source(Source, Option<PathBuf>),
    Unreadable(Unreadable),
    /// A file named on the command line that is none of the inputs (`README.md`).
    Skipped(Skipped),
}

/// Lists every file to check under `paths`. Directories are walked honouring `.gitignore`
/// (even outside a git repository) and `excludes`; files named in `paths` are always listed.
/// A file over its limit is reported without being read. Walking does not follow a symbolic link
/// out of the repository of the directories in `paths` (or out of those directories, outside a
/// repository), so that a link to `/etc/shadow` or `~/.git-credentials` is never read.
pub fn walk(paths: &[PathBuf], excludes: &[String], limits: Limits) -> Result<Walked, WalkError> {
    walk_to(paths, excludes, limits, None)
}

/// The files of one directory, without its subdirectories: a module, as the language server
/// reads the rest of an open file's module. As [`walk`] otherwise.
pub fn walk_module(dir: &Path, limits: Limits) -> Result<Walked, WalkError> {
    walk_to(&[dir.to_path_buf()], &[], limits, Some(1))
}

fn walk_to(paths: &[PathBuf], excludes: &[String], limits: Limits, depth: Option<usize>) -> Result<Walked, WalkError> {
    for path in paths {
        if path.symlink_metadata().is_err() {
            return Err(WalkError::Missing(display(path)));
        }
    }
    let items = Mutex::new(Vec::new());
    let confinement = Arc::new(Confinement::of(paths));
    let skipped = Arc::new(Mutex::new(Vec::new()));
    for path in paths {
        if path.is_dir() {
            walk_dir(path, excludes, limits, depth, &items, &confinement, &skipped)?;
        } else {
            let item = read(path, display(path), true, limits);
            items.lock().unwrap_or_else(PoisonError::into_inner).push(item);
        }
    }
    let mut walked = Walked::default();
    for item in items.into_inner().unwrap_or_else(PoisonError::into_inner) {
        match item {
            Item::Source(source, path) => {
                if let Some(path) = path {
                    walked.paths.insert(source.name.clone(), path);
                }
                walked.sources.push(source);
            }
            Item::Unreadable(unreadable) => walked.unreadable.push(unreadable),
            Item::Skipped(skip) => skipped.lock().unwrap_or_else(PoisonError::into_inner).push(skip),
        }
    }
    walked.skipped = std::mem::take(&mut *skipped.lock().unwrap_or_else(PoisonError::into_inner));
    walked.skipped.sort_by(|a, b| a.what.cmp(&b.what));
    walked.skipped.dedup_by(|a, b| a.what == b.what);
    walked.sources.sort_by(|a, b| a.name.cmp(&b.name));
    walked.sources.dedup_by(|a, b| a.name == b.name);
    walked.unreadable.sort_by(|a, b| a.path.cmp(&b.path));
    walked.unreadable.dedup_by(|a, b| a.path == b.path);
    Ok(walked)
}

fn walk_dir(
    root: &Path,
    excludes: &[String],
    limits: Limits,
    depth: Option<usize>,
    items: &Mutex<Vec<Item>>,
    confinement: &Arc<Confinement>,
    skipped: &Arc<Mutex<Vec<Skipped>>>,
) -> Result<(), WalkError> {
    // The filter outlives this call (the walker wants it `'static`): it holds its own handles.
    let (confinement, skipped) = (Arc::clone(confinement), Arc::clone(skipped));
    // The check comes before the walker enters a linked directory: entering it already reads its
    // ignore files.
    let filter = move |entry: &DirEntry| {
        if is_skipped_dir(entry) {
            return false;
        }
        let Some(skip) = escapes(entry, &confinement) else { return true };
        skipped.lock().unwrap_or_else(PoisonError::into_inner).push(skip);
        false
    };
    let walker = WalkBuilder::new(root)
        .hidden(false)
        .require_git(false)
        .follow_links(true)
        .max_depth(depth)
        .overrides(overrides(root, excludes)?)
        .filter_entry(filter)
        .build_parallel();
    walker.run(|| {
        Box::new(|result| {
            let item = match result {
                Ok(entry) => visit(&entry, limits),
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

/// A symbolic link found by walking that leads out of the confinement. The root was named on the
/// command line: it is walked wherever it leads.
fn escapes(entry: &DirEntry, confinement: &Confinement) -> Option<Skipped> {
    if entry.depth() == 0 || !entry.path_is_symlink() {
        return None;
    }
    let target = confinement.escape(entry.path())?;
    let what = if target.is_dir() { "directory" } else { "file" };
    Some(Skipped {
        what: display(entry.path()),
        reason: format!("a symbolic link to a {what} outside the checked tree"),
    })
}

fn visit(entry: &DirEntry, limits: Limits) -> Option<Item> {
    if entry.file_type().is_some_and(|t| t.is_dir()) {
        return None;
    }
    let name = display(entry.path());
    let kind = SourceKind::detect(&name, "")?;
    // A regular file whose name says its kind is listed as it is: its size, and whether it can
    // be read, are found when it is read.
    if kind != SourceKind::OtherJson && entry.file_type().is_some_and(|t| t.is_file()) {
        return Some(source(entry.path(), Source::lazy(name, kind)));
    }
    Some(read(entry.path(), name, false, limits))
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

/// Lists one file, without keeping its text: the check reads it again (with [`Disk`]) when it
/// needs it, so that memory holds the files being checked, not the tree. A file whose name does
/// not say its kind (`.json`, or any name on the command line) is read here to tell its kind.
/// Only a file that cannot be read twice (a pipe named on the command line, as
/// `<(terraform show -json plan)` is) keeps its text.
fn read(path: &Path, name: String, explicit: bool, limits: Limits) -> Item {
    let unreadable = |message: String| Item::Unreadable(Unreadable { path: name.clone(), message });
    let metadata = match regular(path, explicit, limits.for_name(&name)) {
        Ok(metadata) => metadata,
        Err(message) => return unreadable(message),
    };
    if let Some(kind) = SourceKind::detect(&name, "").filter(|k| !matches!(k, SourceKind::OtherJson))
        && metadata.is_file()
    {
        return source(path, Source::lazy(name, kind));
    }
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) => return unreadable(io_message(&e)),
    };
    let text = match read_text(file, limits.for_name(&name), metadata.len()) {
        Ok(text) => text,
        Err(message) => return unreadable(message),
    };
    let kind = match SourceKind::detect(&name, &text) {
        Some(kind) => kind,
        None if explicit => match sniff(&name, &text) {
            Some(kind) => kind,
            None => {
                let reason = "its name says it is not Terraform, and it is not JSON: not checked";
                return Item::Skipped(Skipped { what: name.clone(), reason: reason.into() });
            }
        },
        None => return unreadable("not a Terraform or JSON file".into()),
    };
    if metadata.is_file() {
        source(path, Source::lazy(name, kind))
    } else {
        source(path, Source::new(name, text, kind))
    }
}

/// A listed source, with its path when its name is not valid UTF-8.
fn source(path: &Path, source: Source) -> Item {
    let renamed = path.to_str().is_none().then(|| path.to_path_buf());
    Item::Source(source, renamed)
}

/// Reads the text of the files the walk listed, when the check needs it: under the same limits,
/// with the same messages.
#[derive(Debug, Clone)]
pub struct Disk {
    /// The limits the walk listed the files under.
    pub limits: Limits,
    /// The paths of files whose name is not their path ([`Walked::paths`]).
    pub paths: BTreeMap<String, PathBuf>,
}

impl Disk {
    /// The decoded text of the file `name` (a path as the walk displays it). Only files the walk
    /// listed are asked for: a FIFO or device found by walking is not listed.
    pub fn text(&self, name: &str) -> Result<String, String> {
        let limit = self.limits.for_name(name);
        let path = self.paths.get(name).map_or(Path::new(name), PathBuf::as_path);
        let file = std::fs::File::open(path).map_err(|e| io_message(&e))?;
        let metadata = file.metadata().map_err(|e| io_message(&e))?;
        may_read(&metadata, true, limit)?;
        read_text(file, limit, metadata.len())
    }
}

impl fleet_iam_core::Load for Disk {
    fn load(&self, source: &Source) -> Result<String, String> {
        self.text(&source.name)
    }
}

/// In whole MiB, rounded up, as the core words it.
fn mib(bytes: u64) -> u64 {
    bytes.div_ceil(1 << 20)
}

fn too_large(size: Option<u64>, limit: usize) -> String {
    let size = size.map_or_else(String::new, |s| format!("{} MiB, ", mib(s)));
    format!("it is {size}above the limit of {} MiB, so it is not read", mib(limit as u64))
}

/// The file's metadata, when it may be read ([`may_read`]).
fn regular(path: &Path, explicit: bool, limit: usize) -> Result<std::fs::Metadata, String> {
    let metadata = std::fs::metadata(path).map_err(|e| io_message(&e))?;
    may_read(&metadata, explicit, limit)?;
    Ok(metadata)
}

/// Whether a file may be read: a file named on the command line whatever it is, a file found by
/// walking only when it is a regular file (opening a FIFO would block the walk, and a device
/// such as `/dev/zero` never ends); and not above `limit` bytes.
fn may_read(metadata: &std::fs::Metadata, explicit: bool, limit: usize) -> Result<(), String> {
    if metadata.is_dir() {
        return Err("it is a directory".into());
    }
    if !metadata.is_file() && !explicit {
        return Err("it is not a regular file (a FIFO, socket or device), so it is not read".into());
    }
    if metadata.len() > limit as u64 {
        return Err(too_large(Some(metadata.len()), limit));
    }
    Ok(())
}

/// Reads and decodes an open file of `expected` bytes, never more than `limit` bytes of it.
fn read_text(file: std::fs::File, limit: usize, expected: u64) -> Result<String, String> {
    let mut bytes = Vec::with_capacity(usize::try_from(expected).unwrap_or(limit).min(limit) + 1);
    file.take(limit as u64 + 1).read_to_end(&mut bytes).map_err(|e| io_message(&e))?;
    if bytes.len() > limit {
        // It grew since it was looked at, or it is a pipe or device that goes on.
        return Err(too_large(None, limit));
    }
    Source::decode(&bytes).map_err(|e| e.to_string())
}

/// The kind of a file named on the command line (or given on standard input) whose name fleet-iam
/// does not read: JSON when it looks like JSON (the core then tells a plan from a policy, so a
/// policy saved as `policy.txt` is read), Terraform when the name has no extension (`/dev/fd/63`
/// from `<(...)`, `-`), and `None` for any other name (`README.md`, `Cargo.toml`): its extension
/// says what it is.
pub fn sniff(name: &str, text: &str) -> Option<SourceKind> {
    if text.trim_start().starts_with('{') {
        // The core only sniffs JSON content behind a `.json` name.
        return Some(SourceKind::detect("command-line.json", text).unwrap_or(SourceKind::OtherJson));
    }
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let extension = file.rsplit_once('.').is_some_and(|(stem, _)| !stem.is_empty());
    (!extension).then_some(SourceKind::Hcl)
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

    fn message(item: Item) -> String {
        match item {
            Item::Unreadable(u) => u.message,
            Item::Source(s, _) => panic!("read {}", s.name),
            Item::Skipped(s) => panic!("skipped {}", s.what),
        }
    }

    #[test]
    fn a_file_over_its_limit_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let limits = Limits { max_file_bytes: 1 << 20, max_plan_bytes: 3 << 20 };
        // Sparse: their size is known without writing them, and they are never read.
        let create = |name: &str, len: u64| {
            let path = dir.path().join(name);
            std::fs::File::create(&path).unwrap().set_len(len).unwrap();
            path
        };
        let big = create("big.tf", (1 << 20) + 1);
        assert_eq!(
            message(read(&big, "big.tf".into(), false, limits)),
            "it is 2 MiB, above the limit of 1 MiB, so it is not read"
        );
        // A `.json` may be a plan: it is read up to the plan limit, and the core judges it.
        let json = create("plan.json", 2 << 20);
        assert_eq!(message(read(&json, "plan.json".into(), false, limits)), "binary file: NUL byte at offset 0");
        let json = create("big.json", (3 << 20) + 1);
        assert_eq!(
            message(read(&json, "big.json".into(), false, limits)),
            "it is 4 MiB, above the limit of 3 MiB, so it is not read"
        );
        let small = dir.path().join("small.tf");
        std::fs::write(&small, "x = 1\n").unwrap();
        assert!(matches!(read(&small, "small.tf".into(), false, limits), Item::Source(..)));
    }

    #[test]
    fn files_are_listed_without_their_text_and_read_again_by_disk() {
        let dir = tempfile::tempdir().unwrap();
        let limits = Limits { max_file_bytes: 1 << 10, max_plan_bytes: 1 << 20 };
        let tf = dir.path().join("main.tf");
        std::fs::write(&tf, "x = 1\n").unwrap();
        let policy = dir.path().join("ci.json");
        std::fs::write(&policy, "{\"Statement\": []}").unwrap();
        for (path, kind) in [(&tf, SourceKind::Hcl), (&policy, SourceKind::Policy)] {
            let name = display(path);
            let Item::Source(source, _) = read(path, name.clone(), false, limits) else { panic!("{name} not listed") };
            assert!(source.is_lazy() && source.text.is_empty(), "{name}");
            assert_eq!(source.kind, kind);
            assert_eq!(
                Disk { limits, paths: BTreeMap::new() }.text(&name).unwrap(),
                std::fs::read_to_string(path).unwrap()
            );
        }
        // Disk words what it cannot read as the walk does.
        let disk = Disk { limits, paths: BTreeMap::new() };
        assert_eq!(disk.text(&display(dir.path())).unwrap_err(), "it is a directory");
        std::fs::write(&tf, "x".repeat(2000)).unwrap();
        assert_eq!(disk.text(&display(&tf)).unwrap_err(), "it is 1 MiB, above the limit of 1 MiB, so it is not read");
        std::fs::write(&tf, b"x = \"\xFF\"").unwrap();
        assert_eq!(disk.text(&display(&tf)).unwrap_err(), "not valid UTF-8: invalid byte at offset 5");
        assert_eq!(
            disk.text(&display(&dir.path().join("gone.tf"))).unwrap_err(),
            "it does not exist (a dangling symbolic link?)"
        );
    }

    #[test]
    #[cfg(unix)]
    fn devices_and_fifos_found_by_walking_are_not_opened() {
        let dir = tempfile::tempdir().unwrap();
        let zero = dir.path().join("zero.tf");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        let expected = "it is not a regular file (a FIFO, socket or device), so it is not read";
        let limits = Limits { max_file_bytes: 1 << 20, max_plan_bytes: 1 << 20 };
        assert_eq!(message(read(&zero, "zero.tf".into(), false, limits)), expected);
        // Named on the command line it is read (it may be a pipe), but never past the limit.
        assert_eq!(
            message(read(&zero, "zero.tf".into(), true, limits)),
            "it is above the limit of 1 MiB, so it is not read"
        );
    }

    #[test]
    fn limits_follow_the_name() {
        let limits = Limits { max_file_bytes: 10, max_plan_bytes: 1000 };
        assert_eq!(limits.for_name("a/b.tfvars"), 10);
        assert_eq!(limits.for_name("a/b.tf.json"), 10);
        assert_eq!(limits.for_name("plan.json"), 1000);
        assert_eq!(limits.for_name("plan.out"), 1000);
        assert_eq!(Limits { max_file_bytes: 1000, max_plan_bytes: 10 }.for_name("policy.json"), 1000);
    }
}
