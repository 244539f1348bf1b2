//! The changes of a plan that a reviewer of IAM and exposure wants to see, read from its
//! `resource_changes` (`before` and `after` of each managed resource that is created, updated or
//! replaced):
//!
//! - **new principals**: an `Allow` statement's principal (`Principal` of a policy written as JSON
//!   in any attribute: `assume_role_policy`, a bucket or queue `policy`...) that the resource's
//!   policies did not name before;
//! - **widened actions**: an `Allow` statement's action (or `NotAction`) not allowed before;
//! - **new public endpoints**: an EKS cluster whose `vpc_config.endpoint_public_access` becomes
//!   true (absent counts as true, the provider's default), a database whose
//!   `publicly_accessible` becomes true, a load balancer whose `internal` becomes false, and
//!   ingress from `0.0.0.0/0` or `::/0` that a security group or security group rule opens;
//! - **known only after apply**: a policy whose value the plan does not know yet (it is computed,
//!   often from a data source), so the reviewer knows what could not be judged.
//!
//! A value that `after_sensitive` marks is never looked at, and every value shown goes through the
//! report's masking first. Data sources are read on every plan and have no `before` to compare,
//! so they are not listed; their effect shows where a resource's policy uses them.

use serde_json::Value;
use std::collections::BTreeSet;

/// What a change does.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// A principal newly allowed.
    Principal,
    /// An action newly allowed.
    Action,
    /// A resource newly reachable from the internet.
    PublicEndpoint,
    /// A policy the plan does not know yet.
    Unknown,
}

/// One change that matters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// What it is.
    pub kind: Kind,
    /// The resource's address.
    pub address: String,
    /// The attribute (`assume_role_policy`, `vpc_config.endpoint_public_access`).
    pub attribute: String,
    /// The principal, action or setting, as the plan writes it (empty for `Unknown`).
    pub value: String,
}

/// The changes of the plan `text` that matter, sorted; none when it is not a plan.
pub fn changes(text: &str) -> Vec<Change> {
    let Ok(plan) = serde_json::from_str::<Value>(text.trim_start_matches('\u{feff}')) else { return Vec::new() };
    let mut out = BTreeSet::new();
    for change in plan.get("resource_changes").and_then(Value::as_array).into_iter().flatten() {
        if change.get("mode").and_then(Value::as_str).is_some_and(|m| m != "managed") {
            continue;
        }
        let Some(address) = change.get("address").and_then(Value::as_str) else { continue };
        let Some(body) = change.get("change") else { continue };
        let actions: Vec<&str> =
            body.get("actions").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
        if !actions.iter().any(|a| matches!(*a, "create" | "update")) {
            continue;
        }
        let kind = change.get("type").and_then(Value::as_str).unwrap_or_default();
        let before = body.get("before").filter(|v| !v.is_null());
        let after = body.get("after").unwrap_or(&Value::Null);
        let sensitive = body.get("after_sensitive");
        let unknown = body.get("after_unknown");
        policies(address, before, after, sensitive, &mut out);
        unknown_policies(address, kind, unknown, &mut out);
        endpoints(address, kind, before, after, &mut out);
    }
    out.into_iter().collect()
}

/// The attributes that hold policy JSON, by name.
fn is_policy_attribute(name: &str) -> bool {
    name == "policy" || name.ends_with("_policy") || name == "json"
}

/// Principals and actions that the policies in `after` allow and those in `before` do not.
fn policies(
    address: &str,
    before: Option<&Value>,
    after: &Value,
    sensitive: Option<&Value>,
    out: &mut BTreeSet<Change>,
) {
    let mut was = Allowed::default();
    if let Some(before) = before {
        collect(before, None, "", &mut was);
    }
    let mut now = Allowed::default();
    collect(after, sensitive, "", &mut now);
    for (attribute, principal) in now.principals {
        if !was.principals.iter().any(|(_, p)| *p == principal) {
            out.insert(Change { kind: Kind::Principal, address: address.into(), attribute, value: principal });
        }
    }
    for (attribute, action) in now.actions {
        if !was.actions.iter().any(|(_, a)| a.eq_ignore_ascii_case(&action)) {
            out.insert(Change { kind: Kind::Action, address: address.into(), attribute, value: action });
        }
    }
}

/// What the policies of a resource allow, each with the attribute that holds it.
#[derive(Default)]
struct Allowed {
    principals: BTreeSet<(String, String)>,
    actions: BTreeSet<(String, String)>,
}

/// Walks `value` for policy attributes, skipping what `sensitive` marks.
fn collect(value: &Value, sensitive: Option<&Value>, path: &str, into: &mut Allowed) {
    if sensitive.is_some_and(|s| s == &Value::Bool(true)) {
        return;
    }
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                let path = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                let marks = sensitive.and_then(|s| s.get(key));
                if marks.is_some_and(|s| s == &Value::Bool(true)) {
                    continue;
                }
                match item {
                    Value::String(text) if is_policy_attribute(key) => statements(text, &path, into),
                    _ => collect(item, marks, &path, into),
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                collect(item, sensitive.and_then(|s| s.get(i)), path, into);
            }
        }
        _ => {}
    }
}

