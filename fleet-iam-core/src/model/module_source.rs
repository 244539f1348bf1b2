//! Module calls of public registry modules: which module a `source` names, and which major
//! versions its `version` constraint (or git `?ref=`) allows, read without downloading anything.

use super::terraform::Block;

/// The registry address (`terraform-aws-modules/eks/aws`) and submodule (`modules/x`) of a
/// module source in registry, `registry.terraform.io/`, git or GitHub form. `None` for local
/// paths and other hosts.
pub fn registry_module(source: &str) -> Option<(&'static str, Option<String>)> {
    let lower = source.to_ascii_lowercase();
    let s = lower.trim_start_matches("git::").trim_start_matches("https://").trim_start_matches("ssh://");
    let s = s.trim_start_matches("git@").trim_start_matches("registry.terraform.io/");
    let (path, submodule) = match s.split_once("//") {
        Some((p, sub)) => (p, Some(sub.split('?').next().unwrap_or(sub).trim_matches('/').to_string())),
        None => (s, None),
    };
    let path = path.split('?').next().unwrap_or(path).trim_end_matches(".git").trim_end_matches('/');
    let path = path.replace("github.com:", "github.com/");
    KNOWN
        .iter()
        .find(|(registry, repo)| path == *registry || path == format!("github.com/{repo}"))
        .map(|(registry, _)| (*registry, submodule))
}

/// The public registry modules this crate knows the inputs of: registry address and repository.
const KNOWN: &[(&str, &str)] = &[
    ("terraform-aws-modules/eks/aws", "terraform-aws-modules/terraform-aws-eks"),
    ("terraform-aws-modules/ec2-instance/aws", "terraform-aws-modules/terraform-aws-ec2-instance"),
    ("terraform-aws-modules/autoscaling/aws", "terraform-aws-modules/terraform-aws-autoscaling"),
    ("terraform-aws-modules/iam/aws", "terraform-aws-modules/terraform-aws-iam"),
    ("terraform-aws-modules/sns/aws", "terraform-aws-modules/terraform-aws-sns"),
    ("cloudposse/iam-role/aws", "cloudposse/terraform-aws-iam-role"),
    ("cloudposse/iam-policy/aws", "cloudposse/terraform-aws-iam-policy"),
];

type Version = (u64, u64, u64);

/// The majors of `candidates` that a module call may use: from its `version` constraint or a
/// git `?ref=vX.Y.Z`. The first candidate stands for every release before the second. All
/// candidates when neither says, or when the constraint cannot be read.
pub fn allowed_majors(call: &Block, candidates: &[u64]) -> Vec<u64> {
    let source = call.body.attribute("source").and_then(|a| a.value.as_str()).unwrap_or_default();
    let constraint = call
        .body
        .attribute("version")
        .and_then(|a| a.value.as_str().map(str::to_string))
        .or_else(|| source.split_once("ref=").map(|(_, r)| r.trim_start_matches('v').to_string()));
    let Some(constraint) = constraint else { return candidates.to_vec() };
    let oldest = candidates.first().copied().unwrap_or(0);
    // Probe each major at its edges and at every version the constraint names.
    let named: Vec<Version> = constraint
        .split(',')
        .filter_map(|p| parse_version(p.trim().trim_start_matches(['~', '>', '<', '=', '!']).trim()))
        .map(|(v, _)| v)
        .collect();
    let allowed: Vec<u64> = candidates
        .iter()
        .copied()
        .filter(|&m| {
            let probes = [(m, 0, 0), (m, 5, 0), (m, 999, 999)].into_iter();
            let near = named
                .iter()
                .filter(|v| v.0 == m || (m == oldest && v.0 < oldest))
                .flat_map(|v| [*v, (v.0, v.1, v.2 + 1)]);
            probes.chain(near).any(|v| satisfies(&constraint, v) == Some(true))
        })
        .collect();
    if allowed.is_empty() { candidates.to_vec() } else { allowed }
}

