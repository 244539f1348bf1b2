//! What the `Deny` statements of a document take away from its `Allow` statements, so that the
//! rules judge the effective permission: an explicit deny wins over any allow
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>).
//!
//! An action of an `Allow` statement is taken away when a `Deny` of the same document that is
//! there for certain (not from a `dynamic` block that may make nothing) covers it, and covers
//! the allow's whole context: every resource of the allow (`Resource` wildcards matched as
//! AWS does, one ARN pattern covering another), every principal (or `*`), and it applies
//! whenever the allow does (its conditions are among the allow's). What is known only at
//! apply covers nothing, except the deny's own `"*"`. A deny written with `NotAction`,
//! `NotResource` or `NotPrincipal` is not followed.
//!
//! The work is bounded: past [`MAX_PAIRS`] allow/deny pairs, or [`MAX_STEPS`] steps of
//! wildcard matching, the remaining allows are judged as written.

use super::policy::{Condition, Effect, Element, Elements, Principal, Statement};

/// Allow/deny pairs compared in one document at most.
pub const MAX_PAIRS: usize = 4_096;

/// Steps of wildcard matching spent on one document at most.
pub const MAX_STEPS: usize = 1_000_000;

/// Fills `denied` of each `Allow` statement with what the document's `Deny` statements take away.
pub fn apply_denies(statements: &mut [Statement]) {
    let denies: Vec<usize> = (0..statements.len()).filter(|&i| is_followed_deny(&statements[i])).collect();
    if denies.is_empty() {
        return;
    }
    let mut pairs = MAX_PAIRS;
    let mut steps = MAX_STEPS;
    for allow in 0..statements.len() {
        let statement = &statements[allow];
        if statement.effect != Some(Effect::Allow) {
            continue;
        }
        let Some(actions) = &statement.action else { continue };
        let mut denied = vec![false; actions.items.len()];
        for &deny in &denies {
            if pairs == 0 || steps == 0 {
                break;
            }
            pairs -= 1;
            let deny = &statements[deny];
            if !covers_context(deny, statement, &mut steps) {
                continue;
            }
            for (item, taken) in actions.items.iter().zip(denied.iter_mut()) {
                if !*taken {
                    *taken = deny.actions().any(|pattern| covers(pattern, item, Case::Insensitive, &mut steps));
                }
            }
        }
        let taken: Vec<usize> = denied.iter().enumerate().filter(|(_, d)| **d).map(|(i, _)| i).collect();
        statements[allow].denied = taken;
    }
}

/// A `Deny` this module follows: certain, with `Action` and no negated element.
fn is_followed_deny(statement: &Statement) -> bool {
    statement.effect == Some(Effect::Deny)
        && statement.certain
        && statement.action.is_some()
        && statement.not_action.is_none()
        && statement.not_resource.is_none()
        && statement.not_principal.is_none()
}

/// Whether a deny applies wherever the allow does: same or wider resources and principals,
/// and no condition the allow does not also have.
fn covers_context(deny: &Statement, allow: &Statement, steps: &mut usize) -> bool {
    resources_covered(deny.resource.as_ref(), allow, steps)
        && principals_covered(deny.principal.as_deref(), allow)
        && deny.conditions.iter().all(|d| allow.conditions.iter().any(|a| same_condition(d, a)))
}

fn resources_covered(deny: Option<&Elements>, allow: &Statement, steps: &mut usize) -> bool {
    match deny {
        // Trust policies name no resource: both sides without one.
        None => allow.resource.is_none() && allow.not_resource.is_none(),
        Some(deny) => {
            let everything = deny.items.iter().any(|d| d.text.as_deref() == Some("*"));
            if everything {
                return true;
            }
            let Some(resources) = &allow.resource else { return false };
            allow.not_resource.is_none()
                && !resources.items.is_empty()
                && resources.items.iter().all(|r| deny.items.iter().any(|d| covers(d, r, Case::Sensitive, steps)))
        }
    }
}

