//! The `Rule` trait, rule metadata, and the `declare_rule!` macro every rule file uses.

use crate::diagnostic::Finding;
use crate::fix::{Applicability, Fix};
use crate::model::Plan;
use crate::model::{At, Module, Policy};
use crate::semantic::Semantic;
use crate::source::Sources;

/// What a rule reports; the engine adds the rule id, severity and line/column.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// The primary location.
    pub at: At,
    /// What is wrong with the concrete value, and why it matters.
    pub message: String,
    /// What to write instead.
    pub help: Option<String>,
    /// The Terraform address, where it applies.
    pub address: Option<String>,
    /// The JSON pointer, where it applies.
    pub pointer: Option<String>,
    /// Secondary locations with their messages.
    pub labels: Vec<(At, String)>,
    /// The fix, its spans in the source of `at`; the engine keeps it only for `.tf` files.
    pub fix: Option<Fix>,
}

impl Violation {
    /// A violation with a message at a place.
    pub fn new(at: At, message: impl Into<String>) -> Violation {
        Violation {
            at,
            message: message.into(),
            help: None,
            address: None,
            pointer: None,
            labels: Vec::new(),
            fix: None,
        }
    }

    /// Adds what to write instead.
    pub fn help(mut self, help: impl Into<String>) -> Violation {
        self.help = Some(help.into());
        self
    }

    /// Adds the Terraform address.
    pub fn address(mut self, address: Option<&str>) -> Violation {
        self.address = address.map(str::to_string);
        self
    }

    /// Adds the JSON pointer.
    pub fn pointer(mut self, pointer: &str) -> Violation {
        self.pointer = Some(pointer.to_string());
        self
    }

    /// Adds a secondary label.
    pub fn label(mut self, at: At, message: impl Into<String>) -> Violation {
        self.labels.push((at, message.into()));
        self
    }

    /// Adds a fix, whose spans are in the source of the primary location.
    pub fn fix(mut self, fix: Option<Fix>) -> Violation {
        self.fix = fix;
        self
    }
}

/// What a rule can look at besides the item it is given.
pub struct Context<'a> {
    /// The texts of the unit being checked, indexed by [`crate::model::SourceId`].
    pub unit: &'a Sources<'a>,
    /// What the unit's module means: resolved values, endpoints, hosts, secret flows. Built
    /// once per module and shared by the rules.
    pub semantic: &'a Semantic<'a>,
}

/// A check. Each hook has a no-op default; a rule implements the ones it needs.
pub trait Rule: Send + Sync {
    /// Called once per IAM policy, wherever it was written.
    fn check_policy(&self, _ctx: &Context<'_>, _policy: &Policy, _out: &mut Vec<Violation>) {}

    /// Called once per Terraform module: a directory of `.tf` / `.tf.json` files, or a module
    /// instance of a plan.
    fn check_module(&self, _ctx: &Context<'_>, _module: &Module, _out: &mut Vec<Violation>) {}

    /// Called once per plan, for what only a plan shows (values and their masking).
    #[doc(hidden)]
    fn check_plan(&self, _ctx: &Context<'_>, _plan: &Plan<'_>, _out: &mut Vec<Violation>) {}
}

/// Builds a rule from its options table (`None` for defaults).
pub(crate) type BuildRule = fn(Option<toml::Table>) -> Result<Box<dyn Rule>, String>;

/// Static facts about a rule.
#[derive(Clone, Copy)]
pub struct RuleMeta {
    /// The identifier: file name, fixture folder, config key, suppression token, SARIF ruleId.
    pub id: &'static str,
    /// The audit finding, if the rule belongs to one.
    pub finding: Option<Finding>,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// Whether `check --fix` can fix its findings, and how (`None`: it cannot).
    pub fix: Option<Applicability>,
    /// The rule's doc comment, Markdown, with the leading space of each line kept.
    doc: &'static str,
    /// Builds the rule from its options (`None` for defaults).
    pub(crate) build: BuildRule,
}

impl std::fmt::Debug for RuleMeta {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuleMeta").field("id", &self.id).finish_non_exhaustive()
    }
}

impl RuleMeta {
    #[doc(hidden)]
    pub const fn new(
        id: &'static str,
        finding: Option<Finding>,
        summary: &'static str,
        fix: Option<Applicability>,
        doc: &'static str,
        build: BuildRule,
    ) -> RuleMeta {
        RuleMeta { id, finding, summary, fix, doc, build }
    }

