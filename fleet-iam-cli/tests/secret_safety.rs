//! Issue 12, "Never print a secret, never hang": one black-box test per class of leak, through
//! the binary. Every test builds a small tree with random secrets, runs every output path (the
//! five formats, `--write-baseline`'s file, stderr, a later `--baseline` run) and checks that
//! none shows a secret, a 4-character piece of one, its escaped form or its length; and that
//! what should be reported is, with `****` where the secret was.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod safety;

use safety::{Lcg, Outputs, Tree, assert_no_leak, check_all, escaped, fleet_iam_in, github_findings, pem};
use serde_json::{Value, json};

/// `text` holds `needle`, or the test fails showing `text`.
#[track_caller]
fn assert_shows(what: &str, text: &str, needle: &str) {
    assert!(text.contains(needle), "{what} should show `{needle}`:\n{text}");
}

/// Every finding of the JSON, SARIF and github reports that starts at `(path, line, column)`
/// (where a secret starts) is a point, and there is at least one.
#[track_caller]
fn assert_points_at(out: &Outputs, path: &str, (line, column): (u64, u64)) {
    let json: Vec<&Value> =
        out.findings().iter().filter(|f| f["path"] == path && f["line"] == line && f["column"] == column).collect();
    assert!(!json.is_empty(), "no finding starts at the secret in {path}:{line}:{column}:\n{:#}", out.json);
    for f in json {
        assert_eq!(
            (&f["end_line"], &f["end_column"]),
            (&json!(line), &json!(column)),
            "JSON end of a secret span: {f:#}"
        );
    }
    let mut sarif = 0;
    for r in out.sarif_results() {
        let location = &r["locations"][0]["physicalLocation"];
        let region = &location["region"];
        if location["artifactLocation"]["uri"] == path && region["startLine"] == line && region["startColumn"] == column
        {
            sarif += 1;
            assert!(region["endLine"].is_null() || region["endLine"] == line, "SARIF endLine of a secret span: {r:#}");
            assert!(
                region["endColumn"].is_null() || region["endColumn"] == column,
                "SARIF endColumn of a secret span: {r:#}"
            );
        }
    }
    assert!(sarif > 0, "no SARIF result starts at the secret in {path}:{line}:{column}");
    let (line, column) = (line.to_string(), column.to_string());
    let mut github = 0;
    for f in github_findings(&out.github) {
        if f.get("file").map(String::as_str) == Some(path)
            && f.get("line") == Some(&line)
            && f.get("col") == Some(&column)
        {
            github += 1;
            assert!(f.get("endLine").is_none_or(|l| *l == line), "github endLine of a secret span: {f:?}");
            assert!(f.get("endColumn").is_none_or(|c| *c == column), "github endColumn of a secret span: {f:?}");
        }
    }
    assert!(github > 0, "no github annotation starts at the secret in {path}:{line}:{column}:\n{}", out.github);
}

/// The rules of the JSON report for `path`.
fn rules_in(out: &Outputs, path: &str) -> Vec<String> {
    out.findings().iter().filter(|f| f["path"] == path).map(|f| f["rule"].as_str().unwrap().to_string()).collect()
}

/// A single-line plan as `terraform show -json` writes it.
fn plan(variables: Value, config_variables: Value, resource_changes: Vec<Value>) -> String {
    json!({
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "variables": variables,
        "planned_values": { "root_module": { "resources": [] } },
        "resource_changes": resource_changes,
        "configuration": { "provider_config": { "aws": { "name": "aws", "full_name": "registry.terraform.io/hashicorp/aws" } }, "root_module": { "variables": config_variables } },
        "timestamp": "2025-03-01T10:00:00Z",
        "applyable": true,
        "complete": true,
        "errored": false
    })
    .to_string()
}

/// A `resource_changes` entry that creates `address`, with `after` and `after_sensitive`.
fn change(address: &str, kind: &str, name: &str, index: Option<&str>, after: Value, after_sensitive: Value) -> Value {
    let mut change = json!({
        "address": address,
        "mode": "managed",
        "type": kind,
        "name": name,
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "change": {
            "actions": ["create"],
            "before": null,
            "after": after,
            "after_unknown": { "id": true, "arn": true },
            "before_sensitive": false,
            "after_sensitive": after_sensitive
        }
    });
    if let Some(index) = index {
        change["index"] = index.into();
    }
    change
}

/// An EC2 instance that accepts IMDSv1: `imdsv2-required` reports it, so its address is shown.
fn imdsv1_instance(name: &str, key: &str) -> Value {
    change(
        &format!("aws_instance.{name}[{}]", json!(key)),
        "aws_instance",
        name,
        Some(key),
        json!({
            "ami": "ami-0c55b159cbfafe1f0",
            "instance_type": "t3.micro",
            "metadata_options": [{ "http_endpoint": "enabled", "http_tokens": "optional", "http_put_response_hop_limit": 1 }],
            "tags": { "Name": "ci-runner" }
        }),
        json!({ "metadata_options": [{}], "tags": {} }),
    )
}

const WILDCARD_POLICY: &str = "resource \"aws_iam_policy\" \"ci\" {\n  policy = jsonencode({\n    Statement = [{ Effect = \"Allow\", Action = \"*\", Resource = \"*\" }]\n  })\n}\n";

