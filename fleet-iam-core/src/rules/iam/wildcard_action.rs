use crate::diagnostic::Finding;
use crate::rule::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// TODO
    pub struct IamWildcardAction {}
    id: "iam-wildcard-action", finding: Some(Finding::H5), summary: "TODO",
}

impl Rule for IamWildcardAction {}
