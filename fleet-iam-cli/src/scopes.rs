//! Which configuration each file checked uses, and the check run once per configuration.
//!
//! Each file uses the nearest `fleet-iam.toml` in its directory or above, up to the repository
//! root (outside a repository, only its own directory), else the recommended pack; `--config`
//! gives one configuration for every file. So the order of the paths given changes nothing.
//!
//! The files that share a configuration are a scope. With one scope (the usual case) the tree is
//! checked once. With several, it is checked once per scope with that scope's configuration,
//! every other file read as context only (so that a module still sees the modules it calls and
//! the policies it reads, whatever configuration they fall under) and reported on by its own
//! scope; the reports are then merged. Each file's exit threshold is its scope's `fail-on`
//! unless `--fail-on` is given.

use crate::args::{CheckArgs, FailOn, Format};
use crate::config::{self, LoadError};
use crate::walk;
use clap::ValueEnum;
use fleet_iam_core::{Config, Load, Report, Severity, Source, check_with};
use ignore::gitignore::Gitignore;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// The files that share one configuration.
pub struct Scope {
    /// The configuration, with the command line's flags applied.
    pub config: Config,
    /// The configuration's `exclude` patterns, relative to its directory.
    excludes: Option<Gitignore>,
    /// The severity from which a finding in these files fails the check.
    pub fail_on: FailOn,
    /// The names of the files, from the walk.
    names: Vec<String>,
}

/// Every scope of a run, and which scope each file is in.
pub struct Scopes {
    /// The scopes, in the order their first file was met (files come sorted by name).
    pub scopes: Vec<Scope>,
    /// The scope of each file, by name.
    of: HashMap<String, usize>,
    /// Where the configuration file of each directory is (`None`: no file applies).
    found: HashMap<PathBuf, Option<PathBuf>>,
    /// The scope of each configuration file.
    by_file: BTreeMap<Option<PathBuf>, usize>,
    /// The threshold of a finding in no scope (a configuration file's own problems).
    pub default_fail_on: FailOn,
}

/// A `fail-on` value as the configuration spells it.
pub fn fail_on(name: &str) -> Option<FailOn> {
    FailOn::from_str(name, false).ok()
}

impl Scopes {
    /// No scope yet; `root` is the configuration of the current directory, for findings in no
    /// scope.
    pub fn new(args: &CheckArgs, root: &Config) -> Scopes {
        let default_fail_on =
            args.fail_on.or_else(|| root.settings.fail_on.as_deref().and_then(fail_on)).unwrap_or(FailOn::Error);
        Scopes {
            scopes: Vec::new(),
            of: HashMap::new(),
            found: HashMap::new(),
            by_file: BTreeMap::new(),
            default_fail_on,
        }
    }

    /// The configuration file of the file `name`: `--config`, else the nearest above it.
    fn file_for(&mut self, args: &CheckArgs, name: &str) -> Option<PathBuf> {
        if let Some(explicit) = &args.config {
            return Some(explicit.clone());
        }
        let parent = Path::new(name).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        if let Some(found) = self.found.get(&parent) {
            return found.clone();
        }
        // The nearest directory that exists: a `--stdin-filename` may name a file not on disk.
        let mut dir = parent.clone();
        while !dir.as_os_str().is_empty() && !dir.is_dir() {
            dir = dir.parent().map_or_else(PathBuf::new, Path::to_path_buf);
        }
        if dir.as_os_str().is_empty() {
            dir = PathBuf::from(".");
        }
        let found = config::discover(&dir);
        self.found.insert(parent, found.clone());
        found
    }

    /// Puts every source of `walked` not yet in a scope into its scope, loading configurations as
    /// they are met, and drops the files, unreadable files and skipped links that their
    /// configuration excludes. Returns the `var-files` of the configurations loaded, to be read.
    pub fn assign(&mut self, args: &CheckArgs, walked: &mut walk::Walked) -> Result<Vec<PathBuf>, LoadError> {
        let mut var_files = Vec::new();
        let mut keep = Vec::with_capacity(walked.sources.len());
        for source in std::mem::take(&mut walked.sources) {
            if self.of.contains_key(&source.name) {
                keep.push(source);
                continue;
            }
            let scope = self.scope_for(args, &source.name, &mut var_files)?;
            if excluded(self.scopes[scope].excludes.as_ref(), &source.name) {
                continue;
            }
            self.of.insert(source.name.clone(), scope);
            self.scopes[scope].names.push(source.name.clone());
            keep.push(source);
        }
        walked.sources = keep;
        let mut unreadable = Vec::new();
        for u in std::mem::take(&mut walked.unreadable) {
            let scope = self.scope_for(args, &u.path, &mut var_files)?;
            if !excluded(self.scopes[scope].excludes.as_ref(), &u.path) {
                self.of.insert(u.path.clone(), scope);
                unreadable.push(u);
            }
        }
        walked.unreadable = unreadable;
        let mut skipped = Vec::new();
        for s in std::mem::take(&mut walked.skipped) {
            let scope = self.scope_for(args, &s.what, &mut var_files)?;
            if !excluded(self.scopes[scope].excludes.as_ref(), &s.what) {
                skipped.push(s);
            }
        }
        walked.skipped = skipped;
        Ok(var_files)
    }