/// Whether a version satisfies a Terraform version constraint (`~> 20.0`, `>= 19, < 21`);
/// `None` when the constraint cannot be read.
fn satisfies(constraint: &str, v: Version) -> Option<bool> {
    let mut all = true;
    for part in constraint.split(',') {
        let part = part.trim();
        let (op, rest) = ["~>", ">=", "<=", "!=", ">", "<", "="]
            .iter()
            .find_map(|op| part.strip_prefix(op).map(|r| (*op, r.trim())))
            .unwrap_or(("=", part));
        let (want, given) = parse_version(rest)?;
        let ok = match op {
            // `~> 20` allows 20 and above; `~> 20.1` allows 20.x from 20.1; `~> 20.1.2` allows 20.1.x.
            "~>" => {
                let upper = match given {
                    1 => (u64::MAX, 0, 0),
                    2 => (want.0 + 1, 0, 0),
                    _ => (want.0, want.1 + 1, 0),
                };
                v >= want && v < upper
            }
            ">=" => v >= want,
            "<=" => v <= want,
            ">" => v > want,
            "<" => v < want,
            "!=" => v != want,
            _ => match given {
                1 => v.0 == want.0,
                2 => (v.0, v.1) == (want.0, want.1),
                _ => v == want,
            },
        };
        all &= ok;
    }
    Some(all)
}

/// `20.8.4` → ((20, 8, 4), 3 components given).
fn parse_version(text: &str) -> Option<(Version, usize)> {
    let text = text.trim().trim_start_matches('v');
    let text = text.split(['-', '+']).next()?;
    let parts: Vec<u64> = text.split('.').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    match parts.as_slice() {
        [a] => Some(((*a, 0, 0), 1)),
        [a, b] => Some(((*a, *b, 0), 2)),
        [a, b, c] => Some(((*a, *b, *c), 3)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_constraints() {
        assert_eq!(satisfies("~> 20.0", (20, 8, 4)), Some(true));
        assert_eq!(satisfies("~> 20.0", (21, 0, 0)), Some(false));
        assert_eq!(satisfies(">= 19.0, < 20.0", (19, 5, 0)), Some(true));
        assert_eq!(satisfies(">= 19.0, < 20.0", (20, 0, 0)), Some(false));
        assert_eq!(satisfies("20.8.4", (20, 8, 4)), Some(true));
        assert_eq!(satisfies("~> 18.31.2", (18, 31, 9)), Some(true));
        assert_eq!(satisfies("~> 18.31.2", (18, 32, 0)), Some(false));
        assert_eq!(satisfies("latest", (18, 0, 0)), None);
    }

    #[test]
    fn module_sources() {
        let eks = Some(("terraform-aws-modules/eks/aws", None));
        assert_eq!(registry_module("terraform-aws-modules/eks/aws"), eks);
        assert_eq!(registry_module("registry.terraform.io/terraform-aws-modules/eks/aws"), eks);
        assert_eq!(
            registry_module("git::https://github.com/terraform-aws-modules/terraform-aws-eks.git?ref=v20.8.4"),
            eks
        );
        assert_eq!(registry_module("github.com/terraform-aws-modules/terraform-aws-eks"), eks);
        assert_eq!(
            registry_module("terraform-aws-modules/eks/aws//modules/eks-managed-node-group"),
            Some(("terraform-aws-modules/eks/aws", Some("modules/eks-managed-node-group".into())))
        );
        assert_eq!(registry_module("terraform-aws-modules/eks-pod-identity/aws"), None);
        assert_eq!(registry_module("./modules/eks"), None);
        assert_eq!(
            registry_module("git::https://github.com/cloudposse/terraform-aws-iam-role.git?ref=tags/0.23.0"),
            Some(("cloudposse/iam-role/aws", None))
        );
        assert_eq!(
            registry_module("terraform-aws-modules/iam/aws//modules/iam-policy"),
            Some(("terraform-aws-modules/iam/aws", Some("modules/iam-policy".into())))
        );
    }
}
