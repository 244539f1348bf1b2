//! Which rules run, at which severity, with which options. The packs in `policies/` are the
//! only place that decides defaults; they are embedded in the library from the crate's own copy
//! (`fleet-iam-core/policies/`, so that the crate packages alone), which `tests/packaging.rs`
//! holds byte-equal to the top-level `policies/` users read.

use crate::diagnostic::{Finding, Severity};
use crate::registry;
use std::collections::BTreeMap;

const RECOMMENDED: &str = include_str!("../policies/recommended.toml");
const STRICT: &str = include_str!("../policies/strict.toml");

/// A configuration error, naming the file, line and key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}{}: {message}", .line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct ConfigError {
    /// The configuration file (or `--select`/`--ignore`).
    pub path: String,
    /// The 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

/// One enabled rule's settings.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RuleSettings {
    /// The severity its diagnostics get.
    pub severity: Severity,
    /// The rule's own options.
    pub options: Option<toml::Table>,
    /// Whether `# fleet-iam-ignore` comments may silence it (`ignorable = false` in a pack).
    pub ignorable: bool,
}

/// The rules to run. Build one with [`Config::recommended`], [`Config::strict`] or
/// [`Config::parse`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Config {
    rules: BTreeMap<&'static str, RuleSettings>,
    /// Sources (by name) given with `--var-file`, in order; they set variables of root modules.
    pub var_files: Vec<String>,
    /// `--var NAME=VALUE` pairs, in order; they set variables of root modules, after var files.
    pub vars: Vec<(String, String)>,
    /// The directory of the Terraform sources of the plans checked (`--source-dir`); by default
    /// each plan's own directory.
    pub source_dir: Option<String>,
    /// Sources (by name) read only as context, for plan findings to point into: their own
    /// findings are not reported.
    pub context_only: Vec<String>,
    /// Globs of paths not to check, on top of `.gitignore` (`exclude = ["examples/**"]`).
    pub exclude: Vec<String>,
    /// `[[ignore]]` entries: findings accepted by path and rule, with a reason.
    pub ignores: Vec<IgnoreEntry>,
    /// Today's date (`YYYY-MM-DD`), against which `expires` dates are compared. The library
    /// reads no clock: without it nothing expires.
    pub today: Option<String>,
    /// Larger Terraform, tfvars and policy files are reported, not parsed.
    pub max_file_bytes: usize,
    /// Larger plan JSON files are reported, not parsed. Plans of big stacks run to hundreds of
    /// megabytes; parsing holds about 15 times a plan's size in memory.
    pub max_plan_bytes: usize,
    /// What the configuration file says about the run rather than the rules (`fail-on`,
    /// `format`, `var-files`, `docs-url`): the library does not act on it, a command line does.
    pub settings: FileSettings,
}

/// Settings of a command line that a configuration file may give; its flags override them. The
/// library checks their values and keeps them; it does not act on them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct FileSettings {
    /// `fail-on`: the lowest severity that fails the check: `error`, `warning`, `note` or `never`.
    pub fail_on: Option<String>,
    /// `format`: the default output format, with its 1-based line, for the command line to check
    /// against the formats it has.
    pub format: Option<(String, usize)>,
    /// `var-files`: `.tfvars` files setting root-module variables, relative to the directory of
    /// the configuration file.
    pub var_files: Vec<String>,
    /// `docs-url`: the absolute `http(s)` URL of the project's `docs/` folder, for links to each
    /// rule's documentation ([`crate::RuleMeta::help_uri`]).
    pub docs_url: Option<String>,
}

/// The default of [`Config::max_file_bytes`]: 20 MiB.
pub const MAX_FILE_BYTES: usize = 20 << 20;
/// The default of [`Config::max_plan_bytes`]: 256 MiB (checking a plan takes about 15 times its
/// size in memory).
pub const MAX_PLAN_BYTES: usize = 256 << 20;

/// An `[[ignore]]` entry of a configuration file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct IgnoreEntry {
    /// Globs of the paths it applies to (all paths when empty).
    pub paths: Vec<String>,
    /// The rules it applies to.
    pub rules: Vec<&'static str>,
    /// Why the findings are accepted.
    pub reason: String,
    /// `YYYY-MM-DD` after which the entry no longer applies.
    pub expires: Option<String>,
    /// The configuration file that holds it.
    pub file: String,
    /// Its 1-based line there.
    pub line: usize,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct IgnoreFile {
    #[serde(default)]
    paths: Vec<String>,
    rules: Vec<String>,
    reason: String,
    expires: Option<toml::value::Datetime>,
}

