//! IMDS's meaning: everything that runs EC2 instances (instances, launch templates, node groups
//! of terraform-aws-modules calls, SageMaker notebook instances) with the metadata options it
//! gets, written or by default.

use super::module_source;
use super::resolve::{Resolved, Resolver, is_known};
use crate::model::{At, Block, Entry, Module, Value, ValueKind};

/// Resource types that launch EC2 instances with their own `metadata_options` block.
const RESOURCE_TYPES: &[&str] = &["aws_instance", "aws_launch_template", "aws_launch_configuration"];

/// How a kind of host is told to require IMDSv2 session tokens.
#[derive(Debug, PartialEq, Eq)]
pub struct Tokens {
    /// The block (or module input object) that holds the setting.
    pub block: &'static str,
    /// The setting.
    pub name: &'static str,
    /// The value that requires tokens.
    pub required: &'static str,
    /// The value when the setting is absent.
    pub default: &'static str,
    /// The block to add when it is absent.
    pub help: &'static str,
}

/// EC2 instances, launch templates and configurations, and the node groups and instances of
/// modules: `metadata_options.http_tokens`.
pub const EC2: Tokens = Tokens {
    block: "metadata_options",
    name: "http_tokens",
    required: "required",
    default: "optional",
    help: "add:\n    metadata_options {\n      http_endpoint = \"enabled\"\n      http_tokens   = \"required\"\n    }",
};

/// SageMaker notebook instances:
/// `instance_metadata_service_configuration.minimum_instance_metadata_service_version`.
pub const SAGEMAKER: Tokens = Tokens {
    block: "instance_metadata_service_configuration",
    name: "minimum_instance_metadata_service_version",
    required: "2",
    default: "1",
    help: "add:\n    instance_metadata_service_configuration {\n      minimum_instance_metadata_service_version = \"2\"\n    }",
};

/// One `metadata_options` setting, as far as it can be known.
#[non_exhaustive]
pub enum Opt {
    /// Written: where it is used, and its resolved value.
    Set {
        /// Where it is used.
        use_at: At,
        /// Its value, and where that was written.
        resolved: Resolved,
    },
    /// Not written.
    Absent,
    /// Not known before apply.
    Unknown,
}

/// Where the metadata options of a host come from.
#[non_exhaustive]
pub enum Options {
    /// A resource's `metadata_options` block (`at` is its header).
    Block {
        /// The block's header.
        at: At,
        /// The block.
        block: Block,
    },
    /// A module input object (`metadata_options = { ... }`), resolved.
    Object {
        /// The object, resolved (`Unknown` when it is not known).
        value: Value,
    },
    /// Nothing written; `default_required` says whether the default requires tokens, `why`
    /// names the default.
    Absent {
        /// Whether the default requires session tokens.
        default_required: bool,
        /// Which default applies, for messages.
        why: String,
    },
}

/// Something that runs instances: a resource, or a node group or instance of a module.
pub struct Host {
    /// `aws_instance.web`, `module.eks` (node group `general`).
    pub address: String,
    /// A readable name for messages (`node group `general` of `module.eks``).
    pub name: String,
    /// Where a diagnostic about the host as a whole points.
    pub header: At,
    /// The whole block of the resource or module call.
    pub at: At,
    /// Whether containers run on it (EKS nodes): a hop limit of 2 is then expected.
    pub container: bool,
    /// Its metadata options.
    pub options: Options,
    /// Secondary labels: who uses this launch template.
    pub used_by: Vec<(At, String)>,
    /// Whether this is a resource (the help shows a block) or a module input (an object).
    pub is_resource: bool,
    /// How it is told to require session tokens.
    pub tokens: &'static Tokens,
}

impl Host {
    /// A setting of the metadata options.
    pub fn option(&self, name: &str, resolver: &Resolver<'_>) -> Opt {
        match &self.options {
            Options::Block { block, .. } => match block.body.attribute(name) {
                Some(attr) => known(attr.value.at, resolver.resolve(&attr.value)),
                None => Opt::Absent,
            },
            Options::Object { value, .. } => match value.get(name) {
                Some(entry) => known(entry.value.at, Resolved { value: entry.value.clone(), origin: None }),
                None if value.as_object().is_some() => Opt::Absent,
                None => Opt::Unknown,
            },
            Options::Absent { .. } => Opt::Absent,
        }
    }