/// Class 1: a file that does not parse (`.tf`, `.tfvars`, `.tf.json`, an IAM policy `.json`)
/// shows its erroring line with secret-named assignments and credential formats masked, and is
/// still scanned for credentials.
#[test]
fn unparsable_files_mask_secrets_on_the_erroring_line_and_are_scanned_for_credentials() {
    let mut rng = Lcg::new(1);
    let mut t = Tree::new();
    let tf = t.secret(rng.secret(16));
    t.write(
        "db/broken.tf",
        &format!("resource \"aws_db_instance\" \"app\" {{\n  engine   = \"postgres\"\n  password = \"{tf}\" +\n}}\n"),
    );
    let tfvars = t.secret(rng.secret(13));
    t.write("env/prod.auto.tfvars", &format!("region = \"eu-west-1\"\ndb_password = \"{tfvars}\" \"x\"\n"));
    let tf_json = t.secret(rng.secret(19));
    t.write(
        "db/app.tf.json",
        &format!("{{\"resource\": {{\"aws_db_instance\": {{\"j\": {{\"password\": \"{tf_json}\",}}}}}}}}\n"),
    );
    let policy = t.secret(rng.secret(11));
    t.write(
        "policies/rds-connect.json",
        &format!(
            "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {{ \"Effect\": \"Allow\", \"Action\": \"rds-db:connect\", \"Resource\": \"*\", \"password\": \"{policy}\" ]\n}}\n"
        ),
    );
    let token = t.secret(rng.github_token());
    t.write("ci/github.tf", &format!("locals {{\n  runner_registration = \"deploy {token}\" +\n}}\n"));
    let key_id = t.secret(rng.aws_key_id());
    t.write("ci/aws.tfvars", &format!("ci_access = \"{key_id}\" \"x\"\n"));
    let body = rng.pem_body(2);
    for line in &body {
        t.secret(line.clone());
    }
    t.write(
        "ci/deploy-key.tf.json",
        &format!(
            "{{\"locals\": {{\"deploy\": \"-----BEGIN RSA PRIVATE KEY-----\\n{}\\n{}\\n-----END RSA PRIVATE KEY-----\\n\",}}}}\n",
            body[0], body[1]
        ),
    );

    let out = check_all(t.root(), &[]);
    assert_eq!(out.code, 1);
    for path in [
        "db/broken.tf",
        "env/prod.auto.tfvars",
        "db/app.tf.json",
        "policies/rds-connect.json",
        "ci/github.tf",
        "ci/aws.tfvars",
        "ci/deploy-key.tf.json",
    ] {
        assert!(rules_in(&out, path).contains(&"parse-error".to_string()), "{path} is a parse-error:\n{:#}", out.json);
    }
    assert_shows("text", &out.text, "password = \"****\" +");
    assert_shows("text", &out.text, "db_password = \"****\" \"x\"");
    assert_shows("text", &out.text, "\"password\": \"****\",}");
    assert_shows("text", &out.text, "\"password\": \"****\" ]");
    assert_shows("text", &out.text, "runner_registration = \"deploy ****\" +");
    assert_shows("text", &out.text, "ci_access = \"****\" \"x\"");
    // Not parsed, but still scanned: the GitHub token is reported.
    assert!(
        rules_in(&out, "ci/github.tf").contains(&"secret-literal".to_string()),
        "the token in ci/github.tf is reported:\n{:#}",
        out.json
    );
    assert_no_leak(&t, &out);
}

/// A top-level argument of a `.tf` file parses as HCL, but Terraform refuses it: it is a
/// `parse-error` whose excerpt shows the argument, so its secret is masked there.
#[test]
fn top_level_arguments_are_reported_and_their_secrets_masked() {
    let mut rng = Lcg::new(7);
    let mut t = Tree::new();
    let password = t.secret(rng.secret(14));
    t.write(
        "app/main.tf",
        &format!("db_password = \"{password}\"\n\nresource \"aws_s3_bucket\" \"logs\" {{\n  bucket = \"logs\"\n}}\n"),
    );
    let out = check_all(t.root(), &[]);
    assert_eq!(out.code, 1);
    assert!(rules_in(&out, "app/main.tf").contains(&"parse-error".to_string()), "{:#}", out.json);
    assert_shows("text", &out.text, "db_password = \"****\"");
    assert_no_leak(&t, &out);
}

/// Class 2: a secret written with `\uXXXX` escapes (HCL, `.tf.json`, plan JSON) is masked in
/// its source form, not only in its decoded form.
#[test]
fn secrets_written_with_unicode_escapes_are_masked_as_written() {
    let mut rng = Lcg::new(2);
    let mut t = Tree::new();
    let hcl = t.secret(rng.secret(16));
    t.write(
        "main.tf",
        &format!(
            "resource \"aws_db_instance\" \"app\" {{\n  engine   = \"postgres\"\n  password = \"{}\"\n}}\n",
            escaped(&hcl)
        ),
    );
    let tf_json = t.secret(rng.secret(14));
    t.write(
        "cache.tf.json",
        &format!(
            "{{\n  \"resource\": {{\n    \"aws_elasticache_user\": {{\n      \"app\": {{\n        \"user_id\": \"app\",\n        \"passwords\": [\"{}\"]\n      }}\n    }}\n  }}\n}}\n",
            escaped(&tf_json)
        ),
    );
    let in_plan = t.secret(rng.secret(15));
    let plan_text = plan(
        json!({ "region": { "value": "eu-west-1" } }),
        json!({ "region": {} }),
        vec![change(
            "aws_db_instance.reporting",
            "aws_db_instance",
            "reporting",
            None,
            json!({ "engine": "postgres", "identifier": "reporting", "password": "@@PASSWORD@@" }),
            json!({}),
        )],
    )
    .replace("@@PASSWORD@@", &escaped(&in_plan));
    t.write("plans/reporting.json", &plan_text);

    let out = check_all(t.root(), &[]);
    assert_eq!(out.code, 1);
    assert!(rules_in(&out, "main.tf").contains(&"secret-literal".to_string()), "{:#}", out.json);
    assert!(rules_in(&out, "cache.tf.json").contains(&"secret-literal".to_string()), "{:#}", out.json);
    assert!(rules_in(&out, "plans/reporting.json").contains(&"plan-secret-exposed".to_string()), "{:#}", out.json);
    assert_shows("text", &out.text, "password = \"****\"");
    assert_shows("text", &out.text, "\"passwords\": [\"****\"]");
    assert_shows("text", &out.text, "\"password\":\"****\"");
    assert_no_leak(&t, &out);
}

