//! `fleet-iam`: parses arguments, finds and reads files, calls the core, writes the report and
//! maps the result to an exit status (0 clean, 1 findings at `--fail-on`, 2 could not check).
#![forbid(unsafe_code)]

mod args;
mod baseline;
mod config;
mod confine;
mod fix;
mod fixing;
mod lsp;
mod output;
mod scopes;
mod stdin;
mod walk;

use anyhow::{Context, bail};
use args::{CheckArgs, Cli, ColorChoice, Command, Format, RulesFormat};
use clap::{CommandFactory, Parser};
use fleet_iam_core::secrets::escape_controls;
use fleet_iam_core::{Config, Report, Source, SourceKind, registry};
use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// mimalloc instead of the system allocator: the model is many small nodes, and glibc's
/// malloc/free were a fifth of the run time in profiles.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The tool could not do its job.
const EXIT_TROUBLE: u8 = 2;

/// `eprintln!`, without its panic when stderr is gone (`fleet-iam check 2>&1 | head -1`): then
/// there is nowhere left to say anything, and the exit status still tells. Control characters
/// (from a path, a baseline) are escaped, as in every human format.
macro_rules! say {
    ($($arg:tt)*) => {{
        let line = format!($($arg)*);
        let _ = writeln!(std::io::stderr(), "{}", escape_controls(&line, true));
    }};
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        // The reader stopped reading (`fleet-iam rules | head -1`): not the tool's trouble.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            say!("error: {error:#}");
            ExitCode::from(EXIT_TROUBLE)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Check(args) => run_check(&args),
        Command::Explain { id } => explain(&id),
        Command::Rules { format } => rules(format),
        Command::Completions { shell } => {
            // As `clap_complete::generate` does, but returning a write error instead of panicking.
            let mut command = Cli::command();
            command.set_bin_name("fleet-iam");
            command.build();
            let mut out = std::io::stdout().lock();
            clap_complete::Generator::try_generate(&shell, &command, &mut out)?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Man { subcommand } => man(subcommand.as_deref()),
        Command::Lsp => lsp::run(),
    }
}

