//! Finds and loads configurations: `--config`, else the nearest `fleet-iam.toml` upward from a
//! directory up to the repository root (outside a repository, in that directory only), else the
//! recommended pack. Which file each checked file uses is [`crate::scopes`]'s business.

use crate::walk::display;
use fleet_iam_core::{Config, ConfigError};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use std::fmt;
use std::path::{Path, PathBuf};

/// The configuration file name looked for.
pub const FILE_NAME: &str = "fleet-iam.toml";

/// Why no configuration could be loaded.
#[derive(Debug)]
pub enum LoadError {
    /// The file could not be read.
    Read(String, std::io::Error),
    /// The file, or `--select`/`--ignore`, is not valid.
    Invalid(ConfigError),
    /// An `exclude` pattern is not valid.
    Exclude(String, String),
    /// A setting for the command line is not valid: the file, its line, what is wrong.
    Setting(String, usize, String),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Read(path, e) => write!(f, "{path}: cannot read the configuration: {e}"),
            LoadError::Invalid(e) => write!(f, "{e}"),
            LoadError::Exclude(pattern, e) => write!(f, "`exclude` pattern `{pattern}`: {e}"),
            LoadError::Setting(path, line, message) => write!(f, "{path}:{line}: {message}"),
        }
    }
}

impl std::error::Error for LoadError {}

impl From<ConfigError> for LoadError {
    fn from(e: ConfigError) -> LoadError {
        LoadError::Invalid(e)
    }
}

/// The configuration of the directory `dir` (`--config` when given), and the file it came from.
pub fn load(explicit: Option<&Path>, dir: &Path) -> Result<(Config, Option<PathBuf>), LoadError> {
    load_file(explicit.map(Path::to_path_buf).or_else(|| discover(dir)))
}

/// The configuration in `file`, or the recommended pack for `None`.
pub fn load_file(file: Option<PathBuf>) -> Result<(Config, Option<PathBuf>), LoadError> {
    let Some(path) = file else {
        return Ok((Config::recommended(), None));
    };
    let name = display(&path);
    let text = std::fs::read_to_string(&path).map_err(|e| LoadError::Read(name.clone(), e))?;
    Ok((Config::parse(&text, &name)?, Some(path)))
}

/// A configuration file's name as errors show it.
pub fn shown(file: Option<&Path>) -> String {
    file.map_or_else(|| "the recommended pack".to_string(), display)
}

/// The configuration's `exclude` patterns, in `.gitignore` syntax relative to the directory of
/// the configuration file (as a `.gitignore` there would be).
pub fn excludes(config: &Config, file: Option<&Path>) -> Result<Option<Gitignore>, LoadError> {
    if config.exclude.is_empty() {
        return Ok(None);
    }
    let dir = file.and_then(Path::parent).filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut builder = GitignoreBuilder::new(dir);
    for pattern in &config.exclude {
        builder.add_line(None, pattern).map_err(|e| LoadError::Exclude(pattern.clone(), e.to_string()))?;
    }
    builder.build().map(Some).map_err(|e| LoadError::Exclude(String::new(), e.to_string()))
}

/// Whether the configuration's `exclude` patterns exclude `name` (a path as the walk displays it).
pub fn is_excluded(excludes: &Gitignore, name: &str) -> bool {
    let path = Path::new(name);
    // The matcher asserts that absolute paths lie under its root: others cannot match.
    (!path.has_root() || path.starts_with(excludes.path()))
        && excludes.matched_path_or_any_parents(path, false).is_ignore()
}

/// The nearest `fleet-iam.toml` in the directory of `start` or above it up to the repository
/// root (the nearest directory with a `.git`), and outside a repository only in that directory:
/// a file above the project (in `/tmp`, a home directory) is not the project's, and it could turn
/// every rule off. Shown relative to the current directory when it is below it.
pub fn discover(start: &Path) -> Option<PathBuf> {
    // Resolved, so that `..` and links climb the directories that really hold the path.
    let resolved = std::fs::canonicalize(start).ok()?;
    let dir = if resolved.is_dir() { resolved.as_path() } else { resolved.parent()? };
    let top = crate::confine::repository(dir).unwrap_or(dir);
    let found = dir
        .ancestors()
        .take_while(|d| d.starts_with(top))
        .map(|d| d.join(FILE_NAME))
        .find(|candidate| candidate.is_file())?;
    let cwd = std::env::current_dir().ok();
    let relative = cwd.as_deref().and_then(|cwd| found.strip_prefix(cwd).ok()).map(Path::to_path_buf);
    Some(relative.unwrap_or(found))
}
