use crate::diagnostic::Finding;
use crate::model::Module;
use crate::rule::{Context, Rule, Violation, declare_rule};
use crate::semantic::hosts::Opt;

declare_rule! {
    /// ## What it does
    /// Finds an instance metadata hop limit (`metadata_options.http_put_response_hop_limit`)
    /// above 1 on a plain instance, or above 2 on a container host: a launch template used by
    /// an `aws_eks_node_group` of the same module or tagged `kubernetes.io/cluster/*`, a
    /// terraform-aws-modules/eks node group, or a terraform-aws-modules/autoscaling group.
    /// Checkov's blanket "must be 1" fires on the setup AWS recommends for EKS; this rule does
    /// not.
    ///
    /// Deliberately not reported: an absent hop limit (the instance gets the default of its AMI
    /// or account, which the configuration does not show), a limit known only at apply, and hosts
    /// whose metadata endpoint is off (`http_endpoint = "disabled"`). Whether IMDSv2 is required
    /// is `imdsv2-required`'s finding.
    ///
    /// ## Why is this bad?
    /// Each network hop (a container bridge, a proxy) decrements the limit. With a limit of 1,
    /// IMDSv2 session tokens cannot leave the instance; 2 lets pods reach the metadata service
    /// through the container network, as EKS nodes need for some add-ons. Anything higher lets
    /// tokens travel further than any workload needs, making stolen credentials easier to use.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_instance" "bastion" {
    ///   ami           = "ami-0c55b159cbfafe1f0"
    ///   instance_type = "t3.micro"
    ///   metadata_options {
    ///     http_tokens                 = "required"
    ///     http_put_response_hop_limit = 3
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_instance" "bastion" {
    ///   ami           = "ami-0c55b159cbfafe1f0"
    ///   instance_type = "t3.micro"
    ///   metadata_options {
    ///     http_tokens                 = "required"
    ///     http_put_response_hop_limit = 1
    ///   }
    /// }
    /// ```
    ///
    /// ## Options
    /// None.
    ///
    /// ## References
    /// - [Instance metadata options: hop limit](https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-existing-instances.html)
    /// - [EKS best practices: restrict access to the instance profile](https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html)
    pub struct ImdsHopLimit {}
    id: "imds-hop-limit", finding: Some(Finding::Imds), summary: "an IMDS hop limit above 1 (above 2 on a container host)",
}

impl Rule for ImdsHopLimit {
    fn check_module(&self, ctx: &Context<'_>, _module: &Module, out: &mut Vec<Violation>) {
        let resolver = &ctx.semantic.resolver;
        for host in ctx.semantic.hosts() {
            if host.imds_disabled(resolver) {
                continue;
            }
            let Opt::Set { use_at, resolved } = host.option("http_put_response_hop_limit", resolver) else { continue };
            let Some(limit) = resolved.as_number() else { continue };
            let max = if host.container { 2.0 } else { 1.0 };
            if limit <= max {
                continue;
            }
            let what = if host.container { "a container host needs at most 2" } else { "a plain instance needs 1" };
            let mut v = Violation::new(
                use_at,
                format!("{} lets IMDS session tokens travel {limit} network hops; {what}", host.name),
            )
            .help(format!("set `http_put_response_hop_limit = {max}`"))
            .address(Some(&host.address));
            if let Some((at, why)) = resolved.origin {
                v = v.label(at, why);
            }
            out.push(host.used_by.iter().fold(v, |v, (at, label)| v.label(*at, label.clone())));
        }
    }
}