fn run_check(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    if args.unsafe_fixes && !args.fix && !args.diff {
        bail!("--unsafe-fixes goes with --fix or --diff");
    }
    // The configuration of the current directory gives what is one for the whole run (the
    // format, the documentation URL); each file's own gives its rules (see `scopes`).
    let (root, root_file) = config::load(args.config.as_deref(), Path::new("."))?;
    let format = match (args.format, &root.settings.format) {
        (Some(format), _) => format,
        (None, Some((name, line))) => match <Format as clap::ValueEnum>::from_str(name, false) {
            Ok(format) => format,
            Err(_) => bail!("{}:{line}: unknown `format` `{name}`", config::shown(root_file.as_deref())),
        },
        (None, None) => Format::Text,
    };
    let docs_url = args.docs_url.as_deref().or(root.settings.docs_url.as_deref());
    if let Some(url) = args.docs_url.as_deref()
        && registry::all().first().and_then(|meta| meta.help_uri(url)).is_none()
    {
        bail!("--docs-url `{url}`: an absolute http(s) URL is needed");
    }
    let quiet = args.quiet;
    let limits = walk::Limits {
        max_file_bytes: args.max_file_size.saturating_mul(1 << 20),
        max_plan_bytes: args.max_plan_size.saturating_mul(1 << 20),
    };
    let from_stdin = stdin::wanted(&args.paths);
    if args.stdin_filename.is_some() && !from_stdin {
        bail!("--stdin-filename names standard input, which is read only with `-` as the path");
    }
    let mut walked = if from_stdin {
        stdin::read(&args.paths, args.stdin_filename.as_deref(), limits)?
    } else {
        // Variable files are read with the paths to check.
        let mut paths = args.paths.clone();
        paths.extend(args.var_file.iter().cloned());
        walk::walk(&paths, &args.exclude, limits)?
    };
    let mut scopes = scopes::Scopes::new(args, &root);
    let mut var_files = scopes.assign(args, &mut walked)?;
    if from_stdin {
        // Not walked with the paths, which are only `-`.
        var_files.extend(args.var_file.iter().cloned());
    }
    // The configurations' `var-files`, read as `--var-file`s are.
    let var_files: Vec<PathBuf> =
        var_files.into_iter().filter(|p| !walked.sources.iter().any(|s| s.name == walk::display(p))).collect();
    if !var_files.is_empty() {
        let more = walk::walk(&var_files, &[], limits)?;
        walked.sources.extend(more.sources);
        walked.unreadable.extend(more.unreadable);
        walked.paths.extend(more.paths);
        walked.sources.sort_by(|a, b| a.name.cmp(&b.name));
        walked.sources.dedup_by(|a, b| a.name == b.name);
        scopes.assign(args, &mut walked)?;
    }
    let mut context = Vec::new();
    if let (true, Some(name)) = (from_stdin, &args.stdin_filename) {
        // The input's module, read as context (see `stdin`).
        let mut siblings = stdin::siblings(name, limits)?;
        scopes.assign(args, &mut siblings)?;
        context.extend(siblings.sources.iter().map(|s| s.name.clone()));
        walked.sources.append(&mut siblings.sources);
        walked.sources.sort_by(|a, b| a.name.cmp(&b.name));
        walked.paths.append(&mut siblings.paths);
    }
    add_plan_sources(&mut walked, args.source_dir.as_deref(), limits, &mut context)?;
    if !quiet {
        for skipped in &walked.skipped {
            say!("note: {skipped}");
        }
    }
    let today = today()?;
    for scope in &mut scopes.scopes {
        scope.config.today = Some(today.clone());
    }

    // The walk listed the files; the check reads each when it needs it, and so do the renderers.
    let disk = walk::Disk { limits, paths: std::mem::take(&mut walked.paths) };
    let mut root_config = root.clone();
    root_config.today = Some(today);
    let check = |sources: &[fleet_iam_core::Source], load: &dyn fleet_iam_core::Load| {
        scopes.check(sources, load, &context, &root_config)
    };
    let mut report = check(&walked.sources, &disk);
    if args.fix || args.diff {
        match fixing::run(&walked.sources, &disk, &check, report, args.unsafe_fixes, args.diff)? {
            fixing::Outcome::Diffed(any) => return Ok(if any { ExitCode::FAILURE } else { ExitCode::SUCCESS }),
            fixing::Outcome::Fixed(fixed) => report = *fixed,
        }
    }
    let texts = Listed { sources: &walked.sources, disk: &disk };
    for unreadable in &walked.unreadable {
        report.push_unreadable(&unreadable.path, &unreadable.message);
    }
    if let Some(path) = &args.write_baseline {
        baseline::write(path, &report, &texts)?;
    }
    if let Some(path) = &args.baseline {
        let gone = baseline::apply(path, &mut report, &texts)?;
        if !gone.is_empty() && !quiet {
            say!("note: {} baseline entries no longer occur (fixed, or moved to another path):", gone.len());
            // A baseline written by hand or by an older version may hold what this run knows
            // to be a secret.
            gone.iter().for_each(|g| say!("  {}", report.secrets.mask_text(g)));
        }
    }
    if report.files == 0 && !quiet {
        let paths: Vec<String> = args.paths.iter().map(|p| walk::display(p)).collect();
        say!("warning: no Terraform or IAM policy files found in {}", paths.join(", "));
    }

    let shown_report = if args.show_suppressed {
        std::borrow::Cow::Owned(with_suppressed(&report))
    } else {
        std::borrow::Cow::Borrowed(&report)
    };
    let verdict = if scopes.fails(&report) { ExitCode::FAILURE } else { ExitCode::SUCCESS };
    // The report holds no secret (the check masked its messages and addresses); the renderers
    // show source text through the sanitiser.
    let mut settings = output::Settings { color: false, quiet, statistics: args.statistics, docs_url };
    if let Some(path) = &args.output {
        let shown = walk::display(path);
        let file = std::fs::File::create(path).with_context(|| format!("cannot write the report to `{shown}`"))?;
        let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
        output::render(format, &shown_report, &texts, &mut out, &settings)
            .and_then(|()| out.flush())
            .with_context(|| format!("cannot write the report to `{shown}`"))?;
        return Ok(verdict);
    }
    let stdout = std::io::stdout();
    settings.color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let written = output::render(format, &shown_report, &texts, &mut out, &settings).and_then(|()| out.flush());
    // For people at a terminal only: a pipe or a CI log gets the report alone.
    let person = format == Format::Text && !quiet && std::io::stderr().is_terminal();
    if written.is_ok()
        && person
        && !args.fix
        && !args.diff
        && let Some(hint) = fixing::hint(&report)
    {
        say!("{hint}");
    }
    match written {
        // The reader stopped reading (`| head`): the check was done, and its verdict stands, so
        // that a pipeline under `set -o pipefail` still fails on findings.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(verdict),
        written => written.map(|()| verdict).context("cannot write the report"),
    }
}