/// The `Allow` statements of the policy JSON `text`.
fn statements(text: &str, attribute: &str, into: &mut Allowed) {
    let Ok(policy) = serde_json::from_str::<Value>(text) else { return };
    let statements = match policy.get("Statement") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => return,
    };
    for statement in statements {
        if statement.get("Effect").and_then(Value::as_str) != Some("Allow") {
            continue;
        }
        for key in ["Action", "NotAction"] {
            let prefix = if key == "NotAction" { "all but " } else { "" };
            for action in strings(statement.get(key)) {
                into.actions.insert((attribute.to_string(), format!("{prefix}{action}")));
            }
        }
        match statement.get("Principal") {
            Some(Value::String(any)) => {
                into.principals.insert((attribute.to_string(), any.clone()));
            }
            Some(Value::Object(kinds)) => {
                for (kind, ids) in kinds {
                    for id in strings(Some(ids)) {
                        into.principals.insert((attribute.to_string(), format!("{kind}: {id}")));
                    }
                }
            }
            _ => {}
        }
    }
}

/// A string or an array of strings.
fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(str::to_string).collect(),
        _ => Vec::new(),
    }
}

/// Policy attributes that `after_unknown` marks as known only after apply: the policy of a
/// policy resource (`aws_iam_policy`, `aws_s3_bucket_policy`...) and a `*_policy` attribute
/// (`assume_role_policy`). A plain `policy` of another resource (`aws_s3_bucket.policy`) is a
/// computed attribute that is unknown whenever the resource is created, and says nothing.
fn unknown_policies(address: &str, kind: &str, unknown: Option<&Value>, out: &mut BTreeSet<Change>) {
    let Some(Value::Object(map)) = unknown else { return };
    for (key, marked) in map {
        let telling = key.ends_with("_policy") || (key == "policy" && kind.ends_with("_policy"));
        if marked == &Value::Bool(true) && telling {
            out.insert(Change {
                kind: Kind::Unknown,
                address: address.into(),
                attribute: key.clone(),
                value: String::new(),
            });
        }
    }
}

/// Endpoints that become public.
fn endpoints(address: &str, kind: &str, before: Option<&Value>, after: &Value, out: &mut BTreeSet<Change>) {
    let public = |value: Option<&Value>| -> bool {
        let Some(value) = value else { return false };
        match kind {
            "aws_eks_cluster" => value
                .get("vpc_config")
                .and_then(|v| v.get(0))
                .is_some_and(|v| v.get("endpoint_public_access").is_none_or(|p| p == &Value::Bool(true))),
            "aws_db_instance"
            | "aws_rds_cluster_instance"
            | "aws_redshift_cluster"
            | "aws_dms_replication_instance" => value.get("publicly_accessible") == Some(&Value::Bool(true)),
            "aws_lb" | "aws_alb" | "aws_elb" => value.get("internal") == Some(&Value::Bool(false)),
            _ => false,
        }
    };
    open_ingress(address, kind, before, after, out);
    if public(Some(after)) && !public(before) {
        let attribute = match kind {
            "aws_eks_cluster" => "vpc_config.endpoint_public_access",
            "aws_lb" | "aws_alb" | "aws_elb" => "internal",
            _ => "publicly_accessible",
        };
        let value = if attribute == "internal" { "false" } else { "true" };
        out.insert(Change {
            kind: Kind::PublicEndpoint,
            address: address.into(),
            attribute: attribute.into(),
            value: value.into(),
        });
    }
}

/// The internet's addresses.
const ANYWHERE: [&str; 2] = ["0.0.0.0/0", "::/0"];

