//! Issue 12, the property: small trees with random secrets in every position the parsers know
//! (secret-named literals in `.tf`, `.tfvars` and `.tf.json`; `\uXXXX` escapes; secret-named
//! heredocs; credential formats in comments and map keys; plan values under secret names, under
//! `after_sensitive`, in credential formats and as `for_each` keys; secret-named assignments on
//! lines that do not parse). No output path (the five formats, stderr, the baseline file, a
//! later `--baseline` run) shows a secret or a 4-character piece unique to one.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod safety;

use proptest::prelude::*;
use proptest::test_runner::Config;
use safety::{Lcg, Tree, assert_no_leak, check_all, escaped};
use serde_json::{Value, json};

/// Where a secret can sit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Position {
    TfLiteral,
    Tfvars,
    TfJson,
    EscapedHcl,
    EscapedTfJson,
    Heredoc,
    Comment,
    MapKey,
    PlanAttribute,
    PlanSensitive,
    PlanCredential,
    PlanForEachKey,
    PlanEscaped,
    BrokenTf,
    BrokenTfJson,
    BrokenTfvars,
}

const POSITIONS: [Position; 16] = [
    Position::TfLiteral,
    Position::Tfvars,
    Position::TfJson,
    Position::EscapedHcl,
    Position::EscapedTfJson,
    Position::Heredoc,
    Position::Comment,
    Position::MapKey,
    Position::PlanAttribute,
    Position::PlanSensitive,
    Position::PlanCredential,
    Position::PlanForEachKey,
    Position::PlanEscaped,
    Position::BrokenTf,
    Position::BrokenTfJson,
    Position::BrokenTfvars,
];

/// A `resource_changes` entry that creates `address`.
fn change(address: &str, kind: &str, name: &str, index: Option<&str>, after: Value, after_sensitive: Value) -> Value {
    let mut change = json!({
        "address": address, "mode": "managed", "type": kind, "name": name,
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "change": {
            "actions": ["create"], "before": null, "after": after,
            "after_unknown": { "id": true }, "before_sensitive": false, "after_sensitive": after_sensitive
        }
    });
    if let Some(index) = index {
        change["index"] = index.into();
    }
    change
}

/// An instance that accepts IMDSv1, so that the plan always has a finding and an excerpt.
fn instance(address: &str, name: &str, index: Option<&str>, user_data: &str) -> Value {
    change(
        address,
        "aws_instance",
        name,
        index,
        json!({
            "ami": "ami-0c55b159cbfafe1f0", "instance_type": "t3.micro", "user_data": user_data,
            "metadata_options": [{ "http_endpoint": "enabled", "http_tokens": "optional" }]
        }),
        json!({ "metadata_options": [{}] }),
    )
}