    /// Whether IMDS is turned off altogether (`http_endpoint = "disabled"`).
    pub fn imds_disabled(&self, resolver: &Resolver<'_>) -> bool {
        matches!(self.option("http_endpoint", resolver), Opt::Set { resolved, .. } if resolved.as_str() == Some("disabled"))
    }
}

fn known(use_at: At, resolved: Resolved) -> Opt {
    if is_known(&resolved.value) { Opt::Set { use_at, resolved } } else { Opt::Unknown }
}

/// Every host a module declares.
pub fn hosts(resolver: &Resolver<'_>) -> Vec<Host> {
    let module = resolver.module();
    let mut out = Vec::new();
    for block in module.blocks.iter().filter(|b| b.ident == "resource") {
        let Some(kind) = block.label(0).filter(|k| RESOURCE_TYPES.contains(k)) else { continue };
        let Some(address) = block.address() else { continue };
        if block.body.blocks("dynamic").any(|d| d.label(0) == Some("metadata_options")) {
            continue;
        }
        let used_by = node_groups_using(module, block);
        let container = !used_by.is_empty() || tagged_for_kubernetes(block);
        let options = match block.body.blocks("metadata_options").next() {
            Some(mo) => Options::Block { at: mo.header, block: mo.clone() },
            None => Options::Absent {
                default_required: false,
                why: format!("`{kind}` without `metadata_options` leaves `http_tokens` at `optional`"),
            },
        };
        out.push(Host {
            name: format!("`{address}`"),
            address,
            header: block.header,
            at: block.at,
            container,
            options,
            used_by,
            is_resource: true,
            tokens: &EC2,
        });
    }
    for block in module.resources("aws_sagemaker_notebook_instance") {
        let Some(address) = block.address() else { continue };
        if block.body.blocks("dynamic").any(|d| d.label(0) == Some(SAGEMAKER.block)) {
            continue;
        }
        let options = match block.body.blocks(SAGEMAKER.block).next() {
            Some(config) => Options::Block { at: config.header, block: config.clone() },
            None => Options::Absent {
                default_required: false,
                why: format!(
                    "`aws_sagemaker_notebook_instance` without `{}` leaves `{}` at `{}`",
                    SAGEMAKER.block, SAGEMAKER.name, SAGEMAKER.default
                ),
            },
        };
        out.push(Host {
            name: format!("`{address}`"),
            address,
            header: block.header,
            at: block.at,
            container: false,
            options,
            used_by: Vec::new(),
            is_resource: true,
            tokens: &SAGEMAKER,
        });
    }
    for call in module.blocks.iter().filter(|b| b.ident == "module") {
        module_hosts(call, resolver, &mut out);
    }
    out
}

/// `aws_eks_node_group` blocks of the module whose `launch_template` names this template.
fn node_groups_using(module: &Module, template: &Block) -> Vec<(At, String)> {
    if template.label(0) != Some("aws_launch_template") {
        return Vec::new();
    }
    let Some(name) = template.label(1) else { return Vec::new() };
    let prefix = format!("aws_launch_template.{name}.");
    module
        .resources("aws_eks_node_group")
        .filter_map(|group| {
            let lt = group.body.blocks("launch_template").next()?;
            let refers =
                lt.body.attributes.iter().any(|a| a.value.as_reference().is_some_and(|r| r.starts_with(&prefix)));
            refers.then(|| (lt.header, format!("used by the EKS node group `{}`", group.address().unwrap_or_default())))
        })
        .collect()
}

/// Whether the template's tags mark it as a Kubernetes node (`kubernetes.io/cluster/NAME`).
fn tagged_for_kubernetes(block: &Block) -> bool {
    let has_tag = |value: &Value| {
        value.as_object().is_some_and(|entries| entries.iter().any(|e| e.key.starts_with("kubernetes.io/cluster/")))
    };
    block.body.attribute("tags").is_some_and(|t| has_tag(&t.value))
        || block.body.blocks("tag_specifications").any(|t| t.body.attribute("tags").is_some_and(|t| has_tag(&t.value)))
}