impl Default for Config {
    fn default() -> Config {
        Config::recommended()
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    extends: Option<String>,
    #[serde(default)]
    rules: BTreeMap<String, toml::Table>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    ignore: Vec<IgnoreFile>,
    #[serde(rename = "fail-on")]
    fail_on: Option<toml::Spanned<String>>,
    format: Option<toml::Spanned<String>>,
    #[serde(rename = "var-files", default)]
    var_files: Vec<String>,
    #[serde(rename = "docs-url")]
    docs_url: Option<toml::Spanned<String>>,
}

impl Config {
    /// The recommended pack: the four audit findings on.
    pub fn recommended() -> Config {
        Config::read(RECOMMENDED, "policies/recommended.toml", Config::empty()).unwrap_or_else(|_| Config::empty())
    }

    /// The strict pack: every rule on.
    pub fn strict() -> Config {
        Config::read(STRICT, "policies/strict.toml", Config::empty()).unwrap_or_else(|_| Config::empty())
    }

    /// Reads a configuration or pack. `extends` names a shipped pack (`recommended`, `strict`);
    /// without it the configuration starts from `recommended`.
    pub fn parse(text: &str, path: &str) -> Result<Config, ConfigError> {
        Config::read(text, path, Config::recommended())
    }

    fn empty() -> Config {
        Config {
            rules: BTreeMap::new(),
            var_files: Vec::new(),
            vars: Vec::new(),
            source_dir: None,
            context_only: Vec::new(),
            exclude: Vec::new(),
            ignores: Vec::new(),
            today: None,
            max_file_bytes: MAX_FILE_BYTES,
            max_plan_bytes: MAX_PLAN_BYTES,
            settings: FileSettings::default(),
        }
    }

    /// Reads a configuration on top of `base`, which `extends` replaces.
    fn read(text: &str, path: &str, base: Config) -> Result<Config, ConfigError> {
        let error = |span: Option<std::ops::Range<usize>>, message: String| ConfigError {
            path: path.to_string(),
            line: span.map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1),
            message,
        };
        let file: File = toml::from_str(text).map_err(|e| error(e.span(), e.message().to_string()))?;
        let mut config = match file.extends.as_deref() {
            None => base,
            Some("recommended") => Config::recommended(),
            Some("strict") => Config::strict(),
            Some(other) => {
                return Err(error(None, format!("`extends = \"{other}\"`: the packs are `recommended` and `strict`")));
            }
        };
        for (id, mut table) in file.rules {
            let span = text.find(&format!("[rules.{id}]"));
            let span = span.map(|s| s..s);
            let Some(meta) = registry::find(&id) else {
                return Err(error(span, format!("unknown rule `{id}`")));
            };
            let severity = match table.remove("severity") {
                None => config.rules.get(meta.id).map_or(Severity::Warning, |r| r.severity),
                Some(toml::Value::String(s)) if s == "off" => {
                    config.rules.remove(meta.id);
                    continue;
                }
                Some(value) => value
                    .try_into::<Severity>()
                    .map_err(|_| error(span.clone(), format!("`{id}.severity` must be error, warning, note or off")))?,
            };
            let ignorable = match table.remove("ignorable") {
                None => config.rules.get(meta.id).is_none_or(|r| r.ignorable),
                Some(toml::Value::Boolean(b)) => b,
                Some(_) => return Err(error(span, format!("`{id}.ignorable` must be true or false"))),
            };
            let options = if table.is_empty() { None } else { Some(table) };
            (meta.build)(options.clone()).map_err(|e| {
                // An unknown option: point at its own line in the rule's table, not the header.
                let key = e.strip_prefix("unknown field `").and_then(|rest| rest.split_once('`')).map(|(key, _)| key);
                let at = key.zip(span.clone()).and_then(|(key, header)| option_line(text, header.start, key));
                error(at.or(span.clone()), format!("rule `{id}`: {e}"))
            })?;
            config.rules.insert(meta.id, RuleSettings { severity, options, ignorable });
        }
        for glob in &file.exclude {
            globset::Glob::new(glob).map_err(|e| error(None, format!("`exclude`: {e}")))?;
        }
        config.exclude.extend(file.exclude);
        if let Some(fail_on) = &file.fail_on
            && !matches!(fail_on.get_ref().as_str(), "error" | "warning" | "note" | "never")
        {
            return Err(error(Some(fail_on.span()), "`fail-on` must be error, warning, note or never".into()));
        }
        if let Some(url) = &file.docs_url
            && registry::all().first().and_then(|meta| meta.help_uri(url.get_ref())).is_none()
        {
            return Err(error(Some(url.span()), "`docs-url` must be an absolute http(s) URL".into()));
        }
        let line_of = |span: std::ops::Range<usize>| text[..span.start.min(text.len())].matches('\n').count() + 1;
        config.settings = FileSettings {
            fail_on: file.fail_on.map(toml::Spanned::into_inner),
            format: file.format.map(|f| (f.get_ref().clone(), line_of(f.span()))),
            var_files: file.var_files,
            docs_url: file.docs_url.map(toml::Spanned::into_inner),
        };
        let mut entry_starts = text.match_indices("[[ignore]]").map(|(i, _)| i);
        for entry in file.ignore {
            let at = entry_starts.next();
            let line = at.map_or(1, |i| text[..i].matches('\n').count() + 1);
            let span = at.map(|i| i..i);
            if entry.reason.trim().is_empty() {
                return Err(error(span, "an `[[ignore]]` entry needs a `reason`".into()));
            }
            for glob in &entry.paths {
                globset::Glob::new(glob).map_err(|e| error(span.clone(), format!("`[[ignore]]` paths: {e}")))?;
            }
            let rules =
                resolve(&entry.rules).map_err(|e| error(span.clone(), format!("`[[ignore]]` rules: {}", e.message)))?;
            config.ignores.push(IgnoreEntry {
                paths: entry.paths,
                rules,
                reason: entry.reason,
                expires: entry.expires.map(|d| d.to_string()),
                file: path.to_string(),
                line,
            });
        }
        Ok(config)
    }

