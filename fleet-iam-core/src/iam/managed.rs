//! AWS managed policies (`arn:aws:iam::aws:policy/AdministratorAccess`): the documents AWS
//! writes and a Terraform configuration attaches by ARN, so that the rules judge what an
//! attachment grants.
//!
//! The data is the default version of every AWS managed policy that can be attached to a user,
//! group or role, generated into `data/managed-policies.tsv` by `scripts/gen-managed-policies.py`
//! (provenance in `data/README.md`), embedded in the binary and indexed on first use. A policy's
//! statements are read when it is attached. Malformed table lines are skipped, never panicked on.
//!
//! ```
//! use fleet_iam_core::iam::managed;
//!
//! let admin = managed::from_arn("arn:${data.aws_partition.current.partition}:iam::aws:policy/AdministratorAccess").unwrap();
//! assert_eq!(admin.name, "AdministratorAccess");
//! assert_eq!(admin.arn(), "arn:aws:iam::aws:policy/AdministratorAccess");
//! assert!(managed::from_arn("arn:aws:iam::123456789012:policy/AdministratorAccess").is_none());
//! ```

use crate::model::{At, Entry, Key, Number, Value, ValueKind};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

/// The generated table (see `data/README.md`).
static TABLE: &str = include_str!("data/managed-policies.tsv");

static INDEX: LazyLock<Index> = LazyLock::new(|| Index::parse(TABLE));

/// The partitions AWS managed policy ARNs are written with.
const PARTITIONS: &[&str] =
    &["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"];

/// One AWS managed policy.
#[derive(Debug, PartialEq, Eq)]
pub struct ManagedPolicy {
    /// The path between `policy/` and the name: `""`, `"service-role/"`, `"job-function/"`.
    pub path: &'static str,
    /// The name (`AdministratorAccess`).
    pub name: &'static str,
    /// The default version the document is of (`v1`).
    pub version: &'static str,
    /// The statement lines of the table.
    statements: Vec<&'static str>,
}

struct Index {
    policies: Vec<ManagedPolicy>,
    /// Lowercase `path + name` to the index in `policies`.
    by_path: HashMap<String, usize>,
    /// Lowercase name to the index in `policies` (names are unique across paths).
    by_name: HashMap<String, usize>,
    /// Table lines that are neither a policy nor a statement (none, in a table the script wrote).
    #[cfg_attr(not(test), allow(dead_code))]
    skipped: usize,
}

impl Index {
    fn parse(table: &'static str) -> Index {
        let mut policies: Vec<ManagedPolicy> = Vec::new();
        let mut skipped = 0;
        for line in table.lines().filter(|l| !l.is_empty() && !l.starts_with('#')) {
            let cells: Vec<&'static str> = line.split('\t').collect();
            match cells.as_slice() {
                ["P", path, name, version] if !name.is_empty() => {
                    policies.push(ManagedPolicy { path, name, version, statements: Vec::new() });
                }
                ["A" | "D", _, _, _] => match policies.last_mut() {
                    Some(policy) => policy.statements.push(line),
                    None => skipped += 1,
                },
                _ => skipped += 1,
            }
        }
        let by_path = policies.iter().enumerate().map(|(i, p)| (format!("{}{}", p.path, p.name).to_lowercase(), i));
        let by_name = policies.iter().enumerate().map(|(i, p)| (p.name.to_lowercase(), i));
        Index { by_path: by_path.collect(), by_name: by_name.collect(), policies, skipped }
    }
}

/// Every AWS managed policy of the table, sorted by path then name.
pub fn all() -> &'static [ManagedPolicy] {
    &INDEX.policies
}

/// The policy named by `path + name` (`"service-role/AWSLambdaBasicExecutionRole"`), compared
/// case-insensitively as IAM compares names.
pub fn find(path_and_name: &str) -> Option<&'static ManagedPolicy> {
    INDEX.by_path.get(&path_and_name.to_lowercase()).and_then(|&i| INDEX.policies.get(i))
}

/// The policy with this name, whatever its path (AWS managed policy names are unique).
pub fn by_name(name: &str) -> Option<&'static ManagedPolicy> {
    INDEX.by_name.get(&name.to_lowercase()).and_then(|&i| INDEX.policies.get(i))
}

/// The policy an ARN as written names: `arn:PARTITION:iam::aws:policy/[PATH/]NAME`, where the
/// partition is a known one or an interpolation (`${data.aws_partition.current.partition}`,
/// `${local.partition}`). `None` for a customer managed policy (an account id instead of
/// `aws`), an interpolated name, or a name AWS does not have.
pub fn from_arn(text: &str) -> Option<&'static ManagedPolicy> {
    let rest = text.strip_prefix("arn:")?;
    let (partition, path_and_name) = rest.split_once(":iam::aws:policy/")?;
    let interpolated = partition.starts_with("${") && partition.ends_with('}') && partition.matches("${").count() == 1;
    if !(PARTITIONS.contains(&partition) || interpolated) || path_and_name.contains(['$', '%', '*']) {
        return None;
    }
    find(path_and_name)
}