/// Node groups and instances of terraform-aws-modules calls: eks (node group maps, their
/// `*_defaults` before v21, and the node-group submodules), ec2-instance and autoscaling.
fn module_hosts(call: &Block, resolver: &Resolver<'_>, out: &mut Vec<Host>) {
    let Some(source) = call.body.attribute("source").and_then(|a| a.value.as_str()) else { return };
    let Some((module, submodule)) = module_source::registry_module(source) else { return };
    let Some(address) = call.address() else { return };
    let host = |name: String, options: Options, container: bool| Host {
        address: address.clone(),
        name,
        header: call.header,
        at: call.at,
        container,
        options,
        used_by: Vec::new(),
        is_resource: false,
        tokens: &EC2,
    };
    match (module, submodule.as_deref()) {
        ("terraform-aws-modules/eks/aws", None) => {
            for input in ["eks_managed_node_groups", "self_managed_node_groups"] {
                let Some(attr) = call.body.attribute(input) else { continue };
                let groups = resolver.resolve(&attr.value).value;
                for group in groups.as_object().unwrap_or_default() {
                    if let Some(options) = object_options(group) {
                        out.push(host(format!("node group `{}` of `{address}`", group.key), options, true));
                    }
                }
            }
            for input in ["eks_managed_node_group_defaults", "self_managed_node_group_defaults"] {
                let Some(attr) = call.body.attribute(input) else { continue };
                let defaults = resolver.resolve(&attr.value).value;
                let entry = Entry { key: input.into(), key_at: attr.key_at, value: defaults };
                if let Some(options) = object_options(&entry) {
                    out.push(host(format!("`{input}` of `{address}`"), options, true));
                }
            }
        }
        ("terraform-aws-modules/eks/aws", Some(sub)) if sub.ends_with("node-group") => {
            if let Some(options) = input_options(call, resolver) {
                out.push(host(format!("`{address}`"), options, true));
            }
        }
        ("terraform-aws-modules/ec2-instance/aws", None) => {
            // v5 and older default `http_tokens` to "optional"; v6 requires tokens.
            let options =
                input_options(call, resolver).unwrap_or_else(|| absent_by_version(call, &[5, 6], 6, "ec2-instance"));
            out.push(host(format!("`{address}`"), options, false));
        }
        ("terraform-aws-modules/autoscaling/aws", None) => {
            // v8 and older pass `{}` (the AWS default, optional); v9 requires tokens.
            let options =
                input_options(call, resolver).unwrap_or_else(|| absent_by_version(call, &[8, 9], 9, "autoscaling"));
            // An autoscaling group may run EKS nodes: the container hop limit applies.
            out.push(host(format!("`{address}`"), options, true));
        }
        _ => {}
    }
}

/// The `metadata_options` object of a node group entry, if written; `None` when absent (the
/// module default, which requires tokens, applies).
fn object_options(group: &Entry) -> Option<Options> {
    let options = group.value.get("metadata_options")?;
    Some(Options::Object { value: options.value.clone() })
}

/// A module call's own `metadata_options` input.
fn input_options(call: &Block, resolver: &Resolver<'_>) -> Option<Options> {
    let attr = call.body.attribute("metadata_options")?;
    Some(Options::Object { value: resolver.resolve(&attr.value).value })
}

/// The default of a module whose majors before `required_from` leave tokens optional. When the
/// version allows both, nothing is known.
fn absent_by_version(call: &Block, candidates: &[u64], required_from: u64, name: &str) -> Options {
    let majors = module_source::allowed_majors(call, candidates);
    if majors.iter().all(|m| *m < required_from) {
        Options::Absent {
            default_required: false,
            why: format!("terraform-aws-modules/{name} before v{required_from} defaults `http_tokens` to `optional`"),
        }
    } else if majors.iter().all(|m| *m >= required_from) {
        Options::Absent { default_required: true, why: String::new() }
    } else {
        Options::Object { value: Value::new(call.header, ValueKind::Unknown) }
    }
}
