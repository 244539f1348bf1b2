//! Terraform configuration: modules made of blocks, blocks made of attributes and blocks.

use super::value::{At, SourceId, Value};
use super::workflow::CiSecret;
use std::collections::BTreeMap;

/// The body of a file or a block.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Body {
    /// Attributes in written order.
    pub attributes: Vec<Attribute>,
    /// Nested blocks in written order.
    pub blocks: Vec<Block>,
}

/// `name = value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    /// The attribute's name.
    pub name: String,
    /// The whole attribute, name to end of value.
    pub at: At,
    /// The name.
    pub key_at: At,
    /// The value.
    pub value: Value,
}

/// `ident "label" ... { body }`.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// The block type (`resource`, `statement`).
    pub ident: String,
    /// The labels (`aws_iam_policy`, `ci`).
    pub labels: Vec<String>,
    /// The whole block.
    pub at: At,
    /// The identifier and labels: where a diagnostic about the block as a whole points.
    pub header: At,
    /// The content.
    pub body: Body,
    /// The full Terraform address, when the input says it (a plan's
    /// `module.eks.aws_eks_cluster.this[0]`); otherwise [`Block::address`] derives it.
    pub full_address: Option<String>,
}

impl Body {
    /// The attribute with this name.
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// The blocks with this type.
    pub fn blocks<'a>(&'a self, ident: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.blocks.iter().filter(move |b| b.ident == ident)
    }
}

impl Block {
    /// The first label, such as a resource type.
    pub fn label(&self, index: usize) -> Option<&str> {
        self.labels.get(index).map(String::as_str)
    }

    /// The Terraform address of a `resource` or `data` block (`aws_iam_policy.ci`,
    /// `data.aws_iam_policy_document.x`), `module.NAME` for a module call, `var.NAME` for a
    /// variable, `output.NAME` for an output.
    pub fn address(&self) -> Option<String> {
        if let Some(address) = &self.full_address {
            return Some(address.clone());
        }
        match (self.ident.as_str(), self.labels.as_slice()) {
            ("resource", [kind, name]) => Some(format!("{kind}.{name}")),
            ("data", [kind, name]) => Some(format!("data.{kind}.{name}")),
            ("module", [name]) => Some(format!("module.{name}")),
            ("variable", [name]) => Some(format!("var.{name}")),
            ("output", [name]) => Some(format!("output.{name}")),
            _ => None,
        }
    }
}

/// Where a variable's value comes from.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum VarSource {
    /// The `default` of its `variable` block.
    Default,
    /// A tfvars file, auto-loaded or given with `--var-file`.
    File(String),
    /// `--var NAME=VALUE`.
    CommandLine,
}

/// The value a variable has for a check.
#[derive(Debug, Clone, PartialEq)]
pub struct VarValue {
    /// The value as written where it was set.
    pub value: Value,
    /// Where it was set.
    pub source: VarSource,
}

/// A credential recognised by its format inside a value or a file's text: a secret mark.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Credential {
    /// What it is: `"AWS access key id"`, `"private key (PEM)"`...
    pub kind: &'static str,
    /// The byte range of the credential within the value (for `password in URL`, the password).
    pub range: std::ops::Range<usize>,
}

/// The configuration of one directory: the top-level blocks of all its files.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Module {
    /// The directory, as given (`""` for the current one).
    pub dir: String,
    /// The files that make up the module.
    pub sources: Vec<SourceId>,
    /// The files of the module's directory that do not parse: not in `blocks`.
    pub unparsed: Vec<SourceId>,
    /// The credentials written anywhere in the text of the module's files, parsed or not
    /// (comments and keys included): found once, read by the secret collection and the rules.
    pub credentials: Vec<(SourceId, Credential)>,
    /// Top-level blocks of all files, in file then written order.
    pub blocks: Vec<Block>,
    /// Top-level arguments of `.tf` files, which Terraform refuses (each is a `parse-error`):
    /// kept so that the secrets among them are masked like any other.
    pub stray: Vec<Attribute>,
    /// The value of each variable for this check: its default, overridden by tfvars and
    /// `--var-file` / `--var` as Terraform orders them.
    pub vars: BTreeMap<String, VarValue>,
    /// The variables CI workflows set from secrets when they run Terraform in this module.
    pub ci_secrets: Vec<CiSecret>,
    /// Whether the module's resources come from a plan: their values are already evaluated, and
    /// policy documents appear rendered where they are used.
    pub from_plan: bool,
}

impl Module {
    /// `resource` blocks with their type.
    pub fn resources<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.blocks.iter().filter(move |b| b.ident == "resource" && b.label(0) == Some(kind))
    }

    /// `data` blocks with their type.
    pub fn data<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.blocks.iter().filter(move |b| b.ident == "data" && b.label(0) == Some(kind))
    }

    /// The value of `local.NAME`.
    pub fn local(&self, name: &str) -> Option<&Value> {
        self.blocks.iter().filter(|b| b.ident == "locals").find_map(|b| b.body.attribute(name)).map(|a| &a.value)
    }

    /// The `variable` block named `NAME`.
    pub fn variable(&self, name: &str) -> Option<&Block> {
        self.blocks.iter().find(|b| b.ident == "variable" && b.label(0) == Some(name))
    }
}