/// Whether an error is a write to a pipe whose reader has gone.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .filter_map(|cause| cause.downcast_ref::<std::io::Error>())
        .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}

/// The texts of the files a report points into, for the renderers: read again from disk, unless
/// the walk kept one (a pipe cannot be read twice).
struct Listed<'a> {
    /// Sorted by name, as the walk returns them.
    sources: &'a [Source],
    disk: &'a walk::Disk,
}

impl output::Texts for Listed<'_> {
    fn plans(&self) -> Vec<String> {
        self.sources.iter().filter(|s| s.kind == SourceKind::Plan).map(|s| s.name.clone()).collect()
    }

    fn text(&self, name: &str) -> Option<std::borrow::Cow<'_, str>> {
        let at = self.sources.binary_search_by(|s| s.name.as_str().cmp(name)).ok()?;
        let source = &self.sources[at];
        if source.is_lazy() {
            self.disk.text(name).ok().map(std::borrow::Cow::Owned)
        } else {
            Some(std::borrow::Cow::Borrowed(&source.text))
        }
    }
}

/// Reads the Terraform sources of the plans among `walked` (`--source-dir`, else each plan's
/// directory) as context, so that plan findings point at the `.tf` line to change. Files
/// already checked stay checked; the others are not reported on.
fn add_plan_sources(
    walked: &mut walk::Walked,
    source_dir: Option<&Path>,
    limits: walk::Limits,
    context_only: &mut Vec<String>,
) -> anyhow::Result<()> {
    let plan_dirs: BTreeSet<PathBuf> = match source_dir {
        Some(dir) => [dir.to_path_buf()].into(),
        None => walked
            .sources
            .iter()
            .filter(|s| s.kind == SourceKind::Plan)
            .map(|s| Path::new(&s.name).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf))
            .map(|d| if d.as_os_str().is_empty() { PathBuf::from(".") } else { d })
            .collect(),
    };
    if plan_dirs.is_empty() || !walked.sources.iter().any(|s| s.kind == SourceKind::Plan) {
        return Ok(());
    }
    let mut dirs: Vec<PathBuf> = plan_dirs.into_iter().collect();
    // `terraform init` records where it downloaded each module: read those too, for plan
    // findings inside registry modules.
    let mut manifests = Vec::new();
    for dir in dirs.clone() {
        let manifest = dir.join(".terraform/modules/modules.json");
        let Ok(text) = std::fs::read_to_string(&manifest) else { continue };
        let modules = fleet_iam_core::downloaded_modules(&text);
        dirs.extend(module_dirs(&dir, &manifest, &modules, &mut walked.skipped));
        manifests.push(Source::new(walk::display(&manifest), text, SourceKind::OtherJson));
    }
    let known: BTreeSet<String> = walked.sources.iter().map(|s| s.name.clone()).collect();
    let context = walk::walk(&dirs, &[], limits)?;
    walked.paths.extend(context.paths);
    walked.skipped.extend(context.skipped);
    walked.skipped.sort_by(|a, b| a.what.cmp(&b.what));
    walked.skipped.dedup_by(|a, b| a.what == b.what);
    for source in context.sources.into_iter().chain(manifests) {
        let wanted = matches!(source.kind, SourceKind::Hcl | SourceKind::TfJson | SourceKind::OtherJson);
        if wanted && !known.contains(&source.name) {
            context_only.push(source.name.clone());
            walked.sources.push(source);
        }
    }
    walked.sources.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(())
}

