//! Secrets: what is one, where each sits in the inputs, and the one sanitiser every output goes
//! through. Every M8 rule (`secret-variable-not-sensitive`, `secret-output-not-sensitive`,
//! `helm-set-secret`, `secret-literal`, `plan-secret-exposed`) and every renderer asks this
//! module, so the vocabulary and the masking are written and tested once.
//!
//! **A secret is a span, not a string.** While a unit is checked, `found` records where each
//! secret-bearing value sits in its source: literals under secret names ([`names`]), credential
//! formats anywhere in the text, comments and map keys included ([`formats`]), values given to
//! secret names inside documents held in strings, and base64 strings of such documents whole
//! ([`embedded`]), plan values under `sensitive` paths, and the escaped source text of a value
//! decoded from escapes. A file that
//! does not parse gets a line-level scan instead ([`scan`]). The report keeps the spans by path,
//! and the decoded values.
//!
//! Whether a literal under a secret name is a secret is [`shape`]'s question: placeholders,
//! the paths and names of secrets, and plain words under the name of a generated credential are
//! not. The rules report by it; the masking stays wider, and masks every literal under a secret
//! name that is not a placeholder.
//!
//! **One sanitiser** ([`Secrets`], in [`sanitise`]) turns that into output: it replaces each
//! span of a text by a fixed `****` (no length shown, line breaks kept), masks the known values
//! where they stand as a whole quoted value or path segment in messages, addresses and pointers,
//! and escapes control characters for human formats. It runs in one pass, linear in its input.
//! Paths, rule ids and rule documentation are never passed through it: they are not secret.

pub mod embedded;
pub mod formats;
pub(crate) mod found;
pub mod names;
pub mod placeholder;
pub mod sanitise;
pub mod scan;
pub mod shape;

pub use formats::find_credentials;
pub(crate) use names::holds_secret;
pub use names::{NameClass, classify_name, holds_chosen_secret};
pub use placeholder::is_placeholder;
pub(crate) use sanitise::QUOTE_BUDGET;
pub use sanitise::{Masked, Secrets, escape_controls};
pub use shape::{is_secret_value, names_a_secret};

/// What every output shows instead of a secret: the same four characters whatever the secret,
/// so that neither its length nor any of its characters show.
pub const STARS: &str = "****";