impl ManagedPolicy {
    /// The ARN in the commercial partition: `arn:aws:iam::aws:policy/service-role/NAME`.
    pub fn arn(&self) -> String {
        format!("arn:aws:iam::aws:policy/{}{}", self.path, self.name)
    }

    /// The policy document, every element of which is located at `at`: the place that attaches
    /// the policy, which is where a finding about it belongs.
    pub fn document(&self, at: At) -> Value {
        let string = |s: &str| Value::new(at, ValueKind::String(s.to_string()));
        let entry = |key: &str, value: Value| Entry { key: Key::from(key), key_at: at, value };
        let list = |items: Vec<Value>| Value::new(at, ValueKind::List(Arc::new(items)));
        let statements = self
            .statements
            .iter()
            .filter_map(|line| statement(line))
            .map(|s| {
                let mut entries = vec![entry("Effect", string(s.effect))];
                entries.push(entry(s.action_key, list(s.actions.iter().map(|a| string(a)).collect())));
                if let Some(key) = s.resource_key {
                    entries.push(entry(key, list(s.resources.iter().map(|r| string(r)).collect())));
                }
                if let Some(condition) = s.condition {
                    entries.push(entry("Condition", json_value(&condition, at)));
                }
                Value::new(at, ValueKind::Object(entries))
            })
            .collect();
        Value::new(
            at,
            ValueKind::Object(vec![entry("Version", string("2012-10-17")), entry("Statement", list(statements))]),
        )
    }
}

/// One statement line of the table, read.
struct Line {
    effect: &'static str,
    action_key: &'static str,
    actions: Vec<String>,
    resource_key: Option<&'static str>,
    resources: Vec<&'static str>,
    condition: Option<serde_json::Value>,
}

/// Reads `A|D <TAB> A|N actions <TAB> R|N|- resources <TAB> condition`; `None` if malformed.
fn statement(line: &'static str) -> Option<Line> {
    let mut cells = line.split('\t');
    let (effect, actions, resources, condition) = (cells.next()?, cells.next()?, cells.next()?, cells.next()?);
    if cells.next().is_some() {
        return None;
    }
    let effect = match effect {
        "A" => "Allow",
        "D" => "Deny",
        _ => return None,
    };
    let (action_key, actions) = match actions.split_at_checked(1)? {
        ("A", rest) => ("Action", rest),
        ("N", rest) => ("NotAction", rest),
        _ => return None,
    };
    let (resource_key, resources) = match resources.split_at_checked(1)? {
        ("R", rest) => (Some("Resource"), rest),
        ("N", rest) => (Some("NotResource"), rest),
        ("-", "") => (None, ""),
        _ => return None,
    };
    let condition = match condition {
        "" => None,
        json => Some(serde_json::from_str::<serde_json::Value>(json).ok().filter(|c| c.is_object())?),
    };
    let mut expanded = Vec::new();
    for run in actions.split(' ').filter(|r| !r.is_empty()) {
        match run.split_once(':') {
            Some((service, names)) => expanded.extend(names.split(',').map(|n| format!("{service}:{n}"))),
            None => expanded.push(run.to_string()),
        }
    }
    if expanded.is_empty() {
        return None;
    }
    let resources = resources.split(' ').filter(|r| !r.is_empty()).collect();
    Some(Line { effect, action_key, actions: expanded, resource_key, resources, condition })
}

