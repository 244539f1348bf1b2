//! The one list of all rules.

use crate::rule::RuleMeta;
use crate::rules::builtin::{parse_error::ParseError, suppression::Suppression};
use crate::rules::{eks, iam, imds, secrets};

static ALL: [RuleMeta; 21] = [
    ParseError::META,
    iam::wildcard_action::IamWildcardAction::META,
    iam::service_wildcard::IamServiceWildcard::META,
    iam::sensitive_wildcard::IamSensitiveWildcard::META,
    iam::not_action::IamNotAction::META,
    iam::wildcard_resource::IamWildcardResource::META,
    iam::privilege_escalation::IamPrivilegeEscalation::META,
    iam::wildcard_principal::IamWildcardPrincipal::META,
    iam::unknown_action::IamUnknownAction::META,
    iam::malformed_policy::IamMalformedPolicy::META,
    eks::public_endpoint::EksPublicEndpoint::META,
    eks::public_cidr::EksPublicCidr::META,
    imds::imdsv2_required::Imdsv2Required::META,
    imds::hop_limit::ImdsHopLimit::META,
    secrets::variable_not_sensitive::SecretVariableNotSensitive::META,
    secrets::ci_variable_undeclared::SecretCiVariableUndeclared::META,
    secrets::output_not_sensitive::SecretOutputNotSensitive::META,
    secrets::helm_set_secret::HelmSetSecret::META,
    secrets::literal::SecretLiteral::META,
    secrets::plan_secret_exposed::PlanSecretExposed::META,
    Suppression::META,
];

/// Every rule, in catalogue order.
pub fn all() -> &'static [RuleMeta] {
    &ALL
}

/// The rule with this id.
pub fn find(id: &str) -> Option<&'static RuleMeta> {
    ALL.iter().find(|m| m.id == id)
}