/// The tree of class 3, with its secrets drawn from `seed` at the given lengths.
fn fingerprint_tree(seed: u64, len: usize) -> Tree {
    let mut rng = Lcg::new(seed);
    let mut t = Tree::new();
    let literal = t.secret(rng.secret(len));
    let tfvars = t.secret(rng.secret(len + 3));
    let helm = t.secret(rng.secret(len + 1));
    let in_plan = t.secret(rng.secret(len + 2));
    t.write(
        "main.tf",
        &format!(
            "variable \"db_password\" {{\n  type = string\n}}\n\nresource \"aws_db_instance\" \"app\" {{\n  engine   = \"postgres\"\n  password = \"{literal}\"\n}}\n\nresource \"helm_release\" \"grafana\" {{\n  name  = \"grafana\"\n  chart = \"grafana\"\n\n  set {{\n    name  = \"adminPassword\"\n    value = \"{helm}\"\n  }}\n}}\n"
        ),
    );
    t.write("terraform.tfvars", &format!("db_password = \"{tfvars}\"\n"));
    t.write(
        "plan.json",
        &plan(
            json!({ "db_password": { "value": in_plan } }),
            json!({ "db_password": {} }),
            vec![
                change(
                    "aws_db_instance.app",
                    "aws_db_instance",
                    "app",
                    None,
                    json!({ "engine": "postgres", "identifier": "app", "password": in_plan }),
                    json!({}),
                ),
                // Keyed by the secret: a finding that is not M8 has it in its address.
                imdsv1_instance("db_client", &in_plan),
            ],
        ),
    );
    t
}

/// `(rule, path, fingerprint)`, sorted.
type Fingerprints = Vec<(String, String, String)>;

/// The fingerprints of every SARIF result and of every baseline entry.
fn fingerprints(out: &Outputs) -> (Fingerprints, Fingerprints) {
    let mut sarif: Vec<_> = out
        .sarif_results()
        .iter()
        .map(|r| {
            let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap().to_string();
            (r["ruleId"].as_str().unwrap().to_string(), uri, r["partialFingerprints"].to_string())
        })
        .collect();
    sarif.sort();
    let mut baseline: Vec<_> = out.baseline["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["rule"].as_str().unwrap().to_string(),
                e["path"].as_str().unwrap().to_string(),
                e["fingerprint"].to_string(),
            )
        })
        .collect();
    baseline.sort();
    (sarif, baseline)
}

/// Class 3: SARIF `partialFingerprints` and baseline fingerprints do not depend on a secret's
/// value: the same tree with other secrets, of other lengths, gives the same fingerprints, so a
/// fingerprint cannot be used to recover a secret with a word list.
#[test]
fn fingerprints_are_the_same_when_only_secret_values_change() {
    let short = fingerprint_tree(3, 9);
    let long = fingerprint_tree(33, 21);
    let a = check_all(short.root(), &[]);
    let b = check_all(long.root(), &[]);
    assert_eq!(a.code, 1);
    let (sarif_a, baseline_a) = fingerprints(&a);
    let (sarif_b, baseline_b) = fingerprints(&b);
    for rule in ["secret-literal", "plan-secret-exposed", "helm-set-secret", "imdsv2-required"] {
        assert!(sarif_a.iter().any(|(r, _, _)| r == rule), "{rule} is reported:\n{sarif_a:#?}");
        assert!(baseline_a.iter().any(|(r, _, _)| r == rule), "{rule} is in the baseline:\n{}", a.baseline_text);
    }
    assert!(sarif_a.iter().all(|(_, _, f)| f.len() > 8), "every result has a fingerprint: {sarif_a:#?}");
    assert_eq!(sarif_a, sarif_b, "SARIF fingerprints changed with the secrets' values");
    assert_eq!(baseline_a, baseline_b, "baseline fingerprints changed with the secrets' values");
    assert_no_leak(&short, &a);
    assert_no_leak(&long, &b);
}