/// A JSON value of the table as a model value located at `at`.
fn json_value(json: &serde_json::Value, at: At) -> Value {
    let kind = match json {
        serde_json::Value::Null => ValueKind::Null,
        serde_json::Value::Bool(b) => ValueKind::Bool(*b),
        serde_json::Value::Number(n) => ValueKind::Number(Number::from(n.to_string().as_str())),
        serde_json::Value::String(s) => ValueKind::String(s.clone()),
        serde_json::Value::Array(items) => ValueKind::List(Arc::new(items.iter().map(|i| json_value(i, at)).collect())),
        serde_json::Value::Object(map) => ValueKind::Object(
            map.iter()
                .map(|(k, v)| Entry { key: Key::from(k.as_str()), key_at: at, value: json_value(v, at) })
                .collect(),
        ),
    };
    Value::new(at, kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(value: Option<&Entry>) -> Vec<String> {
        let items = value.and_then(|e| e.value.as_list()).unwrap_or_default();
        items.iter().filter_map(|v| v.as_str().map(str::to_string)).collect()
    }

    #[test]
    fn the_table_reads_whole_and_holds_the_well_known_policies() {
        assert_eq!(INDEX.skipped, 0, "lines of managed-policies.tsv that do not read");
        for policy in all() {
            assert!(
                policy.statements.iter().all(|l| statement(l).is_some()),
                "a statement of {} does not read",
                policy.name
            );
        }
        assert!(all().len() > 1000, "{} policies", all().len());
        assert!(all().iter().all(|p| !p.statements.is_empty()), "a policy without statements");
        assert!(all().iter().all(|p| p.path != "aws-service-role/"));
        for name in [
            "AdministratorAccess",
            "IAMFullAccess",
            "PowerUserAccess",
            "ReadOnlyAccess",
            "job-function/ViewOnlyAccess",
            "SecurityAudit",
            "AmazonS3FullAccess",
            "service-role/AWSLambdaBasicExecutionRole",
            "AmazonEKSClusterPolicy",
        ] {
            assert!(find(name).is_some(), "{name}");
        }
        assert!(find("NoSuchPolicy").is_none());
    }

    #[test]
    fn documents_are_aws_documents_located_at_the_attachment() {
        let at = At::new(crate::model::SourceId(3), crate::source::Span { start: 10, end: 20 });
        let admin = find("AdministratorAccess").unwrap().document(at);
        let statements = admin.get("Statement").and_then(|e| e.value.as_list()).unwrap();
        assert_eq!(statements.len(), 1);
        assert_eq!(statements[0].get("Effect").and_then(|e| e.value.as_str()), Some("Allow"));
        assert_eq!(strings(statements[0].get("Action")), ["*"]);
        assert_eq!(strings(statements[0].get("Resource")), ["*"]);
        assert!(statements[0].get("Action").unwrap().value.as_list().unwrap().iter().all(|v| v.at == at));

        let power = find("PowerUserAccess").unwrap().document(at);
        let first = &power.get("Statement").and_then(|e| e.value.as_list()).unwrap()[0];
        assert!(strings(first.get("NotAction")).contains(&"iam:*".to_string()));
        assert!(first.get("Action").is_none());

        // Runs of one service are written once with their prefix, and read back in full.
        let read_only = find("ReadOnlyAccess").unwrap().document(at);
        let actions = strings(read_only.get("Statement").and_then(|e| e.value.as_list()).unwrap()[0].get("Action"));
        assert!(actions.len() > 500 && actions.iter().all(|a| a.contains(':') && !a.contains(',')));
        for action in
            ["ec2:Describe*", "ec2:DescribeInstanceImageMetadata", "ec2:Get*", "ec2:SearchTransitGatewayRoutes"]
        {
            assert!(actions.iter().any(|a| a == action), "{action}");
        }

        // Conditions come back as JSON objects.
        let compute = find("AmazonEKSComputePolicy").unwrap().document(at);
        let statements = compute.get("Statement").and_then(|e| e.value.as_list()).unwrap();
        assert!(statements.iter().any(|s| s.get("Condition").is_some_and(|c| c.value.as_object().is_some())));
    }

    #[test]
    fn arns_as_terraform_writes_them() {
        for (arn, name) in [
            ("arn:aws:iam::aws:policy/AdministratorAccess", "AdministratorAccess"),
            ("arn:aws-us-gov:iam::aws:policy/IAMFullAccess", "IAMFullAccess"),
            ("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", "AWSLambdaBasicExecutionRole"),
            ("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess", "ViewOnlyAccess"),
            ("arn:${data.aws_partition.current.partition}:iam::aws:policy/PowerUserAccess", "PowerUserAccess"),
            ("arn:${local.partition}:iam::aws:policy/AdministratorAccess", "AdministratorAccess"),
        ] {
            assert_eq!(from_arn(arn).map(|p| p.name), Some(name), "{arn}");
        }
        for not in [
            "arn:aws:iam::123456789012:policy/AdministratorAccess",
            "arn:aws:iam::aws:policy/${var.name}",
            "arn:aws:iam::aws:policy/NoSuchPolicy",
            "arn:aws:iam::aws:policy/ViewOnlyAccess",
            "arn:aws:iam::aws:policy/aws-service-role/AmazonEKSServiceRolePolicy",
            "arn:${a}${b}:iam::aws:policy/AdministratorAccess",
            "arn:other:iam::aws:policy/AdministratorAccess",
            "AdministratorAccess",
        ] {
            assert_eq!(from_arn(not), None, "{not}");
        }
        assert_eq!(
            by_name("viewonlyaccess").map(ManagedPolicy::arn).as_deref(),
            Some("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess")
        );
    }
}
