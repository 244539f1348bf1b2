//! Fixes: what a rule proposes to change for one of its diagnostics.
//!
//! A rule describes its fix as edits of the HCL structure of the file the diagnostic points
//! into ("set `sensitive = true` in this block", "drop this list element"); the CLI's
//! `check --fix` and the language server turn the edits into byte-range text edits with
//! hcl-edit, so that everything outside the edited attribute keeps its bytes. Fixes are attached
//! only to diagnostics in Terraform native syntax (`.tf`): plans and `.tf.json` are not edited.
//!
//! Every span of a fix is a byte span of the text of the diagnostic's own file
//! ([`crate::Diagnostic::location`]'s path), as it was checked. A fix is idempotent: once
//! applied, the rule no longer reports the diagnostic.

use crate::source::Span;
use std::fmt;

/// Whether applying a fix keeps what the configuration does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Applicability {
    /// Keeps what Terraform deploys (it only hides values from output, or makes a setting
    /// explicit that the audit requires): applied by `--fix`.
    Safe,
    /// Changes what is deployed and needs a decision by the owner: applied only with
    /// `--unsafe-fixes`.
    Unsafe,
}

impl Applicability {
    /// `safe` or `unsafe`, as every output writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

impl fmt::Display for Applicability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A fix for one diagnostic: all of its edits are applied, or none.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fix {
    /// Safe or unsafe.
    pub applicability: Applicability,
    /// What the fix does, one line (`add \`sensitive = true\``): a code action's title. Masked
    /// like every message.
    pub message: String,
    /// The structural edits, in any order; their text edits must not overlap.
    pub edits: Vec<FixEdit>,
}

impl Fix {
    /// A safe fix.
    pub fn safe(message: impl Into<String>, edits: Vec<FixEdit>) -> Fix {
        Fix { applicability: Applicability::Safe, message: message.into(), edits }
    }

    /// An unsafe fix.
    pub fn unsafe_(message: impl Into<String>, edits: Vec<FixEdit>) -> Fix {
        Fix { applicability: Applicability::Unsafe, message: message.into(), edits }
    }
}

/// One structural edit of an HCL file. Spans are byte spans of the file's text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FixEdit {
    /// Replace the bytes of `span` (an expression, a block identifier) with `text`.
    Replace {
        /// What to replace.
        span: Span,
        /// The new text.
        text: String,
    },
    /// In the block whose span is `block`, go down the nested blocks named by `path` (creating
    /// the missing ones at the end of their parent) and set the attribute `name` to `value`:
    /// an existing attribute's value is replaced, else a line `name = value` is added at the end
    /// of the body, aligned with the attribute above it.
    SetAttribute {
        /// The whole block (identifier to closing brace).
        block: Span,
        /// Nested block types to go down, outermost first (`["metadata_options"]`).
        path: Vec<String>,
        /// The attribute.
        name: String,
        /// Its value, as HCL (`true`, `"required"`).
        value: String,
    },
    /// Remove the element at `element` from the list (tuple) expression that holds it, with its
    /// separating comma, and its line when it stands alone on it.
    RemoveElement {
        /// The element's expression.
        element: Span,
    },
    /// Move the element at `element` of a list attribute (`set = [...]`) into the list attribute
    /// `to` of the same body (`set_sensitive`), which is created after the list's attribute when
    /// absent. When the element is the list's only one and there is no `to` yet, the attribute is
    /// renamed instead.
    MoveElement {
        /// The element's expression.
        element: Span,
        /// The list attribute to move it to.
        to: String,
    },
}

impl FixEdit {
    /// [`FixEdit::SetAttribute`] from borrowed names.
    pub fn set_attribute(block: Span, path: &[&str], name: &str, value: &str) -> FixEdit {
        FixEdit::SetAttribute {
            block,
            path: path.iter().map(|p| p.to_string()).collect(),
            name: name.to_string(),
            value: value.to_string(),
        }
    }

    /// [`FixEdit::Replace`].
    pub fn replace(span: Span, text: &str) -> FixEdit {
        FixEdit::Replace { span, text: text.to_string() }
    }
}
