use crate::diagnostic::Finding;
use crate::fix::{Applicability, Fix, FixEdit};
use crate::model::{Module, ValueKind};
use crate::rule::{Context, Rule, Violation, declare_rule};
use crate::semantic::hosts::{Host, Opt, Options, Tokens};
use crate::semantic::resolve::Resolver;

declare_rule! {
    /// ## What it does
    /// Finds EC2 instances that accept IMDSv1, the instance metadata service without session
    /// tokens:
    /// - `aws_instance`, `aws_launch_template` and `aws_launch_configuration` without a
    ///   `metadata_options` block, or whose `http_tokens` is absent or not `"required"` (absent
    ///   means `optional`), unless `http_endpoint = "disabled"` turns the service off. A launch
    ///   template used by an `aws_eks_node_group` of the same module gets a label there.
    /// - terraform-aws-modules/eks node groups (`eks_managed_node_groups`,
    ///   `self_managed_node_groups`, their `*_defaults` before v21, and the node-group
    ///   submodules) whose `metadata_options.http_tokens` is set to anything but `"required"`.
    ///   The module requires tokens by default since v18, so an absent setting is fine.
    /// - terraform-aws-modules/ec2-instance and autoscaling calls with `http_tokens` set to
    ///   anything but `"required"`, or absent on versions whose default is optional:
    ///   ec2-instance before v6 (`http_tokens = "optional"`), autoscaling before v9 (`{}`, the
    ///   AWS default). When the version allows both, an absent setting is not reported.
    /// - `aws_sagemaker_notebook_instance` without `instance_metadata_service_configuration`, or
    ///   whose `minimum_instance_metadata_service_version` is not `"2"` (the default is `"1"`,
    ///   which accepts IMDSv1).
    ///
    /// Values are resolved through variables, tfvars and locals; unknown values are not reported.
    ///
    /// ## Why is this bad?
    /// IMDSv1 answers plain GET requests, so a server-side request forgery bug in any app on the
    /// instance (or a pod on an EKS node) hands out the instance role's credentials. IMDSv2's
    /// session tokens need a PUT first, which SSRF cannot do. This is how the Capital One breach
    /// obtained its credentials.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_launch_template" "nodes" {
    ///   name_prefix   = "eks-nodes-"
    ///   instance_type = "m6i.large"
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_launch_template" "nodes" {
    ///   name_prefix   = "eks-nodes-"
    ///   instance_type = "m6i.large"
    ///   metadata_options {
    ///     http_endpoint               = "enabled"
    ///     http_tokens                 = "required"
    ///     http_put_response_hop_limit = 1
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Safe: on `aws_instance`, `aws_launch_template`, `aws_launch_configuration` (and
    /// SageMaker notebook instances, with their own block), `check --fix` adds
    /// `metadata_options { http_tokens = "required" }` at the end of the resource, adds
    /// `http_tokens = "required"` to an existing `metadata_options` block, or replaces a literal
    /// `http_tokens` value. A value from a variable or a local, and the inputs of module calls,
    /// are left to you: the fix belongs where the value is decided. Software on the instance that
    /// still calls IMDSv1 (AWS SDKs older than 2019) must be updated first.
    ///
    /// ## Options
    /// None.
    ///
    /// ## References
    /// - [Use IMDSv2](https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html)
    /// - [aws_instance `metadata_options`](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/instance#metadata-options)
    /// - [SageMaker notebook instances: IMDSv2](https://docs.aws.amazon.com/sagemaker/latest/dg/nbi-imds.html)
    /// - [terraform-aws-eks#1749: IMDSv2 required by default from v18](https://github.com/terraform-aws-modules/terraform-aws-eks/issues/1749)
    pub struct Imdsv2Required {}
    id: "imdsv2-required", finding: Some(Finding::Imds), summary: "an instance, launch template or node group that accepts IMDSv1",
    fix: Applicability::Safe,
}

fn violation(host: &Host, resolver: &Resolver<'_>) -> Option<Violation> {
    if host.imds_disabled(resolver) {
        return None;
    }
    let Tokens { block, name, required, default, .. } = host.tokens;
    let v = match (&host.options, host.option(name, resolver)) {
        (Options::Absent { default_required: false, why }, _) => {
            let help = if host.is_resource {
                host.tokens.help.to_string()
            } else {
                format!("add `{block} = {{ {name} = \"{required}\" }}` to the module call")
            };
            Violation::new(host.header, format!("{} accepts IMDSv1, which lets an SSRF bug read its role credentials: {why}", host.name)).help(help)
        }
        (Options::Block { at, .. }, Opt::Absent) => Violation::new(
            *at,
            format!("{} accepts IMDSv1, which lets an SSRF bug read its role credentials: `{name}` is not set, and the default is `{default}`", host.name),
        )
        .help(format!("add `{name} = \"{required}\"` to `{block}`")),
        (_, Opt::Set { use_at, resolved }) => {
            let value = match &resolved.value.kind {
                ValueKind::String(s) => s.clone(),
                ValueKind::Number(n) => n.as_str().to_string(),
                _ => "?".to_string(),
            };
            if value == *required {
                return None;
            }
            let mut v = Violation::new(use_at, format!("{} accepts IMDSv1, which lets an SSRF bug read its role credentials: `{name}` is `{value}`", host.name))
                .help(format!("set `{name} = \"{required}\"`"));
            if let Some((at, why)) = resolved.origin {
                v = v.label(at, why);
            }
            v
        }
        _ => return None,
    };
    let v = host.used_by.iter().fold(v, |v, (at, label)| v.label(*at, label.clone()));
    Some(v.address(Some(&host.address)).fix(fix(host)))
}

/// Requires session tokens where the resource says it: the block, the setting, or its literal
/// value. Module inputs, and values from variables or locals, are left to the owner.
fn fix(host: &Host) -> Option<Fix> {
    if !host.is_resource {
        return None;
    }
    let Tokens { block, name, required, .. } = host.tokens;
    let value = format!("\"{required}\"");
    let edit = match &host.options {
        Options::Absent { default_required: false, .. } => FixEdit::set_attribute(host.at.span, &[block], name, &value),
        Options::Block { block: options, .. } => match options.body.attribute(name) {
            None => FixEdit::set_attribute(options.at.span, &[], name, &value),
            Some(attr) if matches!(attr.value.kind, ValueKind::String(_) | ValueKind::Number(_)) => {
                FixEdit::replace(attr.value.at.span, &value)
            }
            Some(_) => return None,
        },
        _ => return None,
    };
    Some(Fix::safe(format!("require session tokens: `{name} = {value}`"), vec![edit]))
}

impl Rule for Imdsv2Required {
    fn check_module(&self, ctx: &Context<'_>, _module: &Module, out: &mut Vec<Violation>) {
        let resolver = &ctx.semantic.resolver;
        out.extend(ctx.semantic.hosts().iter().filter_map(|host| violation(host, resolver)));
    }
}
