//! Which directories are root modules: a directory another checked module calls with a local
//! `source` is not one, so its `terraform.tfvars` is not loaded (Terraform ignores it there).
#![allow(clippy::unwrap_used, missing_docs)]

use fleet_iam_core::{Config, Source, SourceKind, check};

const CLUSTER: &str = r#"
variable "public" {
  default = false
}

resource "aws_eks_cluster" "this" {
  name     = "platform"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids             = ["subnet-0a1b2c3d"]
    endpoint_public_access = var.public
  }
}
"#;

/// `eks-public-endpoint` findings when checking `mod/` (whose tfvars make the endpoint public)
/// together with `caller`. Roots are found two ways, which must agree: after the module units
/// when only a directory's own tfvars depend on it, before them when a `--var` makes every root
/// load something.
fn public_endpoints(caller: Option<(&str, &str)>) -> usize {
    let mut sources = vec![
        Source::new("mod/main.tf", CLUSTER, SourceKind::Hcl),
        Source::new("mod/terraform.tfvars", "public = true\n", SourceKind::Tfvars),
    ];
    if let Some((name, text)) = caller {
        let kind = SourceKind::detect(name, text).unwrap();
        sources.push(Source::new(name, text, kind));
    }
    let mut config = Config::recommended();
    config.select(&["eks-public-endpoint".to_string()]).unwrap();
    let after = check(&sources, &config);
    config.vars = vec![("region".into(), "eu-west-1".into())];
    let before = check(&sources, &config);
    assert_eq!(after, before);
    after.diagnostics.len()
}

#[test]
fn a_directory_nobody_calls_loads_its_tfvars() {
    assert_eq!(public_endpoints(None), 1);
    let registry = "module \"eks\" {\n  source = \"terraform-aws-modules/eks/aws\"\n}\n";
    assert_eq!(public_endpoints(Some(("live/main.tf", registry))), 1);
    // Mentions of `./mod` that are not module calls do not make it a child.
    let mention = "# module \"x\" { source = \"../mod\" }\nlocals {\n  module = \"../mod\"\n}\n";
    assert_eq!(public_endpoints(Some(("live/main.tf", mention))), 1);
}

#[test]
fn a_called_directory_keeps_its_defaults() {
    let hcl = "module \"cluster\" {\n  source = \"../mod\"\n}\n";
    assert_eq!(public_endpoints(Some(("live/main.tf", hcl))), 0);
    let unquoted = "module cluster {\n  source = \"./mod\"\n}\n";
    assert_eq!(public_endpoints(Some(("main.tf", unquoted))), 0);
    let json = r#"{"module": {"cluster": {"source": "../mod"}}}"#;
    assert_eq!(public_endpoints(Some(("live/main.tf.json", json))), 0);
}

#[test]
fn calls_written_in_unusual_ways_are_still_calls() {
    for (name, text) in [
        ("live/main.tf", "/* shared */ module \"c\" {\n  source = \"../mod\"\n}\n"),
        ("live/main.tf", "module/*c*/\"c\" {\n  source = \"../mod\"\n}\n"),
        ("live/main.tf", "module \"c\" {\r\n\tsource = \"../mod\"\r\n}\r\n"),
        ("live/main.tf", "module \"c\" {\n  source = \"\\u002e./mod\"\n}\n"),
        // Some JSON writers escape every slash; keys can be escaped too.
        ("live/main.tf.json", r#"{"module": {"c": {"source": "..\/mod"}}}"#),
        ("live/main.tf.json", r#"{"modul\u0065": {"c": {"source": "../mod"}}}"#),
    ] {
        assert_eq!(public_endpoints(Some((name, text))), 0, "{text}");
    }
}
