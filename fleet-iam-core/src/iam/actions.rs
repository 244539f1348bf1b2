//! Action matching: whole-service and every-action wildcards, and what a pattern grants in
//! the catalogue.

use super::catalogue::{Action, catalogue};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// `*` or `*:*`: every action of every service.
pub fn is_every_action(text: &str) -> bool {
    is_stars(text) || text.split_once(':').is_some_and(|(s, a)| is_stars(s) && is_stars(a))
}

fn is_stars(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b == b'*')
}

/// The service of a whole-service wildcard such as `eks:*`.
pub fn service_wildcard(text: &str) -> Option<&str> {
    let (service, action) = text.split_once(':')?;
    (is_stars(action) && !service.contains(['*', '?']) && !service.is_empty()).then_some(service)
}

/// AWS KMS's cryptographic operations: what a key user does with a key, as the KMS developer
/// guide lists them (<https://docs.aws.amazon.com/kms/latest/developerguide/kms-cryptography.html#cryptographic-operations>).
/// Everything else in `kms:` manages a key or reads about it.
const KMS_CRYPTOGRAPHIC_OPERATIONS: &[&str] = &[
    "Decrypt",
    "DeriveSharedSecret",
    "Encrypt",
    "GenerateDataKey",
    "GenerateDataKeyPair",
    "GenerateDataKeyPairWithoutPlaintext",
    "GenerateDataKeyWithoutPlaintext",
    "GenerateMac",
    "GenerateRandom",
    "ReEncryptFrom",
    "ReEncryptTo",
    "Sign",
    "Verify",
    "VerifyMac",
];

/// Whether an action uses a KMS key for cryptography rather than managing it.
pub fn is_kms_cryptographic(action: &Action) -> bool {
    action.service == "kms" && KMS_CRYPTOGRAPHIC_OPERATIONS.iter().any(|o| o.eq_ignore_ascii_case(action.name))
}

/// The catalogue actions an action element grants (one for a plain action, many for a pattern).
/// The same wildcards come back in policy after policy, and each expansion scans the catalogue:
/// they are remembered per thread (up to 1,024 patterns, then forgotten all at once).
pub fn expand(text: &str) -> Rc<[&'static Action]> {
    if !text.contains(['*', '?']) {
        return catalogue().expand(text).collect();
    }
    thread_local! {
        static EXPANDED: RefCell<HashMap<String, Rc<[&'static Action]>>> = RefCell::new(HashMap::new());
    }
    EXPANDED.with_borrow_mut(|cache| {
        if let Some(actions) = cache.get(text) {
            return actions.clone();
        }
        let actions: Rc<[&'static Action]> = catalogue().expand(text).collect();
        if cache.len() >= 1024 {
            cache.clear();
        }
        cache.insert(text.to_string(), actions.clone());
        actions
    })
}
