//! H5: wildcard IAM permissions and malformed policies.

pub mod malformed_policy;
pub mod not_action;
pub mod privilege_escalation;
pub mod sensitive_wildcard;
pub mod service_wildcard;
pub mod unknown_action;
pub mod wildcard_action;
pub mod wildcard_principal;
pub mod wildcard_resource;

use crate::iam::catalogue::{Action, catalogue};
use crate::model::Element;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// The literal text of an element: `None` for values known only at apply time.
pub(crate) fn literal(element: &Element) -> Option<&str> {
    element.text.as_deref().filter(|t| !t.contains("${"))
}

/// `*` or `*:*`: every action of every service.
pub(crate) fn is_every_action(text: &str) -> bool {
    is_stars(text) || text.split_once(':').is_some_and(|(s, a)| is_stars(s) && is_stars(a))
}

fn is_stars(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b == b'*')
}

/// The service of a whole-service wildcard such as `eks:*`.
pub(crate) fn service_wildcard(text: &str) -> Option<&str> {
    let (service, action) = text.split_once(':')?;
    (is_stars(action) && !service.contains(['*', '?']) && !service.is_empty()).then_some(service)
}

/// The catalogue actions an action element grants (one for a plain action, many for a pattern).
/// The same wildcards come back in policy after policy, and each expansion scans the catalogue:
/// they are remembered per thread (up to 1,024 patterns, then forgotten all at once).
pub(crate) fn expand(text: &str) -> Rc<[&'static Action]> {
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

/// A count for a message that stays true as AWS adds actions: `826` reads `820+`; counts
/// under 100 are exact.
pub(crate) fn approx(n: usize) -> String {
    if n < 100 { n.to_string() } else { format!("{}+", n / 10 * 10) }
}

/// Up to `max` names, then `and N more`.
pub(crate) fn list_names<I: IntoIterator<Item = String>>(names: I, max: usize) -> String {
    let names: Vec<String> = names.into_iter().collect();
    list_first(&names[..names.len().min(max)], names.len())
}

/// The names given (the first few of `total`), then `and N more`.
pub(crate) fn list_first(names: &[String], total: usize) -> String {
    let mut out = names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
    if total > names.len() {
        out.push_str(&format!(" and {} more", total - names.len()));
    }
    out
}