/// Class 4: a secret used as a `for_each` key in a plan (the value of a secret-named root
/// variable, or of a value under `after_sensitive`) never appears in an address: not in the
/// reports, not in the baseline file, not in the stderr list of a later `--baseline` run.
#[test]
fn for_each_keys_that_are_secrets_are_masked_in_addresses_and_baselines() {
    let mut rng = Lcg::new(4);
    let mut t = Tree::new();
    let db_password = t.secret(rng.secret(16));
    let ssm_token = t.secret(rng.secret(15));
    let with_findings = plan(
        json!({ "db_password": { "value": db_password }, "region": { "value": "eu-west-1" } }),
        json!({ "db_password": { "sensitive": true }, "region": {} }),
        vec![
            imdsv1_instance("web", &db_password),
            change(
                "aws_ssm_parameter.ci_token",
                "aws_ssm_parameter",
                "ci_token",
                None,
                json!({ "name": "/ci/token", "type": "SecureString", "value": ssm_token }),
                json!({ "value": true }),
            ),
            imdsv1_instance("runner", &ssm_token),
        ],
    );
    t.write("plan.json", &with_findings);

    let out = check_all(t.root(), &[]);
    assert_eq!(out.code, 1);
    for name in ["web", "runner"] {
        let address = format!("aws_instance.{name}[\"****\"]");
        assert_shows("compact", &out.compact, &address);
        assert_shows("text", &out.text, &address);
        assert!(
            out.findings().iter().any(|f| f["rule"] == "imdsv2-required" && f["address"] == address.as_str()),
            "JSON address {address}:\n{:#}",
            out.json
        );
        assert!(
            out.baseline["findings"].as_array().unwrap().iter().any(|e| e["address"] == address.as_str()),
            "baseline address {address}:\n{}",
            out.baseline_text
        );
    }
    assert_no_leak(&t, &out);

    // The instances are fixed: a later run lists the baseline's entries that no longer occur,
    // on stderr, from the baseline file alone (the plan no longer holds the secrets).
    let baseline = tempfile::tempdir().unwrap();
    let baseline_file = baseline.path().join("baseline.json");
    let written = fleet_iam_in(
        t.root(),
        &["check", "--format", "compact", "--write-baseline", baseline_file.to_str().unwrap(), "."],
    );
    assert_eq!(written.code, 1, "{}", written.stderr);
    t.remove("plan.json");
    t.write("plan.json", &plan(json!({ "region": { "value": "eu-west-1" } }), json!({ "region": {} }), vec![]));
    let later = fleet_iam_in(
        t.root(),
        &["check", "--format", "compact", "--color", "never", "--baseline", baseline_file.to_str().unwrap(), "."],
    );
    assert_eq!(later.code, 0, "{}", later.stderr);
    assert_shows("stderr of the --baseline run", &later.stderr, "aws_instance.web[\"****\"]");
    assert_shows("stderr of the --baseline run", &later.stderr, "aws_instance.runner[\"****\"]");
    let all = vec![
        ("--baseline stdout".to_string(), later.stdout),
        ("--baseline stderr".to_string(), later.stderr),
        ("baseline file".to_string(), std::fs::read_to_string(&baseline_file).unwrap()),
    ];
    let found = safety::leaks(&all, &t.secrets, &t.background());
    assert!(found.is_empty(), "{found:#?}");
}

/// The characters that must never reach a human format raw: C0 controls but newline and tab,
/// DEL, and C1.
fn is_forbidden_control(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || ('\u{80}'..='\u{9f}').contains(&c)
}

