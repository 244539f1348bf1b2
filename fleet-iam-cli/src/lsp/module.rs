//! Checks the module of an open file as the CLI would check its directory: the files of the
//! directory from disk, with open buffers in place of their files, the configuration found as
//! `fleet-iam check` finds it, and one call of the core for all of them, so that a variable's
//! default in a sibling file resolves.

use crate::{config, walk};
use fleet_iam_core::{Report, Source, SourceKind, check_with};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One check of a module.
pub struct Checked {
    /// The report, its diagnostics named by [`Checked::paths`]'s keys.
    pub report: Report,
    /// The file behind each source name of the report.
    pub paths: BTreeMap<String, PathBuf>,
    /// The texts as checked, of the files that are open (others are read again when needed).
    pub texts: BTreeMap<PathBuf, String>,
    /// The configuration's `docs-url`, for each rule's documentation link.
    pub docs_url: Option<String>,
}

impl Checked {
    /// The file a report name stands for.
    pub fn path(&self, name: &str) -> Option<PathBuf> {
        self.paths.get(name).cloned()
    }

    /// The text of a file as checked: the buffer of an open file, else the file on disk.
    pub fn text(&self, path: &Path) -> Option<String> {
        if let Some(text) = self.texts.get(path) {
            return Some(text.clone());
        }
        let bytes = std::fs::read(path).ok()?;
        Source::decode(&bytes).ok()
    }
}

/// Why a module could not be checked at all (its configuration is invalid).
pub struct Trouble {
    /// What to tell the user, naming the configuration file.
    pub message: String,
}

/// Checks the module `dir` with the texts of its open files from `open` (by path).
pub fn check(dir: &Path, open: &BTreeMap<PathBuf, String>) -> Result<Checked, Trouble> {
    let (mut config, config_file) =
        config::load(None, dir).map_err(|e| Trouble { message: format!("cannot load the configuration: {e}") })?;
    // Absolute, so that its patterns match the absolute paths of the walk.
    let config_file = config_file.and_then(|f| std::fs::canonicalize(f).ok());
    let excludes = config::excludes(&config, config_file.as_deref())
        .map_err(|e| Trouble { message: format!("cannot load the configuration: {e}") })?;
    config.today = Some(crate::today().map_err(|e| Trouble { message: format!("{e:#}") })?);
    // A `.json` file is read to tell a policy from a plan: a plan larger than any Terraform or
    // policy file is not read on every keystroke (plans are not part of a module).
    let limits = walk::Limits { max_file_bytes: config.max_file_bytes, max_plan_bytes: config.max_file_bytes };
    // Names as `fleet-iam check` run from the configuration's directory (or the repository's
    // root) shows them, so that `[[ignore]]` paths match as they do there.
    let base = match config_file.as_deref().and_then(Path::parent) {
        Some(base) => base.to_path_buf(),
        None => crate::confine::repository(dir).unwrap_or(dir).to_path_buf(),
    };
    let name_of = |path: &Path| walk::display(path.strip_prefix(&base).unwrap_or(path));

    // A directory that is gone leaves the open buffers.
    let walked = walk::walk_module(dir, limits).unwrap_or_default();
    let disk = walk::Disk { limits, paths: walked.paths.clone() };
    let mut paths = BTreeMap::new();
    let mut sources = Vec::new();
    let mut on_disk = BTreeMap::new();
    for source in walked.sources {
        let path = walked.paths.get(&source.name).cloned().unwrap_or_else(|| PathBuf::from(&source.name));
        // Plans and workflows are units of their own, not part of a module: the editor checks
        // the files it edits, and a plan can be hundreds of megabytes.
        let wanted = !matches!(source.kind, SourceKind::Plan | SourceKind::Workflow);
        if !wanted || open.contains_key(&path) || excluded(excludes.as_ref(), &path) {
            continue;
        }
        let name = name_of(&path);
        on_disk.insert(name.clone(), source.name.clone());
        paths.insert(name.clone(), path);
        sources.push(if source.is_lazy() {
            Source::lazy(name, source.kind)
        } else {
            Source::new(name, source.text, source.kind)
        });
    }
    let mut texts = BTreeMap::new();
    for (path, text) in open.iter().filter(|(p, _)| p.parent() == Some(dir)) {
        let name = name_of(path);
        let Some(kind) = SourceKind::detect(&name, text) else { continue };
        if excluded(excludes.as_ref(), path) {
            continue;
        }
        paths.insert(name.clone(), path.clone());
        texts.insert(path.clone(), text.clone());
        sources.push(Source::new(name, text.clone(), kind));
    }
    // The configuration's `var-files`, relative to it, read after the module's own tfvars as
    // `fleet-iam check` reads them; an open buffer of one wins over its file.
    let config_dir = config_file.as_deref().and_then(Path::parent);
    for file in std::mem::take(&mut config.settings.var_files) {
        let path = config_dir.map_or_else(|| PathBuf::from(&file), |d| d.join(&file));
        let same = |p: &PathBuf| p == &path || std::fs::canonicalize(p).is_ok_and(|c| c == path);
        let name = match paths.iter().find(|(_, p)| same(p)) {
            Some((name, _)) => name.clone(),
            None => {
                let name = name_of(&path);
                let text = match open.iter().find(|(p, _)| same(p)) {
                    Some((_, text)) => Some(text.clone()),
                    None => read_bounded(&path, limits.max_file_bytes),
                };
                // A missing or unreadable file sets nothing, as a variable file Terraform
                // cannot read would stop the plan: the editor is not the place to say so.
                let Some(text) = text else { continue };
                let Some(kind) = SourceKind::detect(&name, &text) else { continue };
                paths.insert(name.clone(), path.clone());
                sources.push(Source::new(name.clone(), text, kind));
                name
            }
        };
        config.var_files.push(name);
    }
    sources.sort_by(|a, b| a.name.cmp(&b.name));
    let load = Renamed { disk, on_disk };
    let mut report = check_with(&sources, &load, &config);
    for unreadable in &walked.unreadable {
        let path = PathBuf::from(&unreadable.path);
        let too_large = || std::fs::metadata(&path).is_ok_and(|m| m.len() > limits.max_file_bytes as u64);
        if open.contains_key(&path) || excluded(excludes.as_ref(), &path) || (is_json(&path) && too_large()) {
            continue;
        }
        let name = name_of(&path);
        report.push_unreadable(&name, &unreadable.message);
        paths.insert(name, path);
    }
    Ok(Checked { report, paths, texts, docs_url: config.settings.docs_url.clone() })
}

/// The text of a file no larger than `max` bytes.
fn read_bounded(path: &Path, max: usize) -> Option<String> {
    let size = std::fs::metadata(path).ok()?.len();
    if size > max as u64 {
        return None;
    }
    Source::decode(&std::fs::read(path).ok()?).ok()
}

fn is_json(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

fn excluded(excludes: Option<&ignore::gitignore::Gitignore>, path: &Path) -> bool {
    excludes.is_some_and(|e| config::is_excluded(e, &walk::display(path)))
}

/// Reads the files of the walk by the names the check gives them.
struct Renamed {
    disk: walk::Disk,
    /// Check name to the walk's name.
    on_disk: BTreeMap<String, String>,
}

impl fleet_iam_core::Load for Renamed {
    fn load(&self, source: &Source) -> Result<String, String> {
        let name = self.on_disk.get(&source.name).ok_or_else(|| "not listed".to_string())?;
        self.disk.text(name)
    }
}
