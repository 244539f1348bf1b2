use crate::diagnostic::Finding;
use crate::rule::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// TODO
    pub struct IamWildcardPrincipal {}
    id: "iam-wildcard-principal", finding: Some(Finding::H5), summary: "TODO",
}

impl Rule for IamWildcardPrincipal {}