/// Class 10: control characters from the input (ESC sequences, carriage returns, BEL, DEL, C1)
/// in messages, excerpts, addresses and file names are shown escaped (`\u{1b}`) in the text,
/// compact and github formats, and as JSON escapes them in JSON and SARIF.
#[test]
fn control_characters_from_input_never_reach_the_output_raw() {
    let mut t = Tree::new();
    // A file name with an ESC sequence that would color the rest of a terminal red.
    t.write("evil\u{1b}[31m.tf", WILDCARD_POLICY);
    // An action with an ESC sequence, DEL and a C1 CSI; a comment with an OSC title sequence,
    // BEL and a C1 NEL, on the line of the finding.
    t.write(
        "main.tf",
        "resource \"aws_iam_policy\" \"s3\" {\n  policy = jsonencode({\n    Statement = [{ Effect = \"Allow\", Action = [\"s3:Get\u{1b}[2JObject\u{7f}\u{9b}\"], Resource = \"*\" }] # \u{1b}]0;pwned\u{7} \u{1} \u{85}\n  })\n}\n",
    );
    // A policy whose finding line holds a raw carriage return (whitespace to JSON) and an
    // escaped ESC that the message shows decoded.
    t.write(
        "policies/admin.json",
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{ \"Effect\": \"Allow\", \"Action\": [\"*\", \"ec2:Run\\u001b[1AInstances\"],\r \"Resource\": \"*\" }]\n}\n",
    );
    // A plan address whose for_each key holds ESC, CR and a C1 CSI.
    t.write("plan.json", &plan(json!({}), json!({}), vec![imdsv1_instance("w", "web\u{1b}[2K\r\u{9b}")]));

    let out = check_all(t.root(), &[]);
    assert_eq!(out.code, 1);
    for (what, text) in [("text", &out.text), ("compact", &out.compact), ("github", &out.github)] {
        if let Some(c) = text.chars().find(|c| is_forbidden_control(*c)) {
            panic!("{what} shows {c:?} raw:\n{}", text.escape_debug());
        }
        assert_shows(what, text, "evil\\u{1b}[31m.tf");
        assert_shows(what, text, "s3:Get\\u{1b}[2JObject\\u{7f}\\u{9b}");
    }
    // (annotate-snippets cuts the line at the terminal width after that.)
    assert_shows("text", &out.text, "# \\u{1b}]0;pwned\\u{7} \\u{1} \\u");
    assert_shows("text", &out.text, "\\u{d} \"Resource\": \"*\" }]");
    assert_shows("compact", &out.compact, "aws_instance.w[");
    for (what, text) in out.all.iter().filter(|(w, _)| w.ends_with("stderr")) {
        assert!(
            !text.chars().any(is_forbidden_control),
            "{what} shows a control character raw:\n{}",
            text.escape_debug()
        );
    }
    for (what, text) in [("json", out.get("json stdout")), ("sarif", out.get("sarif stdout"))] {
        // JSON escapes C0 controls; DEL and C1 are valid in a JSON string as they are.
        assert!(!text.chars().any(|c| c < ' ' && c != '\n'), "{what} holds a raw control character");
        assert_shows(what, text, "s3:Get\\u001b[2JObject");
    }
    assert_shows("json", out.get("json stdout"), "\"path\": \"evil\\u001b[31m.tf\"");
    assert!(
        out.sarif_results()
            .iter()
            .any(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "evil\u{1b}[31m.tf"
                || r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "evil%1B%5B31m.tf"),
        "the file with the ESC in its name is reported"
    );
}

/// Class 11: credential formats in comments and in map keys are masked in every excerpt that
/// shows them.
#[test]
fn credentials_in_comments_and_map_keys_are_masked_in_excerpts() {
    let mut rng = Lcg::new(11);
    let mut t = Tree::new();
    let in_comment = t.secret(rng.github_token());
    let old_key = t.secret(rng.aws_key_id());
    let as_key = t.secret(rng.github_token());
    let as_key_aws = t.secret(rng.aws_key_id());
    t.write(
        "ci.tf",
        &format!(
            "resource \"aws_iam_policy\" \"deploy\" {{\n  # rotated 2025-01: {old_key}\n  policy = jsonencode({{\n    Statement = [{{ Effect = \"Allow\", Action = \"*\", Resource = \"*\" }}] # ci token {in_comment}\n  }})\n}}\n\nresource \"aws_instance\" \"runner\" {{ tags = {{ \"{as_key}\" = \"owner\" }} }}\n\nresource \"aws_instance\" \"builder\" {{ tags = {{ \"{as_key_aws}\" = \"ci\" }} }}\n"
        ),
    );

    let out = check_all(t.root(), &[]);
    assert_eq!(out.code, 1);
    let rules = rules_in(&out, "ci.tf");
    assert!(
        rules.contains(&"iam-wildcard-action".to_string()) && rules.contains(&"imdsv2-required".to_string()),
        "{rules:?}"
    );
    assert_shows("text", &out.text, "Resource = \"*\" }] # ci token ****");
    assert_shows("text", &out.text, "resource \"aws_instance\" \"runner\" { tags = { \"****\" = \"owner\" } }");
    assert_shows("text", &out.text, "resource \"aws_instance\" \"builder\" { tags = { \"****\" = \"ci\" } }");
    assert_no_leak(&t, &out);
}

/// Class 12: a mask is exactly `****`, whatever the secret's length, and a multi-line secret (a
/// PEM key, a secret-named heredoc) is masked without joining or removing lines: later
/// findings of the file show the right line numbers and the right line text.
#[test]
fn masks_have_a_fixed_length_and_keep_the_lines_of_multi_line_secrets() {
    let mut rng = Lcg::new(12);
    let mut t = Tree::new();
    let short = t.secret(rng.secret(7));
    let long = t.secret(rng.secret(29));
    let heredoc = [t.secret(rng.secret(12)), t.secret(rng.secret(12))];
    let body = rng.pem_body(3);
    for line in &body {
        t.secret(line.clone());
    }
    let main = format!(
        "resource \"aws_db_instance\" \"a\" {{\n  engine   = \"postgres\"\n  password = \"{short}\"\n}}\n\nresource \"aws_db_instance\" \"b\" {{\n  engine   = \"postgres\"\n  password = \"{long}\"\n}}\n\nresource \"aws_rds_cluster\" \"c\" {{\n  engine          = \"aurora-postgresql\"\n  master_password = <<-EOT\n    {}\n    {}\n  EOT\n}}\n\nlocals {{\n  deploy_private_key = <<-EOT\n{}  EOT\n}}\n\n{WILDCARD_POLICY}",
        heredoc[0],
        heredoc[1],
        pem(&body, "    ")
    );
    t.write("main.tf", &main);
    let wildcard_line = "    Statement = [{ Effect = \"Allow\", Action = \"*\", Resource = \"*\" }]";
    let (line, column) = t.position("main.tf", "\"*\", Resource");

    let out = check_all(t.root(), &[]);
    assert_eq!(out.code, 1);
    assert!(out.findings_of("secret-literal", "main.tf").len() >= 4, "{:#}", out.json);
    // Two secrets of 7 and 29 characters look the same.
    assert_eq!(out.text.matches("  password = \"****\"\n").count(), 2, "{}", out.text);
    assert!(
        out.findings_of("secret-literal", "main.tf")
            .iter()
            .any(|f| f["message"].as_str().unwrap().contains("\"****\"")),
        "the message quotes the secret as \"****\""
    );
    let wildcard = out.findings_of("iam-wildcard-action", "main.tf");
    assert_eq!(wildcard.len(), 1, "{:#}", out.json);
    assert_eq!((&wildcard[0]["line"], &wildcard[0]["column"]), (&json!(line), &json!(column)));
    assert_shows("text", &out.text, &format!("{line} | {wildcard_line}\n"));
    assert_shows("compact", &out.compact, &format!("main.tf:{line}:{column}: error[iam-wildcard-action]"));
    // Every excerpt line of the text report is the file's line of that number, with only
    // secrets replaced.
    let lines: Vec<&str> = main.lines().collect();
    for shown in out.text.lines() {
        let Some((number, rest)) = shown.split_once(" |") else { continue };
        let Ok(number) = number.trim().parse::<usize>() else { continue };
        let actual = lines[number - 1];
        let rest = rest.trim_start_matches([' ', '|', '/', '_']);
        let actual_trimmed = actual.trim_start();
        // A PEM header or footer may be masked with its key, or shown.
        if actual.contains("PRIVATE KEY-----") {
            assert!(
                rest == actual_trimmed || rest.contains("****"),
                "line {number} shows `{rest}`, the file has `{actual}`"
            );
        } else if !t.secrets.iter().any(|s| actual.contains(s.as_str())) {
            assert!(rest == actual_trimmed, "line {number} shows `{rest}`, the file has `{actual}`");
        } else {
            assert!(rest.contains("****"), "line {number} shows `{rest}`, masked from `{actual}`");
        }
    }
    assert_no_leak(&t, &out);
}

/// Class 13: two secrets whose occurrences overlap in a text are masked as their union: no rest
/// of either shows. Also a credential inside a secret-named literal that goes on past it.
#[test]
fn overlapping_secrets_are_masked_as_their_union() {
    let mut rng = Lcg::new(13);
    let mut t = Tree::new();
    let (a, b, c) = (rng.secret(6), rng.secret(6), rng.secret(6));
    // `first` ends where `second` starts: the text holds `a b c`.
    let first = t.secret(format!("{a}{b}"));
    let second = t.secret(format!("{b}{c}"));
    let token = t.secret(rng.github_token());
    let tail = rng.secret(9);
    let combined = t.secret(format!("{token}/{tail}"));
    t.secret(format!("{a}{b}{c}"));
    t.write("terraform.tfvars", &format!("db_password = \"{first}\"\n"));
    t.write(
        "main.tf",
        &format!(
            "variable \"db_password\" {{\n  type      = string\n  sensitive = true\n}}\n\nvariable \"api_token\" {{\n  type      = string\n  sensitive = true\n  default   = \"{second}\"\n}}\n\nlocals {{\n  github_token = \"{combined}\"\n}}\n\n# seen in the old runner image: {token}\nresource \"aws_instance\" \"w\" {{ user_data = \"login --password {a}{b}{c} --yes\" }}\n"
        ),
    );

    let out = check_all(t.root(), &[]);
    assert_eq!(out.code, 1);
    assert!(!out.findings_of("imdsv2-required", "main.tf").is_empty(), "{:#}", out.json);
    assert!(!out.findings_of("secret-literal", "main.tf").is_empty(), "{:#}", out.json);
    assert_shows("text", &out.text, "user_data = \"login --password ****");
    assert_shows("text", &out.text, " --yes\" }");
    assert_shows("text", &out.text, "github_token = \"****\"");
    assert_no_leak(&t, &out);
}

/// The tree of class 14: weak passwords `default` and `admin`, or `others` in their place.
fn weak_password_tree(others: Option<(&str, &str)>) -> Tree {
    let (default, admin) = others.unwrap_or(("default", "admin"));
    let mut t = Tree::new();
    t.write(
        "default-backend.tf",
        "resource \"aws_iam_policy\" \"admin\" {\n  policy = jsonencode({\n    Statement = [{ Effect = \"Allow\", Action = \"*\", Resource = \"*\" }]\n  })\n}\n\nresource \"aws_eks_cluster\" \"default\" {\n  name     = \"default\"\n  role_arn = \"arn:aws:iam::123456789012:role/eks\"\n  vpc_config {\n    subnet_ids = [\"subnet-0a1b2c3d\"]\n  }\n}\n",
    );
    t.write(
        "main.tf",
        &format!(
            "variable \"admin_password\" {{\n  type      = string\n  sensitive = true\n  default   = \"{admin}\"\n}}\n\nresource \"aws_db_instance\" \"default\" {{\n  engine   = \"postgres\"\n  username = \"admin\"\n  password = \"{default}\"\n}}\n"
        ),
    );
    t
}

/// Class 14: a weak password (`default`, `admin`) corrupts nothing else: paths
/// (`default-backend.tf`), SARIF artifact URIs, addresses, messages and rule documentation are
/// as they are with any other password.
#[test]
fn weak_passwords_do_not_corrupt_paths_messages_or_rule_documentation() {
    let weak = weak_password_tree(None);
    let mut rng = Lcg::new(14);
    let (x, y) = (rng.secret(7), rng.secret(5));
    let control = weak_password_tree(Some((&x, &y)));
    let out = check_all(weak.root(), &[]);
    let expected = check_all(control.root(), &[]);
    assert_eq!(out.code, 1);

    let paths: std::collections::BTreeSet<&str> =
        out.compact.lines().filter_map(|l| l.split_once(':').map(|(p, _)| p)).collect();
    assert_eq!(paths.into_iter().collect::<Vec<_>>(), ["default-backend.tf", "main.tf"], "{}", out.compact);
    assert_shows("github", &out.github, "file=default-backend.tf,");
    assert_shows("text", &out.text, "--> default-backend.tf:");
    let uris: std::collections::BTreeSet<String> = out
        .sarif_results()
        .iter()
        .map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(uris.into_iter().collect::<Vec<_>>(), ["default-backend.tf", "main.tf"]);
    assert_shows("compact", &out.compact, "administrator access");
    assert_shows("compact", &out.compact, "`aws_eks_cluster.default`");
    assert_shows("compact", &out.compact, "`admin_password`");
    assert!(out.compact.lines().any(|l| l.contains("eks-public-endpoint") && l.contains("default")), "{}", out.compact);
    let rules = &out.sarif["runs"][0]["tool"]["driver"]["rules"];
    assert_shows("SARIF rules", &rules.to_string(), "administrator");
    assert_eq!(rules, &expected.sarif["runs"][0]["tool"]["driver"]["rules"], "the rule documentation is never masked");
    assert_shows("text", &out.text, "password = \"****\"");
    assert_shows("text", &out.text, "default   = \"****\"");
    // Everything is as with random passwords: the secrets are `****` either way.
    assert_eq!(out.compact, expected.compact);
    assert_eq!(out.text, expected.text);
    assert_eq!(out.github, expected.github);
    assert_eq!(out.json, expected.json);
    assert_no_leak(&control, &expected);
}

/// Class 16: no output reaches a secret indirectly: findings whose span holds a secret are
/// points (an end column would tell its length) in JSON, SARIF and github output; the SARIF
/// rule help and descriptions are never masked, even when a secret is a common word.
#[test]
fn secret_spans_are_reported_as_points_and_rule_documentation_is_never_masked() {
    let mut rng = Lcg::new(16);
    let mut t = Tree::new();
    let literal = t.secret(rng.secret(18));
    let helm = t.secret(rng.secret(11));
    let heredoc = t.secret(rng.secret(14));
    let in_plan = t.secret(rng.secret(17));
    t.write(
        "main.tf",
        &format!(
            "resource \"aws_db_instance\" \"app\" {{\n  engine   = \"postgres\"\n  password = \"{literal}\"\n}}\n\nresource \"aws_db_instance\" \"legacy\" {{\n  engine   = \"mysql\"\n  password = \"access\"\n}}\n\nresource \"helm_release\" \"grafana\" {{\n  name  = \"grafana\"\n  chart = \"grafana\"\n\n  set {{\n    name  = \"adminPassword\"\n    value = \"{helm}\"\n  }}\n}}\n\nresource \"aws_rds_cluster\" \"c\" {{\n  engine          = \"aurora-postgresql\"\n  master_password = <<-EOT\n    {heredoc}\n  EOT\n}}\n\n{WILDCARD_POLICY}"
        ),
    );
    t.write(
        "plan.json",
        &plan(
            json!({ "region": { "value": "eu-west-1" } }),
            json!({ "region": {} }),
            vec![change(
                "aws_db_instance.reporting",
                "aws_db_instance",
                "reporting",
                None,
                json!({ "engine": "postgres", "identifier": "reporting", "password": in_plan }),
                json!({}),
            )],
        ),
    );
    let control = Tree::new();
    let control_sarif = fleet_iam_in(control.root(), &["check", "--format", "sarif", "--color", "never", "."]);
    let control_sarif: Value = serde_json::from_str(&control_sarif.stdout).unwrap();

    let out = check_all(t.root(), &[]);
    assert_eq!(out.code, 1);
    assert_points_at(&out, "main.tf", t.position("main.tf", &format!("\"{literal}\"")));
    assert_points_at(&out, "main.tf", t.position("main.tf", "\"access\""));
    assert_points_at(&out, "main.tf", t.position("main.tf", &format!("\"{helm}\"")));
    assert_points_at(&out, "main.tf", t.position("main.tf", "<<-EOT"));
    assert_points_at(&out, "plan.json", t.position("plan.json", &format!("\"{in_plan}\"")));
    // A finding that holds no secret keeps its extent.
    let wildcard = out.findings_of("iam-wildcard-action", "main.tf");
    assert_eq!(wildcard.len(), 1);
    assert_eq!(wildcard[0]["end_column"].as_u64().unwrap(), wildcard[0]["column"].as_u64().unwrap() + 3);
    let rules = &out.sarif["runs"][0]["tool"]["driver"]["rules"];
    assert_eq!(rules, &control_sarif["runs"][0]["tool"]["driver"]["rules"], "the rule documentation is never masked");
    assert_shows("SARIF rules", &rules.to_string(), "administrator access");
    assert_shows("compact", &out.compact, "this is administrator access");
    assert_shows("text", &out.text, "password = \"****\"");
    assert_no_leak(&t, &out);
}

/// Standard base64 with padding, as `base64encode()` writes it.
fn base64(text: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in text.as_bytes().chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
        out.push_str(&"=".repeat(3 - chunk.len()));
    }
    out
}