/// The module directories of the manifest `modules` of the plan directory `dir` that exist and lie
/// inside its repository (or inside `dir`, outside a repository). The manifest is input like
/// any other: a `Dir` of `/` or `../../..` would walk and read the whole disk, so such entries
/// are skipped, each with a note.
fn module_dirs(
    dir: &Path,
    manifest: &Path,
    modules: &[fleet_iam_core::DownloadedModule],
    skipped: &mut Vec<walk::Skipped>,
) -> Vec<PathBuf> {
    let confinement = confine::Confinement::of(&[dir.to_path_buf()]);
    let mut dirs = Vec::new();
    for module in modules {
        let module_dir = module.dir.as_str();
        if module_dir.is_empty() || module_dir == "." {
            continue;
        }
        let path = dir.join(module_dir);
        // A module not downloaded (any more) has nothing to read.
        let Ok(resolved) = std::fs::canonicalize(&path) else { continue };
        if !confinement.contains(&resolved) {
            let what = format!("the module directory {module_dir:?} of {}", walk::display(manifest));
            skipped.push(walk::Skipped { what, reason: "it is outside the checked tree".into() });
            continue;
        }
        dirs.push(path);
    }
    dirs
}

/// The report with its suppressed findings listed too, each marked `[suppressed]`.
fn with_suppressed(report: &Report) -> Report {
    let mut shown = report.clone();
    for d in &report.suppressed {
        let mut d = d.clone();
        d.message = format!("[suppressed] {}", d.message);
        shown.diagnostics.push(d);
    }
    shown.diagnostics.sort_by(|a, b| {
        (&a.location.path, a.location.start, a.rule).cmp(&(&b.location.path, b.location.start, b.rule))
    });
    shown
}

/// Pins "today" for the `expires` dates of ignores: a test hook, not an option. The fixture
/// snapshots (`fleet-iam-cli/tests/fixtures.rs`) show expired and live ignores, which must not
/// change with the day the tests run. Deliberately not a flag, so that it is not in `--help`,
/// the man page or the completions.
const TODAY_VAR: &str = "FLEET_IAM_TODAY";

/// Today's date in UTC, `YYYY-MM-DD`, for `expires` dates; or the date `FLEET_IAM_TODAY` pins.
fn today() -> anyhow::Result<String> {
    if let Some(pinned) = std::env::var_os(TODAY_VAR) {
        // Dates are compared as text: anything but `YYYY-MM-DD` would expire ignores at random.
        let shape = |s: &str| {
            s.len() == 10
                && s.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() })
        };
        return match pinned.to_str() {
            Some(date) if shape(date) => Ok(date.to_string()),
            _ => bail!("{TODAY_VAR} must be a date, YYYY-MM-DD, not {pinned:?}"),
        };
    }
    let days = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() / 86_400);
    Ok(civil_date(days as i64))
}

/// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Whether a finding reaches the `--fail-on` severity.
#[cfg(test)]
fn fails(report: &Report, fail_on: args::FailOn) -> bool {
    report.diagnostics.iter().any(|d| scopes::reaches(d.severity, fail_on))
}

fn explain(id: &str) -> anyhow::Result<ExitCode> {
    let Some(meta) = registry::find(id) else {
        let close = registry::all().iter().map(|m| (distance(id, m.id), m.id)).filter(|&(d, _)| d <= 3).min();
        match close {
            Some((_, near)) => bail!("unknown rule `{id}`; did you mean `{near}`? (`fleet-iam rules` lists them all)"),
            None => bail!("unknown rule `{id}` (`fleet-iam rules` lists them all)"),
        }
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "# {}\n", meta.id)?;
    if let Some(finding) = meta.finding {
        writeln!(out, "Finding: {finding}\n")?;
    }
    write!(out, "{}", meta.documentation())?;
    Ok(ExitCode::SUCCESS)
}