/// The tree of one case: the secrets of `positions`, drawn from `seed`, `lengths[i]` long.
fn tree(seed: u64, positions: &[Position], lengths: &[usize]) -> Tree {
    let mut rng = Lcg::new(seed);
    let mut t = Tree::new();
    let mut main = String::new();
    let mut comment = String::new();
    let mut variables = json!({ "region": { "value": "eu-west-1" } });
    let mut config_variables = json!({ "region": {} });
    let mut changes = Vec::new();
    let mut user_data = "#!/bin/bash\nyum install -y docker".to_string();
    let mut plan_escaped = None;
    for (&position, &len) in positions.iter().zip(lengths) {
        let credential = if rng.below(2) == 0 { rng.github_token() } else { rng.aws_key_id() };
        let secret = match position {
            Position::Comment | Position::MapKey | Position::PlanCredential => t.secret(credential),
            _ => t.secret(rng.secret(len)),
        };
        match position {
            Position::TfLiteral => main.push_str(&format!(
                "resource \"aws_db_instance\" \"literal\" {{\n  engine   = \"postgres\"\n  username = \"app\"\n  password = \"{secret}\"\n}}\n\n"
            )),
            Position::Tfvars => {
                main.push_str("variable \"db_password\" {\n  type      = string\n  sensitive = true\n}\n\n");
                t.write("terraform.tfvars", &format!("region      = \"eu-west-1\"\ndb_password = \"{secret}\"\n"));
            }
            Position::TfJson => t.write(
                "db.tf.json",
                &format!("{{\n  \"resource\": {{\n    \"aws_db_instance\": {{\n      \"json\": {{\n        \"engine\": \"postgres\",\n        \"password\": \"{secret}\"\n      }}\n    }}\n  }}\n}}\n"),
            ),
            Position::EscapedHcl => main.push_str(&format!(
                "resource \"aws_rds_cluster\" \"escaped\" {{\n  engine          = \"aurora-postgresql\"\n  master_password = \"{}\"\n}}\n\n",
                escaped(&secret)
            )),
            Position::EscapedTfJson => t.write(
                "escaped.tf.json",
                &format!("{{\"locals\": {{\"api_token\": \"{}\"}}}}\n", escaped(&secret)),
            ),
            Position::Heredoc => main.push_str(&format!("locals {{\n  webhook_secret = <<-EOT\n    {secret}\n  EOT\n}}\n\n")),
            Position::Comment => comment = format!(" # old deploy credential {secret}"),
            Position::MapKey => {
                main.push_str(&format!("resource \"aws_instance\" \"tagged\" {{ tags = {{ \"{secret}\" = \"owner\" }} }}\n\n"));
            }
            Position::PlanAttribute => changes.push(change(
                "aws_db_instance.plan",
                "aws_db_instance",
                "plan",
                None,
                json!({ "engine": "postgres", "identifier": "plan", "password": secret }),
                json!({}),
            )),
            Position::PlanSensitive => changes.push(change(
                "aws_ssm_parameter.token",
                "aws_ssm_parameter",
                "token",
                None,
                json!({ "name": "/ci/token", "type": "SecureString", "value": secret }),
                json!({ "value": true }),
            )),
            Position::PlanCredential => user_data = format!("#!/bin/bash\nexport DEPLOY_CREDENTIAL={secret}\n"),
            Position::PlanForEachKey => {
                variables["db_password"] = json!({ "value": secret });
                config_variables["db_password"] = json!({ "sensitive": true });
                changes.push(instance(&format!("aws_instance.keyed[{}]", json!(secret)), "keyed", Some(&secret), "#!/bin/bash"));
            }
            Position::PlanEscaped => {
                changes.push(change(
                    "aws_db_instance.escaped",
                    "aws_db_instance",
                    "escaped",
                    None,
                    json!({ "engine": "postgres", "identifier": "escaped", "password": "@@ESCAPED@@" }),
                    json!({}),
                ));
                plan_escaped = Some(escaped(&secret));
            }
            Position::BrokenTf => t.write(
                "broken/main.tf",
                &format!("resource \"aws_db_instance\" \"broken\" {{\n  engine   = \"postgres\"\n  password = \"{secret}\" +\n}}\n"),
            ),
            Position::BrokenTfJson => {
                t.write("broken/db.tf.json", &format!("{{\"resource\": {{\"aws_db_instance\": {{\"b\": {{\"password\": \"{secret}\",}}}}}}}}\n"));
            }
            Position::BrokenTfvars => t.write("broken/prod.tfvars", &format!("api_token = \"{secret}\" \"x\"\n")),
        }
    }
    main.push_str(&format!(
        "resource \"aws_iam_policy\" \"ci\" {{\n  policy = jsonencode({{\n    Statement = [{{ Effect = \"Allow\", Action = \"*\", Resource = \"*\" }}]{comment}\n  }})\n}}\n"
    ));
    t.write("main.tf", &main);
    if positions.iter().any(|p| format!("{p:?}").starts_with("Plan")) {
        changes.push(instance("aws_instance.ci", "ci", None, &user_data));
        let mut plan = json!({
            "format_version": "1.2", "terraform_version": "1.9.5",
            "variables": variables,
            "planned_values": { "root_module": { "resources": [] } },
            "resource_changes": changes,
            "configuration": { "root_module": { "variables": config_variables } }
        })
        .to_string();
        if let Some(escaped) = plan_escaped {
            plan = plan.replace("@@ESCAPED@@", &escaped);
        }
        t.write("plan/tfplan.json", &plan);
    }
    t
}

proptest! {
    #![proptest_config(Config { cases: 24, max_shrink_iters: 8, failure_persistence: None, ..Config::default() })]

    #[test]
    fn no_output_shows_a_secret_from_any_position(
        seed in any::<u64>(),
        chosen in 1u32..(1 << POSITIONS.len()),
        lengths in proptest::collection::vec(6usize..28, POSITIONS.len()),
    ) {
        let positions: Vec<Position> = POSITIONS.iter().enumerate().filter(|(i, _)| chosen & (1 << i) != 0).map(|(_, p)| *p).collect();
        let t = tree(seed, &positions, &lengths);
        let out = check_all(t.root(), &[]);
        prop_assert_eq!(out.code, 1);
        prop_assert!(!out.findings_of("iam-wildcard-action", "main.tf").is_empty(), "the witness is reported:\n{}", out.compact);
        if positions.iter().any(|p| *p != Position::PlanSensitive) {
            prop_assert!(out.text.contains("****"), "a secret is shown masked:\n{}", out.text);
        }
        assert_no_leak(&t, &out);
    }
}