    /// Keeps only the rules named by `selectors` (rule ids or findings such as `H5`), turning on
    /// those the configuration had off at their strict-pack severity. `parse-error` stays on: a
    /// file that cannot be parsed is never passed in silence.
    pub fn select(&mut self, selectors: impl IntoIterator<Item = impl AsRef<str>>) -> Result<(), ConfigError> {
        let mut chosen = resolve(selectors)?;
        chosen.push("parse-error");
        let strict = Config::strict();
        let mut rules = BTreeMap::new();
        for id in chosen {
            let settings = self.rules.get(id).or_else(|| strict.rules.get(id)).cloned();
            rules.insert(
                id,
                settings.unwrap_or(RuleSettings { severity: Severity::Error, options: None, ignorable: true }),
            );
        }
        self.rules = rules;
        Ok(())
    }

    /// Turns off the rules named by `selectors`.
    pub fn ignore(&mut self, selectors: impl IntoIterator<Item = impl AsRef<str>>) -> Result<(), ConfigError> {
        for id in resolve(selectors)? {
            self.rules.remove(id);
        }
        Ok(())
    }

    /// The settings of an enabled rule.
    pub fn rule(&self, id: &str) -> Option<&RuleSettings> {
        self.rules.get(id)
    }

    /// The ids of the enabled rules.
    pub fn enabled(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.rules.keys().copied()
    }
}

/// Where the option `key` is set in the table whose header starts at `header`: a line of that
/// table (before the next header) that starts with the key, as a span for the error's line.
fn option_line(text: &str, header: usize, key: &str) -> Option<std::ops::Range<usize>> {
    let mut offset = header;
    for (i, line) in text.get(header..)?.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_start();
        if i > 0 && trimmed.starts_with('[') {
            return None;
        }
        let rest = trimmed.strip_prefix(key).or_else(|| trimmed.strip_prefix(&format!("\"{key}\"")));
        if i > 0 && rest.is_some_and(|r| r.trim_start().starts_with('=')) {
            return Some(offset..offset);
        }
        offset += line.len();
    }
    None
}