/// Ingress from anywhere that a security group (or one of its rules) opens and did not before:
/// `0.0.0.0/0 ports 443-443/tcp`.
fn open_ingress(address: &str, kind: &str, before: Option<&Value>, after: &Value, out: &mut BTreeSet<Change>) {
    let opened = |value: Option<&Value>| -> BTreeSet<String> {
        let Some(value) = value else { return BTreeSet::new() };
        let rules: Vec<&Value> = match kind {
            "aws_security_group" => value.get("ingress").and_then(Value::as_array).into_iter().flatten().collect(),
            "aws_security_group_rule" if value.get("type").and_then(Value::as_str) == Some("ingress") => vec![value],
            "aws_vpc_security_group_ingress_rule" => vec![value],
            _ => Vec::new(),
        };
        let mut open = BTreeSet::new();
        for rule in rules {
            let sources = ["cidr_blocks", "ipv6_cidr_blocks", "cidr_ipv4", "cidr_ipv6"]
                .iter()
                .flat_map(|key| strings(rule.get(key)))
                .filter(|cidr| ANYWHERE.contains(&cidr.as_str()));
            let port = |key: &str| rule.get(key).map_or_else(|| "*".to_string(), |p| p.to_string());
            let protocol =
                rule.get("protocol").or_else(|| rule.get("ip_protocol")).and_then(Value::as_str).unwrap_or("*");
            for cidr in sources {
                open.insert(format!("{cidr} ports {}-{}/{protocol}", port("from_port"), port("to_port")));
            }
        }
        open
    };
    let was = opened(before);
    for opening in opened(Some(after)).difference(&was) {
        out.insert(Change {
            kind: Kind::PublicEndpoint,
            address: address.into(),
            attribute: "ingress".into(),
            value: opening.clone(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(changes: &str) -> String {
        format!(r#"{{"format_version":"1.2","resource_changes":[{changes}]}}"#)
    }

    #[test]
    fn new_principals_and_actions_against_before() {
        let before = r#"{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"#;
        let after = r#"{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\",\"AWS\":\"*\"},\"Action\":[\"STS:AssumeRole\",\"sts:TagSession\"]},{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"*\"}]}"#;
        let text = plan(&format!(
            r#"{{"address":"aws_iam_role.ci","mode":"managed","type":"aws_iam_role","change":{{"actions":["update"],"before":{{"assume_role_policy":"{before}"}},"after":{{"assume_role_policy":"{after}"}}}}}}"#
        ));
        let found = changes(&text);
        let shown: Vec<(Kind, &str)> = found.iter().map(|c| (c.kind.clone(), c.value.as_str())).collect();
        assert_eq!(shown, [(Kind::Principal, "AWS: *"), (Kind::Action, "sts:TagSession")]);
        assert!(found.iter().all(|c| c.attribute == "assume_role_policy" && c.address == "aws_iam_role.ci"));
    }

    #[test]
    fn sensitive_values_deleted_resources_and_data_sources_are_not_read() {
        let policy = r#"{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}"#;
        let text = plan(&format!(
            r#"{{"address":"aws_iam_policy.a","mode":"managed","type":"aws_iam_policy","change":{{"actions":["create"],"before":null,"after":{{"policy":"{policy}"}},"after_sensitive":{{"policy":true}}}}}},
               {{"address":"aws_iam_policy.b","mode":"managed","type":"aws_iam_policy","change":{{"actions":["delete"],"before":{{"policy":"{policy}"}},"after":null}}}},
               {{"address":"data.x.y","mode":"data","type":"x","change":{{"actions":["read"],"before":null,"after":{{"policy":"{policy}"}}}}}},
               {{"address":"aws_iam_policy.c","mode":"managed","type":"aws_iam_policy","change":{{"actions":["create"],"before":null,"after":{{"policy":"{policy}"}}}}}}"#
        ));
        let found = changes(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].address.as_str(), found[0].value.as_str()), ("aws_iam_policy.c", "s3:*"));
        assert!(changes("not json").is_empty() && changes("{}").is_empty());
    }

    #[test]
    fn endpoints_that_become_public() {
        let eks = |before: &str, after: &str| {
            plan(&format!(
                r#"{{"address":"aws_eks_cluster.this","mode":"managed","type":"aws_eks_cluster","change":{{"actions":["update"],"before":{before},"after":{after}}}}}"#
            ))
        };
        let private = r#"{"vpc_config":[{"endpoint_public_access":false}]}"#;
        let public = r#"{"vpc_config":[{"endpoint_public_access":true}]}"#;
        let absent = r#"{"vpc_config":[{}]}"#;
        assert_eq!(changes(&eks(private, public)).len(), 1);
        assert_eq!(changes(&eks(private, absent)).len(), 1, "absent is the provider's default, true");
        assert!(changes(&eks(public, public)).is_empty());
        assert!(changes(&eks(public, private)).is_empty());
    }

    #[test]
    fn ingress_from_anywhere_that_opens() {
        let group = |before: &str, after: &str| {
            plan(&format!(
                r#"{{"address":"aws_security_group.web","mode":"managed","type":"aws_security_group","change":{{"actions":["update"],"before":{before},"after":{after}}}}}"#
            ))
        };
        let internal = r#"{"ingress":[{"cidr_blocks":["10.0.0.0/8"],"from_port":443,"to_port":443,"protocol":"tcp"}]}"#;
        let open = r#"{"ingress":[{"cidr_blocks":["10.0.0.0/8"],"from_port":443,"to_port":443,"protocol":"tcp"},{"cidr_blocks":["0.0.0.0/0"],"ipv6_cidr_blocks":["::/0"],"from_port":22,"to_port":22,"protocol":"tcp"}]}"#;
        let values: Vec<String> = changes(&group(internal, open)).into_iter().map(|c| c.value).collect();
        assert_eq!(values, ["0.0.0.0/0 ports 22-22/tcp", "::/0 ports 22-22/tcp"]);
        assert!(changes(&group(open, open)).is_empty(), "already open: not a change");
        assert!(changes(&group(open, internal)).is_empty(), "closing is not opening");
        let rule = plan(
            r#"{"address":"aws_vpc_security_group_ingress_rule.any","mode":"managed","type":"aws_vpc_security_group_ingress_rule","change":{"actions":["create"],"before":null,"after":{"cidr_ipv4":"0.0.0.0/0","ip_protocol":"-1"}}}"#,
        );
        let values: Vec<String> = changes(&rule).into_iter().map(|c| c.value).collect();
        assert_eq!(values, ["0.0.0.0/0 ports *-*/-1"]);
    }
}
