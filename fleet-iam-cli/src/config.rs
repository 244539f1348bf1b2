//! Finds and loads the configuration: `--config`, else the nearest `fleet-iam.toml` upward from
//! the first path, else the recommended pack.

use crate::walk::display;
use fleet_iam_core::{Config, ConfigError};
use std::fmt;
use std::path::{Path, PathBuf};

/// The configuration file name looked for.
const FILE_NAME: &str = "fleet-iam.toml";

/// Why no configuration could be loaded.
#[derive(Debug)]
pub enum LoadError {
    /// The file could not be read.
    Read(String, std::io::Error),
    /// The file, or `--select`/`--ignore`, is not valid.
    Invalid(ConfigError),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Read(path, e) => write!(f, "{path}: cannot read the configuration: {e}"),
            LoadError::Invalid(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for LoadError {}

impl From<ConfigError> for LoadError {
    fn from(e: ConfigError) -> LoadError {
        LoadError::Invalid(e)
    }
}

/// The configuration to check with.
pub fn load(explicit: Option<&Path>, first_path: &Path) -> Result<Config, LoadError> {
    let Some(path) = explicit.map(Path::to_path_buf).or_else(|| discover(first_path)) else {
        return Ok(Config::recommended());
    };
    let name = display(&path);
    let text = std::fs::read_to_string(&path).map_err(|e| LoadError::Read(name.clone(), e))?;
    Ok(Config::parse(&text, &name)?)
}

/// The nearest `fleet-iam.toml` in the directory of `start` or one of its ancestors, shown
/// relative to the current directory when it is below it.
fn discover(start: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(start).ok()?;
    let dir = if absolute.is_dir() { absolute.as_path() } else { absolute.parent()? };
    let found = dir.ancestors().map(|d| d.join(FILE_NAME)).find(|candidate| candidate.is_file())?;
    let cwd = std::env::current_dir().ok();
    let relative = cwd.as_deref().and_then(|cwd| found.strip_prefix(cwd).ok()).map(Path::to_path_buf);
    Some(relative.unwrap_or(found))
}
