//! M5: a public EKS API endpoint, on `aws_eks_cluster` and on terraform-aws-modules/eks calls.

pub mod public_cidr;
pub mod public_endpoint;