fn rules(format: RulesFormat) -> anyhow::Result<ExitCode> {
    let recommended = Config::recommended();
    let default = |id: &str| recommended.rule(id).map_or("off", |r| r.severity.as_str());
    let mut out = std::io::stdout().lock();
    match format {
        RulesFormat::Json => {
            let rules: Vec<serde_json::Value> = registry::all()
                .iter()
                .map(|m| {
                    serde_json::json!({
                        "id": m.id,
                        "finding": m.finding.map(|f| f.as_str()),
                        "default": default(m.id),
                        "summary": m.summary,
                        "fix": m.fix.map(|f| f.as_str()),
                    })
                })
                .collect();
            // As an I/O error, so that a broken pipe is still seen as one.
            serde_json::to_writer_pretty(&mut out, &serde_json::json!({ "version": 1, "rules": rules }))
                .map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        RulesFormat::Text => {
            let width = registry::all().iter().map(|m| m.id.len()).max().unwrap_or(0);
            writeln!(out, "{:width$}  {:7}  {:7}  {:6}  SUMMARY", "ID", "FINDING", "DEFAULT", "FIX")?;
            for m in registry::all() {
                let finding = m.finding.map_or("-", |f| f.as_str());
                let fix = m.fix.map_or("-", |f| f.as_str());
                writeln!(out, "{:width$}  {:7}  {:7}  {fix:6}  {}", m.id, finding, default(m.id), m.summary)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes the man page of `fleet-iam`, or of one of its subcommands, as roff.
fn man(subcommand: Option<&str>) -> anyhow::Result<ExitCode> {
    let mut command = Cli::command();
    // Building names the subcommands `fleet-iam-check` and so on, as their pages are titled.
    command.build();
    let page = match subcommand {
        None => command,
        Some(name) => match command.find_subcommand(name) {
            Some(sub) => sub.clone(),
            None => {
                let names: Vec<&str> = command.get_subcommands().map(|s| s.get_name()).collect();
                bail!("unknown subcommand `{name}`; the subcommands are {}", names.join(", "))
            }
        },
    };
    let mut out = std::io::stdout().lock();
    clap_mangen::Man::new(page).render(&mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Levenshtein distance, for "did you mean".
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(previous + 1).min(row[j] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use args::FailOn;
    use fleet_iam_core::{Diagnostic, LineCol, Location, Severity, Span};

    fn report(severities: &[Severity]) -> Report {
        let origin = LineCol { line: 1, column: 1 };
        let diagnostic = |severity| Diagnostic {
            rule: "iam-service-wildcard",
            finding: None,
            severity,
            message: String::new(),
            help: None,
            location: Location { path: "x.tf".into(), span: Span::default(), start: origin, end: origin },
            address: None,
            pointer: None,
            labels: Vec::new(),
            fix: None,
        };
        Report { files: 1, diagnostics: severities.iter().copied().map(diagnostic).collect(), ..Report::default() }
    }

    #[test]
    fn fail_on_is_a_threshold() {
        let warnings = report(&[Severity::Note, Severity::Warning]);
        assert!(!fails(&warnings, FailOn::Error));
        assert!(fails(&warnings, FailOn::Warning));
        assert!(fails(&warnings, FailOn::Note));
        assert!(!fails(&warnings, FailOn::Never));
        assert!(fails(&report(&[Severity::Error]), FailOn::Error));
        assert!(!fails(&report(&[Severity::Note]), FailOn::Warning));
        assert!(!fails(&report(&[]), FailOn::Note));
    }

    #[test]
    fn distance_counts_edits() {
        assert_eq!(distance("iam-servce-wildcard", "iam-service-wildcard"), 1);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
#[cfg(test)]
mod date_tests {
    use super::civil_date;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(11_016), "2000-02-29");
        assert_eq!(civil_date(20_783), "2026-11-26");
    }
}