/// Issue 13, class 10: a secret inside a document embedded in a string (a container
/// definition's environment in a heredoc or `jsonencode`, a `user_data` script, either in
/// base64, in HCL and in a plan) is reported and masked in every output: where it is written,
/// or, in base64, the whole encoded string.
#[test]
fn secrets_in_embedded_documents_are_reported_and_masked_in_every_format() {
    let mut rng = Lcg::new(17);
    let mut t = Tree::new();
    let env_heredoc = t.secret(rng.secret(15));
    let env_jsonencode = t.secret(rng.secret(21));
    let exported = t.secret(rng.secret(12));
    let assigned = t.secret(rng.secret(16));
    let encoded_secret = t.secret(rng.secret(19));
    let encoded = t.secret(base64(&format!("#!/bin/bash\nexport API_TOKEN={encoded_secret}\n/opt/app/start\n")));
    let in_base64encode = t.secret(rng.secret(13));
    t.write(
        "ecs/main.tf",
        &format!(
            "resource \"aws_ecs_task_definition\" \"billing\" {{\n  family                = \"billing\"\n  container_definitions = <<-EOT\n    [\n      {{\n        \"name\": \"billing\",\n        \"image\": \"registry.internal/billing:2.8.1\",\n        \"environment\": [\n          {{ \"name\": \"DB_PASSWORD\", \"value\": \"{env_heredoc}\" }}\n        ]\n      }}\n    ]\n  EOT\n}}\n\nresource \"aws_ecs_task_definition\" \"api\" {{\n  family = \"api\"\n  container_definitions = jsonencode([{{\n    name        = \"api\"\n    image       = \"registry.internal/api:1.4.2\"\n    environment = [{{ name = \"API_TOKEN\", value = \"{env_jsonencode}\" }}]\n  }}])\n}}\n"
        ),
    );
    t.write(
        "ec2/main.tf",
        &format!(
            "resource \"aws_instance\" \"app\" {{\n  ami           = \"ami-0c55b159cbfafe1f0\"\n  instance_type = \"t3.small\"\n  user_data     = <<-EOF\n    #!/bin/bash\n    export DB_PASSWORD={exported}\n    SMTP_PASSWORD=\"{assigned}\" /opt/app/bin/mailer\n  EOF\n}}\n\nresource \"aws_instance\" \"legacy\" {{\n  ami              = \"ami-0c55b159cbfafe1f0\"\n  instance_type    = \"t3.micro\"\n  user_data_base64 = \"{encoded}\"\n}}\n\nresource \"aws_launch_template\" \"workers\" {{\n  image_id  = \"ami-0c55b159cbfafe1f0\"\n  user_data = base64encode(<<-EOT\n    #!/bin/bash\n    echo \"REDIS_PASSWORD={in_base64encode}\" >> /etc/workers.env\n  EOT\n  )\n}}\n"
        ),
    );
    let plan_env = t.secret(rng.secret(14));
    let plan_encoded_secret = t.secret(rng.secret(17));
    let plan_encoded = t.secret(base64(&format!("#!/bin/bash\nexport DB_PASSWORD='{plan_encoded_secret}'\n")));
    let containers = json!([{
        "name": "billing",
        "image": "registry.internal/billing:2.8.1",
        "environment": [{ "name": "LOG_LEVEL", "value": "info" }, { "name": "DB_PASSWORD", "value": plan_env }]
    }])
    .to_string();
    t.write(
        "plan/tfplan.json",
        &plan(
            json!({}),
            json!({}),
            vec![
                change(
                    "aws_ecs_task_definition.billing",
                    "aws_ecs_task_definition",
                    "billing",
                    None,
                    json!({ "family": "billing", "container_definitions": containers }),
                    json!({}),
                ),
                change(
                    "aws_launch_template.workers",
                    "aws_launch_template",
                    "workers",
                    None,
                    json!({ "image_id": "ami-0c55b159cbfafe1f0", "user_data": plan_encoded }),
                    json!({}),
                ),
            ],
        ),
    );

    let out = check_all(t.root(), &[]);
    assert_eq!(out.code, 1);
    let literal = |path: &str| out.findings_of("secret-literal", path).len();
    assert_eq!(literal("ecs/main.tf"), 2, "{:#}", out.json);
    assert_eq!(literal("ec2/main.tf"), 4, "{:#}", out.json);
    assert_eq!(out.findings_of("plan-secret-exposed", "plan/tfplan.json").len(), 2, "{:#}", out.json);
    assert_points_at(&out, "ecs/main.tf", t.position("ecs/main.tf", &env_heredoc));
    assert_points_at(&out, "ec2/main.tf", t.position("ec2/main.tf", &exported));
    assert_points_at(&out, "ec2/main.tf", t.position("ec2/main.tf", &format!("\"{encoded}\"")));
    assert_shows("text", &out.text, "{ \"name\": \"DB_PASSWORD\", \"value\": \"****\" }");
    assert_shows("text", &out.text, "environment = [{ name = \"API_TOKEN\", value = \"****\" }]");
    assert_shows("text", &out.text, "export DB_PASSWORD=****");
    assert_shows("text", &out.text, "SMTP_PASSWORD=\"****\" /opt/app/bin/mailer");
    assert_shows("text", &out.text, "user_data_base64 = \"****\"");
    assert_shows("text", &out.text, "echo \"REDIS_PASSWORD=****\" >> /etc/workers.env");
    assert_no_leak(&t, &out);
}

