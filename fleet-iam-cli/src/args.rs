//! The command line: subcommands and flags, as clap derives them.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Checks Terraform and AWS IAM for wildcard permissions, public EKS endpoints, plan secrets
/// and instances without IMDSv2.
#[derive(Debug, Parser)]
#[command(name = "fleet-iam", version, about, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check files and directories (default: the current directory).
    Check(Box<CheckArgs>),
    /// Print a rule's documentation.
    Explain {
        /// The rule id, e.g. `iam-service-wildcard`.
        id: String,
    },
    /// List every rule: id, audit finding, default severity and summary.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
        format: RulesFormat,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page as roff (`fleet-iam man | man -l -`); with a subcommand, its own page.
    Man {
        /// A subcommand, for its own page (`fleet-iam-check(1)`).
        subcommand: Option<String>,
    },
    /// Run the language server over stdin and stdout (for editors).
    Lsp,
}

/// The flags of `fleet-iam check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files or directories to check. A file named here is always read, whatever its name. `-`
    /// reads standard input (see `--stdin-filename`).
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Output format [default: `format` in the configuration of the current directory, else text].
    #[arg(long, value_enum)]
    pub format: Option<Format>,

    /// Write the report to FILE instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Print the findings only: no summary line, no notes on standard error.
    #[arg(short, long)]
    pub quiet: bool,

    /// Print how many findings each rule has, most first, instead of the findings (a JSON array
    /// with `--format json`).
    #[arg(long)]
    pub statistics: bool,

    /// With `-` as the path: the file name standard input is checked as. It gives the path shown,
    /// the kind of input (`.tf`, `.tfvars`, `.json`...) and where the configuration is looked
    /// for; the files beside it are read as its module's context (not reported on), the file
    /// itself is not read.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<PathBuf>,

    /// Configuration file for every file checked (default: for each file, the nearest
    /// `fleet-iam.toml` in its directory or above, up to the repository root, or outside a
    /// repository in its own directory; else the recommended pack).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// The absolute URL of the project's documentation folder (`docs/`), for links to each rule's
    /// documentation (SARIF `helpUri`) [default: `docs-url` in the configuration].
    #[arg(long, value_name = "URL")]
    pub docs_url: Option<String>,

    /// Check only these rules or findings (H5, M5, M8, IMDS); comma-separated, repeatable.
    #[arg(long, value_name = "ID|FINDING,...")]
    pub select: Vec<String>,

    /// Turn off these rules or findings; comma-separated, repeatable.
    #[arg(long, value_name = "ID|FINDING,...")]
    pub ignore: Vec<String>,

    /// Exit with status 1 when a finding has at least this severity [default: `fail-on` in the
    /// file's configuration, else error].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,

    /// Skip walked paths matching this glob (gitignore syntax, on top of `.gitignore`); repeatable.
    /// Files named on the command line are always read.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// When to use colors in text output (auto: stdout is a terminal and NO_COLOR is unset).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Terraform, tfvars and policy files larger than this many MiB are reported, not parsed.
    #[arg(long, value_name = "MIB", default_value_t = fleet_iam_core::MAX_FILE_BYTES >> 20)]
    pub max_file_size: usize,

    /// Plan JSON files larger than this many MiB are reported, not parsed.
    #[arg(long, value_name = "MIB", default_value_t = fleet_iam_core::MAX_PLAN_BYTES >> 20)]
    pub max_plan_size: usize,

    /// Record today's findings in FILE, by fingerprint (not line numbers), for `--baseline`.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,

    /// Report only findings that FILE (written by `--write-baseline`) does not record; the
    /// recorded ones count as suppressed, and entries that no longer occur are listed on stderr.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Also list the findings that ignore comments and `[[ignore]]` entries suppress, marked
    /// `[suppressed]`; they never change the exit status.
    #[arg(long)]
    pub show_suppressed: bool,

    /// A `.tfvars` or `.tfvars.json` file setting root-module variables, as `terraform -var-file`
    /// does (after `terraform.tfvars` and `*.auto.tfvars`); repeatable, later files win.
    #[arg(long, value_name = "FILE")]
    pub var_file: Vec<PathBuf>,

    /// A root-module variable, as `terraform -var` sets it (after every `--var-file`); repeatable.
    #[arg(long, value_name = "NAME=VALUE", value_parser = parse_var)]
    pub var: Vec<(String, String)>,

    /// Apply the safe fixes to `.tf` files (never plans or `.tf.json`), then report what remains.
    #[arg(long)]
    pub fix: bool,

    /// With --fix or --diff: also the unsafe fixes, which change what is deployed (an EKS
    /// endpoint turned private, a CIDR dropped).
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Print the fixes as a unified diff (secrets masked) and write nothing; exit 1 when there is
    /// something to fix.
    #[arg(long)]
    pub diff: bool,

    /// The Terraform sources of the plans checked, for pointing plan findings at the `.tf` line
    /// to change (default: each plan's own directory). Read for context, not reported on.
    #[arg(long, value_name = "DIR")]
    pub source_dir: Option<PathBuf>,
}

/// `NAME=VALUE`.
fn parse_var(text: &str) -> Result<(String, String), String> {
    let (name, value) = text.split_once('=').ok_or_else(|| format!("`{text}` is not NAME=VALUE"))?;
    if name.is_empty() {
        return Err(format!("`{text}` has no variable name"));
    }
    Ok((name.to_string(), value.to_string()))
}

/// How `check` writes its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Source excerpts with the finding underlined, then a summary.
    Text,
    /// One line per finding: `path:line:col: severity[rule] message`.
    Compact,
    /// A JSON document (version 1).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands: one annotation per finding.
    Github,
    /// A Markdown summary for a pull-request comment: counts, findings, a plan's changes.
    Markdown,
}

/// How `rules` writes the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// An aligned table.
    Text,
    /// A JSON document.
    Json,
}

/// The lowest severity that fails the check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Errors fail.
    Error,
    /// Warnings and errors fail.
    Warning,
    /// Any finding fails.
    Note,
    /// Nothing fails.
    Never,
}

/// When to color the text output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// When stdout is a terminal and `NO_COLOR` is unset.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}