/// Rule ids named by selectors: an id, or a finding (`H5`, `M5`, `M8`, `IMDS`).
fn resolve(selectors: impl IntoIterator<Item = impl AsRef<str>>) -> Result<Vec<&'static str>, ConfigError> {
    let mut out = Vec::new();
    let selectors: Vec<_> = selectors.into_iter().collect();
    for selector in selectors.iter().flat_map(|s| s.as_ref().split(',')).map(str::trim).filter(|s| !s.is_empty()) {
        if let Some(finding) = Finding::parse(selector) {
            out.extend(registry::all().iter().filter(|m| m.finding == Some(finding)).map(|m| m.id));
        } else if let Some(meta) = registry::find(selector) {
            out.push(meta.id);
        } else {
            return Err(ConfigError {
                path: "--select/--ignore".into(),
                line: None,
                message: format!("unknown rule or finding `{selector}`"),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_file_and_line() {
        let err = Config::parse(
            "extends = \"recommended\"\n\n[rules.iam-wildcard-actoin]\nseverity = \"error\"\n",
            "fleet-iam.toml",
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "fleet-iam.toml:3: unknown rule `iam-wildcard-actoin`");
        let err = Config::parse("colour = true\n", "x.toml").unwrap_err();
        assert_eq!(err.line, Some(1), "{err}");
        let err = Config::parse("fail-on = \"warning\"\n\nformat = \"json\"\ncolour = true\n", "x.toml").unwrap_err();
        assert_eq!(err.line, Some(4), "{err}");
        assert!(err.message.contains("`colour`"), "{err}");
        let err = Config::parse("\nfail-on = \"sometimes\"\n", "x.toml").unwrap_err();
        assert_eq!((err.line, err.message.contains("fail-on")), (Some(2), true), "{err}");
        let err = Config::parse("docs-url = \"docs/\"\n", "x.toml").unwrap_err();
        assert_eq!(err.line, Some(1), "{err}");
        let err = Config::parse("[rules.iam-service-wildcard]\nallow = 3\n", "x.toml").unwrap_err();
        assert!(err.message.contains("iam-service-wildcard"), "{err}");
        // An unknown option names its own line and key.
        let err = Config::parse("[rules.iam-service-wildcard]\nseverity = \"note\"\nallwo = [\"logs:*\"]\n", "x.toml")
            .unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        assert!(err.message.contains("`allwo`"), "{err}");
    }

    #[test]
    fn run_settings_are_kept_for_the_command_line() {
        let text = "fail-on = \"warning\"\nvar-files = [\"dev.tfvars\"]\n\nformat = \"sarif\"\ndocs-url = \"https://example.org/docs/\"\n";
        let config = Config::parse(text, "fleet-iam.toml").unwrap();
        assert_eq!(config.settings.fail_on.as_deref(), Some("warning"));
        assert_eq!(config.settings.format, Some(("sarif".to_string(), 4)));
        assert_eq!(config.settings.var_files, ["dev.tfvars"]);
        assert_eq!(config.settings.docs_url.as_deref(), Some("https://example.org/docs/"));
        assert_eq!(Config::recommended().settings, FileSettings::default());
    }

    #[test]
    fn severities_options_and_packs() {
        let config = Config::parse(
            "[rules.iam-sensitive-wildcard]\nseverity = \"off\"\n\n[rules.iam-service-wildcard]\nseverity = \"note\"\nallow = [\"logs:*\"]\n",
            "fleet-iam.toml",
        )
        .unwrap();
        assert!(config.rule("iam-sensitive-wildcard").is_none());
        let rule = config.rule("iam-service-wildcard").unwrap();
        assert_eq!(rule.severity, Severity::Note);
        assert!(rule.options.is_some());
        assert!(config.rule("iam-wildcard-action").is_some(), "recommended is the base");
        let strict = Config::parse("extends = \"strict\"\n", "fleet-iam.toml").unwrap();
        assert_eq!(strict.enabled().count(), registry::all().len());
    }

    #[test]
    fn select_keeps_parse_errors_and_ignore_removes() {
        let mut config = Config::recommended();
        config.select(["H5"]).unwrap();
        assert!(config.rule("parse-error").is_some());
        config.ignore(["iam-not-action,iam-unknown-action"]).unwrap();
        assert!(config.rule("iam-not-action").is_none() && config.rule("iam-unknown-action").is_none());
        assert!(config.select(vec!["iam-nope".to_string()]).is_err());
    }
}