    /// The rule's documentation as Markdown (What it does / Why is this bad? / Example /
    /// Use instead / Fix / Options / References). A rule without a fix gets a `## Fix` section
    /// that says so.
    pub fn documentation(&self) -> String {
        let mut out = String::new();
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        if self.fix.is_none()
            && !out.contains("\n## Fix\n")
            && let Some(at) = out.find("\n## Options\n")
        {
            out.insert_str(at + 1, NO_FIX);
        }
        out
    }

    /// How often the rule's findings are right (SARIF `precision`).
    pub fn precision(&self) -> crate::triage::Precision {
        crate::triage::of(self.id).precision
    }

    /// The CWE ids of the weakness the rule finds (`CWE-732`); empty when none fits.
    pub fn cwe(&self) -> &'static [&'static str] {
        crate::triage::of(self.id).cwe
    }

    /// The rule's security severity, 0.0 to 10.0, as GitHub code scanning ranks alerts, given its
    /// severity in the pack the scores are for (`None`: off there). Derived from the rule's
    /// finding and that severity only (the table is in the `triage` module's source); `None` for
    /// a rule without a finding, which is not a security rule.
    pub fn security_severity(&self, default: Option<crate::diagnostic::Severity>) -> Option<f32> {
        crate::triage::security_severity(self.finding, default)
    }

    /// The address of the rule's documentation under `docs_url`, the URL of the project's `docs/`
    /// folder (`https://example.org/fleet-iam/docs`): `<docs_url>/rules.md#<id>`. The one place
    /// rule URLs are built. `None` unless `docs_url` is an absolute `http(s)` URL.
    pub fn help_uri(&self, docs_url: &str) -> Option<String> {
        let base = docs_url.trim().trim_end_matches('/');
        let (scheme, rest) = base.split_once("://")?;
        let absolute = matches!(scheme, "https" | "http")
            && !rest.is_empty()
            && !base.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '#'));
        absolute.then(|| format!("{base}/rules.md#{}", self.id))
    }

    /// The text of one `## Section` of the documentation, trimmed.
    pub fn section(&self, title: &str) -> Option<String> {
        let doc = self.documentation();
        let start = doc.find(&format!("## {title}\n"))? + title.len() + 4;
        let rest = &doc[start..];
        let end = rest.find("\n## ").map_or(rest.len(), |i| i + 1);
        Some(rest[..end].trim().to_string())
    }
}

/// The `## Fix` section of a rule that has no fix.
const NO_FIX: &str = "## Fix\nNone: `fleet-iam check --fix` leaves this finding to you.\n\n";

/// Builds a rule from its options table, rejecting unknown keys with the rule's id.
pub(crate) fn build_rule<R>(options: Option<toml::Table>) -> Result<Box<dyn Rule>, String>
where
    R: Rule + Default + serde::de::DeserializeOwned + 'static,
{
    match options {
        None => Ok(Box::new(R::default())),
        Some(table) => table.try_into::<R>().map(|r| Box::new(r) as Box<dyn Rule>).map_err(|e| e.message().to_string()),
    }
}

/// Declares a rule: its doc comment (the only documentation), its options struct, and its
/// metadata as `NAME::META`.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis struct $name:ident { $($fields:tt)* }
        id: $id:literal, finding: $finding:expr, summary: $summary:literal $(, fix: $fix:expr)? $(,)?
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Default, serde::Deserialize)]
        #[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
        $vis struct $name { $($fields)* }

        impl $name {
            /// The rule's metadata.
            pub const META: $crate::rule::RuleMeta = $crate::rule::RuleMeta::new(
                $id,
                $finding,
                $summary,
                {
                    #[allow(unused_variables)]
                    let fix: Option<$crate::fix::Applicability> = None;
                    $(let fix = Some($fix);)?
                    fix
                },
                concat!($($doc, "\n"),*),
                $crate::rule::build_rule::<$name>,
            );
        }
    };
}
pub(crate) use declare_rule;
