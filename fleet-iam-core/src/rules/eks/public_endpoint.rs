use crate::diagnostic::Finding;
use crate::fix::{Applicability, Fix, FixEdit};
use crate::model::{Body, Module, ValueKind};
use crate::rule::{Context, Rule, Violation, declare_rule};
use crate::semantic::cidr::Cidr;
use crate::semantic::endpoints::{Endpoint, Setting};

declare_rule! {
    /// ## What it does
    /// Finds EKS clusters whose Kubernetes API endpoint is public: `aws_eks_cluster` with
    /// `vpc_config.endpoint_public_access = true` **or absent** (the AWS provider defaults it to
    /// `true`), and calls of the terraform-aws-modules/eks module with the public endpoint on,
    /// explicitly or by the default of the module version in use. Values are followed through
    /// `var.*` (defaults, tfvars, `--var-file`, `--var`), `local.*` and simple conditionals;
    /// the diagnostic then has a second label where the value was set.
    ///
    /// terraform-aws-modules/eks inputs, read from the module call without downloading it:
    ///
    /// | version | input | default |
    /// |---|---|---|
    /// | before v19 | `cluster_endpoint_public_access` | `true` |
    /// | v19, v20 | `cluster_endpoint_public_access` | `false` |
    /// | v21 | `endpoint_public_access` | `false` |
    ///
    /// The `version` constraint (or a git `?ref=`) decides which majors are possible; when it
    /// is absent or they disagree, only what holds for all of them is reported.
    ///
    /// ## Why is this bad?
    /// A public endpoint puts the cluster's control plane on the internet: every Kubernetes API
    /// vulnerability, leaked kubeconfig or weak OIDC setup is reachable from anywhere. Private
    /// access with a VPN, bastion or CI runner in the VPC removes that whole class of risk.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_eks_cluster" "platform" {
    ///   name     = "platform"
    ///   role_arn = "arn:aws:iam::123456789012:role/eks-cluster"
    ///   vpc_config {
    ///     subnet_ids = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_eks_cluster" "platform" {
    ///   name     = "platform"
    ///   role_arn = "arn:aws:iam::123456789012:role/eks-cluster"
    ///   vpc_config {
    ///     subnet_ids              = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
    ///     endpoint_private_access = true
    ///     endpoint_public_access  = false
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Unsafe (`--unsafe-fixes`): it cuts off every client outside the VPC, so the owner
    /// decides. `check --fix --unsafe-fixes` sets `endpoint_public_access = false` (the
    /// module's input of the version in use) where it is written or at the end of `vpc_config` /
    /// the module call, and `endpoint_private_access = true` when it is absent or `false`, since
    /// EKS refuses a cluster with neither. A switch set from a variable or a local is left to
    /// you: the fix belongs where the value is decided.
    ///
    /// ## Options
    /// - `allowed-cidrs`: CIDR ranges a team accepts for a public endpoint, e.g.
    ///   `allowed-cidrs = ["203.0.113.0/24"]`. A public endpoint whose `public_access_cidrs`
    ///   all lie within them is not reported.
    ///
    /// ## References
    /// - [Amazon EKS cluster endpoint access control](https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html)
    /// - [aws_eks_cluster `vpc_config`](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/eks_cluster#vpc_config)
    /// - [terraform-aws-modules/eks](https://registry.terraform.io/modules/terraform-aws-modules/eks/aws/latest)
    pub struct EksPublicEndpoint {
        /// CIDR ranges accepted for a public endpoint.
        allowed_cidrs: Vec<String>,
    }
    id: "eks-public-endpoint", finding: Some(Finding::M5), summary: "an EKS cluster whose API endpoint is public, explicitly or by default",
    fix: Applicability::Unsafe,
}

impl EksPublicEndpoint {
    /// Whether every CIDR of the endpoint lies within the accepted ranges.
    fn accepted(&self, cidrs: &Setting) -> bool {
        if self.allowed_cidrs.is_empty() {
            return false;
        }
        let allowed: Vec<Cidr> = self.allowed_cidrs.iter().filter_map(|c| Cidr::parse(c)).collect();
        let value = match cidrs {
            Setting::Set { resolved, .. } => &resolved.value,
            Setting::Default { value, .. } => value,
            Setting::Unknown => return false,
        };
        let Some(items) = value.as_list() else { return false };
        !items.is_empty()
            && items
                .iter()
                .all(|i| i.as_str().and_then(Cidr::parse).is_some_and(|c| allowed.iter().any(|a| a.contains(c))))
    }
}

/// Turns the public endpoint off where it is written (or where it would be), and makes sure
/// private access is on, since EKS refuses a cluster with neither. A switch set from a variable
/// or a local is left to the owner.
fn fix(endpoint: &Endpoint) -> Option<Fix> {
    let block = &endpoint.block;
    let (body, path): (Option<&Body>, &[&str]) = if endpoint.is_module {
        (Some(&block.body), &[])
    } else {
        (block.body.blocks("vpc_config").next().map(|b| &b.body), &["vpc_config"])
    };
    let literal = |name: &str| body.and_then(|b| b.attribute(name)).map(|a| (a.value.at.span, a.value.kind.clone()));
    let public = endpoint.public_name;
    let mut edits = Vec::new();
    match literal(public) {
        None => edits.push(FixEdit::set_attribute(block.at.span, path, public, "false")),
        Some((span, ValueKind::Bool(true))) => edits.push(FixEdit::replace(span, "false")),
        Some(_) => return None,
    }
    let private = public.replace("public", "private");
    match literal(&private) {
        None => edits.push(FixEdit::set_attribute(block.at.span, path, &private, "true")),
        Some((_, ValueKind::Bool(true))) => {}
        Some((span, ValueKind::Bool(false))) => edits.push(FixEdit::replace(span, "true")),
        Some(_) => return None,
    }
    Some(Fix::unsafe_(format!("turn the public endpoint off: `{public} = false`, `{private} = true`"), edits))
}

impl Rule for EksPublicEndpoint {
    fn check_module(&self, ctx: &Context<'_>, _module: &Module, out: &mut Vec<Violation>) {
        for endpoint in ctx.semantic.endpoints() {
            if self.accepted(&endpoint.cidrs) {
                continue;
            }
            let name = endpoint.public_name;
            let violation = match &endpoint.public {
                Setting::Set { use_at, resolved } if resolved.as_bool() == Some(true) => {
                    let mut v = Violation::new(
                        *use_at,
                        format!(
                            "the Kubernetes API of `{}` is reachable from the internet: `{name}` is `true`",
                            endpoint.address
                        ),
                    );
                    if let Some((at, why)) = &resolved.origin {
                        v = v.label(*at, why.clone());
                    }
                    v.help(format!(
                        "set `{name} = false` and reach the API privately (VPN, bastion, or CI runners in the VPC)"
                    ))
                }
                Setting::Default { at, value, why } if value.kind == ValueKind::Bool(true) => {
                    let help = if endpoint.is_module {
                        format!("add `{name} = false` to the module call")
                    } else {
                        "add to `vpc_config`:\n    endpoint_private_access = true\n    endpoint_public_access  = false"
                            .to_string()
                    };
                    Violation::new(
                        *at,
                        format!("the Kubernetes API of `{}` is reachable from the internet: {why}", endpoint.address),
                    )
                    .help(help)
                }
                _ => continue,
            };
            out.push(violation.address(Some(&endpoint.address)).fix(fix(endpoint)));
        }
    }
}
