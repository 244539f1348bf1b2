//! M5's meaning: the endpoint configuration of every EKS cluster a module declares, as an
//! `aws_eks_cluster` or a terraform-aws-modules/eks call, with the defaults of each version.

use super::module_source;
use super::resolve::{Resolved, Resolver, is_known};
use crate::model::{At, Block, Value, ValueKind};

/// One setting of an EKS endpoint, as far as it can be known.
#[non_exhaustive]
pub enum Setting {
    /// Written (directly or through a variable): the use, and the resolved value.
    Set {
        /// Where it is used.
        use_at: At,
        /// Its value, and where that was written.
        resolved: Resolved,
    },
    /// Not written: the default applies. `at` is the block that lacks it; `why` names the default.
    Default {
        /// The block that lacks it.
        at: At,
        /// The default value.
        value: Value,
        /// Which default applies, for messages.
        why: String,
    },
    /// Not known before apply, or the possible module versions disagree.
    Unknown,
}

/// The endpoint configuration of one cluster.
pub struct Endpoint {
    /// `aws_eks_cluster.this` or `module.eks`.
    pub address: String,
    /// The name of the public-access switch as written or expected (`endpoint_public_access`).
    pub public_name: &'static str,
    /// The name of the CIDR list.
    pub cidrs_name: &'static str,
    /// The public-access switch.
    pub public: Setting,
    /// The CIDR list.
    pub cidrs: Setting,
    /// Whether this is a module call (the help text differs).
    pub is_module: bool,
    /// The `aws_eks_cluster` resource or the module call.
    pub block: Block,
}

/// Every EKS cluster endpoint a module declares.
pub fn endpoints(resolver: &Resolver<'_>) -> Vec<Endpoint> {
    let module = resolver.module();
    let mut out = Vec::new();
    for cluster in module.resources("aws_eks_cluster") {
        out.extend(cluster_endpoint(cluster, resolver));
    }
    for call in module.blocks.iter().filter(|b| b.ident == "module") {
        out.extend(module_endpoint(call, resolver));
    }
    out
}

fn everything(at: At) -> Value {
    Value::new(at, ValueKind::List(vec![Value::new(at, ValueKind::String("0.0.0.0/0".into()))].into()))
}

fn setting(body: &crate::model::Body, name: &str, resolver: &Resolver<'_>) -> Option<Setting> {
    let attr = body.attribute(name)?;
    let resolved = resolver.resolve(&attr.value);
    // An empty CIDR list is no list to EKS: the provider sends none, and the endpoint keeps its
    // default, `0.0.0.0/0`.
    if resolved.value.as_list().is_some_and(<[Value]>::is_empty) {
        let at = attr.value.at;
        let mut why = format!("an empty `{name}` leaves the endpoint at EKS's default, `0.0.0.0/0`");
        if let Some((_, origin)) = &resolved.origin {
            why = format!("{why} ({origin})");
        }
        return Some(Setting::Default { at, value: everything(at), why });
    }
    Some(if is_known(&resolved.value) { Setting::Set { use_at: attr.value.at, resolved } } else { Setting::Unknown })
}

fn cluster_endpoint(cluster: &Block, resolver: &Resolver<'_>) -> Option<Endpoint> {
    let address = cluster.address()?;
    // A `dynamic "vpc_config"` block is only known at apply time.
    if cluster.body.blocks("dynamic").any(|d| d.label(0) == Some("vpc_config")) {
        return None;
    }
    let vpc = cluster.body.blocks("vpc_config").next();
    let (body, at) = match vpc {
        Some(vpc) => (Some(&vpc.body), vpc.header),
        None => (None, cluster.header),
    };
    let public =
        body.and_then(|b| setting(b, "endpoint_public_access", resolver)).unwrap_or_else(|| Setting::Default {
            at,
            value: Value::new(at, ValueKind::Bool(true)),
            why: "the AWS provider defaults `endpoint_public_access` to `true`".into(),
        });
    let cidrs = body.and_then(|b| setting(b, "public_access_cidrs", resolver)).unwrap_or_else(|| Setting::Default {
        at,
        value: everything(at),
        why: "without `public_access_cidrs`, EKS opens the public endpoint to `0.0.0.0/0`".into(),
    });
    Some(Endpoint {
        address,
        public_name: "endpoint_public_access",
        cidrs_name: "public_access_cidrs",
        public,
        cidrs,
        is_module: false,
        block: cluster.clone(),
    })
}

/// Major versions of the module with their own defaults; `16` stands for every release before 17.
const MAJORS: &[u64] = &[16, 17, 18, 19, 20, 21];

/// The public-access input name and default of a major version.
fn public_input(major: u64) -> (&'static str, bool) {
    match major {
        ..=18 => ("cluster_endpoint_public_access", true),
        19 | 20 => ("cluster_endpoint_public_access", false),
        _ => ("endpoint_public_access", false),
    }
}

fn cidrs_input(major: u64) -> &'static str {
    if major >= 21 { "endpoint_public_access_cidrs" } else { "cluster_endpoint_public_access_cidrs" }
}

fn module_endpoint(call: &Block, resolver: &Resolver<'_>) -> Option<Endpoint> {
    let source = call.body.attribute("source")?.value.as_str()?;
    if module_source::registry_module(source) != Some(("terraform-aws-modules/eks/aws", None)) {
        return None;
    }
    let address = call.address()?;
    let majors = module_source::allowed_majors(call, MAJORS);
    let mut names: Vec<(&'static str, bool)> = majors.iter().map(|&m| public_input(m)).collect();
    names.dedup();
    let public_written = names.iter().find_map(|(n, _)| setting(&call.body, n, resolver).map(|s| (*n, s)));
    let (public_name, public) = match public_written {
        Some((name, s)) => (name, s),
        None => {
            let (name, default) = names[0];
            let agree = names.iter().all(|(_, d)| *d == default);
            let setting = if agree {
                Setting::Default {
                    at: call.header,
                    value: Value::new(call.header, ValueKind::Bool(default)),
                    why: format!("{} defaults `{name}` to `{default}`", versions_text(&majors)),
                }
            } else {
                Setting::Unknown
            };
            (name, setting)
        }
    };
    let mut cidr_names: Vec<&'static str> = majors.iter().map(|&m| cidrs_input(m)).collect();
    cidr_names.dedup();
    let cidrs_written = cidr_names.iter().find_map(|n| setting(&call.body, n, resolver).map(|s| (*n, s)));
    let (cidrs_name, cidrs) = match cidrs_written {
        Some((name, s)) => (name, s),
        None => (
            cidr_names[0],
            Setting::Default {
                at: call.header,
                value: everything(call.header),
                why: format!("{} defaults `{}` to `[\"0.0.0.0/0\"]`", versions_text(&majors), cidr_names[0]),
            },
        ),
    };
    Some(Endpoint { address, public_name, cidrs_name, public, cidrs, is_module: true, block: call.clone() })
}

fn versions_text(majors: &[u64]) -> String {
    let named: Vec<String> =
        majors.iter().map(|m| if *m == 16 { "<17".to_string() } else { format!("v{m}") }).collect();
    match named.as_slice() {
        [one] => format!("terraform-aws-modules/eks {one}"),
        _ => format!("terraform-aws-modules/eks ({})", named.join(", ")),
    }
}