/// Issue 15: the plan section of `--format markdown` shows principals and actions from plans.
/// A credential written into a trust policy's principal and an action list is masked there as
/// everywhere; a policy that `after_sensitive` marks is not read at all.
#[test]
fn plan_changes_in_markdown_show_no_secret() {
    let mut rng = Lcg::new(15);
    let mut t = Tree::new();
    let key = t.secret(rng.aws_key_id());
    let token = t.secret(rng.github_token());
    let hidden = t.secret(rng.secret(20));
    let trust = json!({
        "Version": "2012-10-17",
        "Statement": [{ "Effect": "Allow", "Principal": { "AWS": format!("arn:aws:iam::123456789012:user/{key}") }, "Action": ["sts:AssumeRole", format!("s3:{token}")] }]
    })
    .to_string();
    // Only the plan section could show this one: no rule reports a principal's name.
    let sensitive = json!({
        "Version": "2012-10-17",
        "Statement": [{ "Effect": "Allow", "Principal": { "AWS": format!("arn:aws:iam::123456789012:user/{hidden}") }, "Action": "sts:AssumeRole" }]
    })
    .to_string();
    let changes = vec![
        change(
            "aws_iam_role.ci",
            "aws_iam_role",
            "ci",
            None,
            json!({ "name": "ci", "assume_role_policy": trust }),
            json!({}),
        ),
        change(
            "aws_iam_role.p",
            "aws_iam_role",
            "p",
            None,
            json!({ "name": "p", "assume_role_policy": sensitive }),
            json!({ "assume_role_policy": true }),
        ),
    ];
    t.write("plan.json", &plan(json!({}), json!({}), changes));
    let out = check_all(t.root(), &[]);
    let markdown = out.get("markdown stdout");
    assert!(markdown.contains("**New principals**"), "{markdown}");
    assert!(markdown.contains("in `aws_iam_role.ci.assume_role_policy`"), "{markdown}");
    assert!(markdown.contains("****"), "{markdown}");
    assert!(!markdown.contains("aws_iam_role.p."), "a sensitive policy is not read: {markdown}");
    assert_no_leak(&t, &out);
}

/// A finding inside a policy that the plan marks sensitive: the policy's text is a secret, so the
/// parts of it that the message quotes (an unknown action) are masked, as the location is a point.
#[test]
fn a_finding_inside_a_sensitive_plan_policy_quotes_none_of_it() {
    let mut rng = Lcg::new(16);
    let mut t = Tree::new();
    let hidden = t.secret(rng.secret(20));
    let sensitive = json!({
        "Version": "2012-10-17",
        "Statement": [{ "Effect": "Allow", "Action": format!("s3:Get{hidden}"), "Resource": "*" }]
    })
    .to_string();
    let changes = vec![change(
        "aws_iam_policy.p",
        "aws_iam_policy",
        "p",
        None,
        json!({ "name": "p", "policy": sensitive }),
        json!({ "policy": true }),
    )];
    t.write("plan.json", &plan(json!({}), json!({}), changes));
    let out = check_all(t.root(), &[]);
    let unknown = out.findings_of("iam-unknown-action", "plan.json");
    assert_eq!(unknown.len(), 1, "{:#}", out.json);
    assert!(unknown[0]["message"].as_str().unwrap().starts_with("`****`"), "{:#}", unknown[0]);
    assert_no_leak(&t, &out);
}