fn principals_covered(deny: Option<&[Principal]>, allow: &Statement) -> bool {
    let Some(allowed) = &allow.principal else {
        // An identity policy: no principal on either side.
        return deny.is_none() && allow.not_principal.is_none();
    };
    let Some(deny) = deny else { return false };
    let anyone = deny.iter().any(|p| (p.kind == "*" || p.kind == "AWS") && p.value.text.as_deref() == Some("*"));
    anyone
        || (!allowed.is_empty()
            && allowed.iter().all(|a| {
                a.value.text.is_some()
                    && deny.iter().any(|d| d.kind.eq_ignore_ascii_case(&a.kind) && d.value.text == a.value.text)
            }))
}

/// The same condition: operator and key (case-insensitively) and the same known values.
fn same_condition(a: &Condition, b: &Condition) -> bool {
    let same =
        |x: &Option<String>, y: &Option<String>| matches!((x, y), (Some(x), Some(y)) if x.eq_ignore_ascii_case(y));
    let known = |c: &Condition| c.values.iter().all(|v| v.text.as_deref().is_some_and(|t| !t.contains("${")));
    same(&a.operator, &b.operator)
        && same(&a.key, &b.key)
        && known(a)
        && known(b)
        && a.values.len() == b.values.len()
        && a.values.iter().all(|v| b.values.iter().any(|w| v.text == w.text))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    /// Actions: AWS compares them ignoring case.
    Insensitive,
    /// Resources: ARNs are compared as written.
    Sensitive,
}

/// Whether the pattern `deny` matches every value the pattern `allow` can: the deny's `*` and
/// `?` match the allow's text, in which a `*` or `?` is matched only by the deny's `*`. Known
/// values only, except a deny of `"*"`, which covers anything.
fn covers(deny: &Element, allow: &Element, case: Case, steps: &mut usize) -> bool {
    let Some(pattern) = known(deny) else { return false };
    if pattern == "*" {
        return true;
    }
    let Some(text) = known(allow) else { return false };
    glob(pattern.as_bytes(), text.as_bytes(), case, steps)
}

fn known(element: &Element) -> Option<&str> {
    element.text.as_deref().filter(|t| !t.contains("${") && !t.contains("&{"))
}

/// Wildcard matching with backtracking to the last `*`, charged to `steps`; `false` once they
/// run out.
fn glob(pattern: &[u8], text: &[u8], case: Case, steps: &mut usize) -> bool {
    let eq = |p: u8, t: u8| match case {
        Case::Insensitive => p.eq_ignore_ascii_case(&t),
        Case::Sensitive => p == t,
    };
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if *steps == 0 {
            return false;
        }
        *steps -= 1;
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(b'?') if !matches!(text[t], b'*' | b'?') => {
                p += 1;
                t += 1;
            }
            Some(&c) if c != b'?' && eq(c, text[t]) => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern.get(p..).is_some_and(|rest| rest.iter().all(|&c| c == b'*'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, text: &str) -> bool {
        glob(pattern.as_bytes(), text.as_bytes(), Case::Insensitive, &mut { MAX_STEPS })
    }

    #[test]
    fn one_pattern_covers_another() {
        assert!(m("s3:*", "s3:Get*"));
        assert!(m("S3:GET*", "s3:GetObject"));
        assert!(m("iam:PassRole", "iam:passrole"));
        assert!(m("*", "anything"));
        assert!(!m("s3:Get*Object", "s3:Get*"));
        assert!(!m("s3:Get?", "s3:Get*"));
        assert!(!m("s3:GetObject", "s3:Get*"));
        assert!(!glob(b"arn:aws:s3:::A/*", b"arn:aws:s3:::a/x", Case::Sensitive, &mut 100));
    }

    #[test]
    fn matching_stops_when_steps_run_out() {
        let text = "a".repeat(2_000) + "b";
        assert!(glob(b"*b", text.as_bytes(), Case::Sensitive, &mut 10_000));
        // Out of steps, the deny covers nothing: the allow is judged as written.
        let mut steps = 50;
        assert!(!glob(b"*b", text.as_bytes(), Case::Sensitive, &mut steps));
        assert_eq!(steps, 0);
    }
}