    /// The scope of the file `name`, made (and its configuration loaded) when it is the first.
    fn scope_for(&mut self, args: &CheckArgs, name: &str, var_files: &mut Vec<PathBuf>) -> Result<usize, LoadError> {
        let file = self.file_for(args, name);
        if let Some(&scope) = self.by_file.get(&file) {
            return Ok(scope);
        }
        let (mut config, file) = config::load_file(file)?;
        let excludes = config::excludes(&config, file.as_deref())?;
        apply_flags(args, &mut config)?;
        let dir = file.as_deref().and_then(Path::parent).filter(|d| !d.as_os_str().is_empty());
        if let Some((format, line)) = &config.settings.format
            && Format::from_str(format, false).is_err()
        {
            return Err(LoadError::Setting(
                config::shown(file.as_deref()),
                *line,
                format!("unknown `format` `{format}`"),
            ));
        }
        let own: Vec<PathBuf> =
            config.settings.var_files.iter().map(|v| dir.map_or_else(|| PathBuf::from(v), |d| d.join(v))).collect();
        // The command line's `--var-file`s come after the configuration's, and win.
        let flags = std::mem::take(&mut config.var_files);
        config.var_files = own.iter().map(|p| walk::display(p)).chain(flags).collect();
        var_files.extend(own);
        let fail_on =
            args.fail_on.or_else(|| config.settings.fail_on.as_deref().and_then(fail_on)).unwrap_or(FailOn::Error);
        self.scopes.push(Scope { config, excludes, fail_on, names: Vec::new() });
        self.by_file.insert(file, self.scopes.len() - 1);
        Ok(self.scopes.len() - 1)
    }

    /// Checks `sources` (every scope's, and `context` files read only as context): once with
    /// the one configuration, or once per scope, merged.
    pub fn check(&self, sources: &[Source], load: &dyn Load, context: &[String], root: &Config) -> Report {
        let with_context = |config: &Config, others: &mut dyn Iterator<Item = String>| {
            let mut config = config.clone();
            config.context_only.extend(context.iter().cloned());
            config.context_only.extend(others);
            config
        };
        // A scope made only for an unreadable file or a skipped link has nothing to check.
        let active: Vec<usize> = (0..self.scopes.len()).filter(|&i| !self.scopes[i].names.is_empty()).collect();
        match active.as_slice() {
            [] => check_with(sources, load, &with_context(root, &mut std::iter::empty())),
            &[one] => {
                let mut others = self.of.iter().filter(|&(_, &s)| s != one).map(|(name, _)| name.clone());
                check_with(sources, load, &with_context(&self.scopes[one].config, &mut others))
            }
            many => {
                let reports = many.iter().map(|&i| {
                    let mut others = self.of.iter().filter(|&(_, &s)| s != i).map(|(name, _)| name.clone());
                    check_with(sources, load, &with_context(&self.scopes[i].config, &mut others))
                });
                merge(reports)
            }
        }
    }

    /// Whether a finding of `report` reaches the threshold of its file's scope.
    pub fn fails(&self, report: &Report) -> bool {
        report.diagnostics.iter().any(|d| {
            let fail_on = self.of.get(&d.location.path).map_or(self.default_fail_on, |&s| self.scopes[s].fail_on);
            reaches(d.severity, fail_on)
        })
    }
}

/// Whether a finding of `severity` fails the check at `fail_on`.
pub fn reaches(severity: Severity, fail_on: FailOn) -> bool {
    let threshold = match fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Note => Severity::Note,
        FailOn::Never => return false,
    };
    severity >= threshold
}

/// The command line's flags, on top of a configuration.
fn apply_flags(args: &CheckArgs, config: &mut Config) -> Result<(), LoadError> {
    if !args.select.is_empty() {
        config.select(&args.select)?;
    }
    config.ignore(&args.ignore)?;
    config.var_files = args.var_file.iter().map(|p| walk::display(p)).collect();
    config.vars = args.var.clone();
    config.source_dir = args.source_dir.as_deref().map(walk::display);
    config.max_file_bytes = args.max_file_size.saturating_mul(1 << 20);
    config.max_plan_bytes = args.max_plan_size.saturating_mul(1 << 20);
    Ok(())
}

/// Whether `excludes` (rooted at their configuration's directory) exclude `name`. The matcher
/// asserts that absolute paths lie under its root: others cannot match.
fn excluded(excludes: Option<&Gitignore>, name: &str) -> bool {
    let Some(excludes) = excludes else { return false };
    let path = Path::new(name);
    (!path.has_root() || path.starts_with(excludes.path()))
        && excludes.matched_path_or_any_parents(path, false).is_ignore()
}

/// The reports of the scopes as one: each file is reported by its own scope only.
fn merge(reports: impl Iterator<Item = Report>) -> Report {
    let mut merged = Report::default();
    for report in reports {
        merged.files += report.files;
        merged.diagnostics.extend(report.diagnostics);
        merged.suppressed.extend(report.suppressed);
        merged.secrets = std::mem::take(&mut merged.secrets).union(report.secrets);
    }
    let key = |d: &fleet_iam_core::Diagnostic| (d.location.path.clone(), d.location.start, d.rule, d.message.clone());
    merged.diagnostics.sort_by_cached_key(key);
    merged.suppressed.sort_by_cached_key(key);
    merged
}
