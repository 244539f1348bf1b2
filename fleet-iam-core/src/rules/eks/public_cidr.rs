use crate::diagnostic::Finding;
use crate::fix::{Applicability, Fix, FixEdit};
use crate::model::{Module, ValueKind};
use crate::rule::{Context, Rule, Violation, declare_rule};
use crate::semantic::cidr::Cidr;
use crate::semantic::endpoints::Setting;

declare_rule! {
    /// ## What it does
    /// Finds public EKS API endpoints that are open to the whole internet: the CIDR list
    /// (`public_access_cidrs` on `aws_eks_cluster`, `cluster_endpoint_public_access_cidrs` up to
    /// v20 of terraform-aws-modules/eks, `endpoint_public_access_cidrs` from v21) contains
    /// `0.0.0.0/0` or `::/0`, or is absent or empty (`[]`) while the endpoint is public: EKS,
    /// the AWS provider and every version of the module then default to `["0.0.0.0/0"]`; an
    /// empty list sends none, so the default stays. Endpoints whose public
    /// access is off, or not known before apply, are not reported. Restricted ranges such as
    /// `10.0.0.0/8` or an office `/24` do not fire this rule (`eks-public-endpoint` still
    /// reports the public endpoint itself).
    ///
    /// ## Why is this bad?
    /// With `0.0.0.0/0` anyone on the internet can reach the Kubernetes API server and try
    /// credentials or exploits against it. Limiting the CIDRs to known egress ranges shrinks
    /// that to the networks you control.
    ///
    /// ## Example
    /// ```hcl
    /// module "eks" {
    ///   source  = "terraform-aws-modules/eks/aws"
    ///   version = "~> 20.0"
    ///
    ///   cluster_name                   = "platform"
    ///   cluster_endpoint_public_access = true
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// module "eks" {
    ///   source  = "terraform-aws-modules/eks/aws"
    ///   version = "~> 20.0"
    ///
    ///   cluster_name                         = "platform"
    ///   cluster_endpoint_public_access       = true
    ///   cluster_endpoint_public_access_cidrs = ["203.0.113.0/24"]
    /// }
    /// ```
    ///
    /// ## Fix
    /// Unsafe (`--unsafe-fixes`): clients in the dropped range lose access, so the owner
    /// decides. `check --fix --unsafe-fixes` drops `0.0.0.0/0` (and any other range reported)
    /// from a list written in the resource or module call, when a range the rule accepts
    /// remains: an empty list would be `0.0.0.0/0` again. An absent list, a list with nothing
    /// else, and a list from a variable or a local are left to you: only the owner knows which
    /// ranges need the API.
    ///
    /// ## Options
    /// - `allowed-cidrs`: the ranges a team accepts, e.g. `allowed-cidrs = ["203.0.113.0/24"]`.
    ///   When set, any public CIDR outside them fires too, not only `0.0.0.0/0`.
    ///
    /// ## References
    /// - [Amazon EKS cluster endpoint access control](https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html)
    /// - [aws_eks_cluster `public_access_cidrs`](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/eks_cluster#public_access_cidrs)
    pub struct EksPublicCidr {
        /// Accepted ranges; when set, public CIDRs outside them fire.
        allowed_cidrs: Vec<String>,
    }
    id: "eks-public-cidr", finding: Some(Finding::M5), summary: "a public EKS API endpoint open to 0.0.0.0/0, explicitly or by default",
    fix: Applicability::Unsafe,
}

impl EksPublicCidr {
    /// Why a CIDR is too open, or `None` when it is fine.
    fn too_open(&self, text: &str) -> Option<String> {
        let cidr = Cidr::parse(text)?;
        if cidr.is_everything() {
            return Some(format!("`{text}` opens it to the whole internet"));
        }
        let allowed: Vec<Cidr> = self.allowed_cidrs.iter().filter_map(|c| Cidr::parse(c)).collect();
        (!allowed.is_empty() && cidr.is_public() && !allowed.iter().any(|a| a.contains(cidr)))
            .then(|| format!("`{text}` is a public range outside `allowed-cidrs`"))
    }
}

impl Rule for EksPublicCidr {
    fn check_module(&self, ctx: &Context<'_>, _module: &Module, out: &mut Vec<Violation>) {
        for endpoint in ctx.semantic.endpoints() {
            let public = match &endpoint.public {
                Setting::Set { resolved, .. } => resolved.as_bool() == Some(true),
                Setting::Default { value, .. } => value.kind == ValueKind::Bool(true),
                Setting::Unknown => false,
            };
            if !public {
                continue;
            }
            let name = endpoint.cidrs_name;
            let help = format!("list the ranges that need the API, e.g. `{name} = [\"203.0.113.0/24\"]`");
            match &endpoint.cidrs {
                Setting::Set { use_at, resolved } => {
                    let items = resolved.value.as_list().unwrap_or_default();
                    // Dropping the open ranges must leave one: an empty list is `0.0.0.0/0` again.
                    let keeps_one = items.iter().any(|i| i.as_str().is_some_and(|t| self.too_open(t).is_none()));
                    for item in items {
                        let Some(reason) = item.as_str().and_then(|t| self.too_open(t)) else { continue };
                        // Point at the CIDR where it is written here, else at the use with a label
                        // where the value was set.
                        let inline = item.at.source == use_at.source
                            && item.at.span.start >= use_at.span.start
                            && item.at.span.end <= use_at.span.end;
                        let mut v = Violation::new(
                            if inline { item.at } else { *use_at },
                            format!(
                                "the public Kubernetes API of `{}` accepts connections from anywhere: {reason}",
                                endpoint.address
                            ),
                        );
                        if !inline && let Some((at, why)) = &resolved.origin {
                            v = v.label(*at, why.clone());
                        }
                        let fix = (inline && keeps_one && resolved.origin.is_none()).then(|| {
                            Fix::unsafe_(
                                format!("drop `{}` from `{name}`", item.as_str().unwrap_or_default()),
                                vec![FixEdit::RemoveElement { element: item.at.span }],
                            )
                        });
                        out.push(v.help(help.clone()).address(Some(&endpoint.address)).fix(fix));
                    }
                }
                Setting::Default { at, why, .. } => out.push(
                    Violation::new(
                        *at,
                        format!(
                            "the public Kubernetes API of `{}` accepts connections from anywhere: {why}",
                            endpoint.address
                        ),
                    )
                    .help(help)
                    .address(Some(&endpoint.address)),
                ),
                Setting::Unknown => {}
            }
        }
    }
}
