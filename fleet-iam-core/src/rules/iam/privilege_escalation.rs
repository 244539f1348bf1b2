use crate::diagnostic::Finding;
use crate::rule::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// TODO
    pub struct IamPrivilegeEscalation {}
    id: "iam-privilege-escalation", finding: Some(Finding::H5), summary: "TODO",
}

impl Rule for IamPrivilegeEscalation {}
