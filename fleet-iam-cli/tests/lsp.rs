//! Issue 16: `fleet-iam lsp` end to end. Each test starts the binary and drives it as an editor
//! would, with `lsp-server`'s message types over its stdin and stdout: initialize, diagnostics on
//! unsaved buffers (UTF-16 and UTF-8 columns, a variable's default in a file on disk), hover,
//! code actions, clearing, broken input, and shutdown.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod lsp_client;
mod safety;

use lsp_client::{Client, uri};
use serde_json::{Value, json};
use std::path::Path;

const VARIABLES: &str = "variable \"public\" {\n  type    = bool\n  default = true\n}\n";

/// A cluster whose public endpoint comes from `var.public`, and a policy with `eks:*`, each after
/// an emoji in a comment on the same line.
const MAIN: &str = r#"resource "aws_eks_cluster" "this" {
  name     = "prod"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids              = ["subnet-1"]
    endpoint_private_access = true
    /* 🚀 */ endpoint_public_access = var.public
    public_access_cidrs     = ["10.0.0.0/8"]
  }
}

resource "aws_iam_policy" "ci" {
  name = "ci"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Resource = "*"
      /* 🚀 */ Action = "eks:*"
    }]
  })
}
"#;

/// `(line, character)` of the first `needle` in `text`, characters in UTF-16 code units or bytes.
fn position(text: &str, needle: &str, utf16: bool) -> (u64, u64) {
    let at = text.find(needle).unwrap();
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..at];
    let character = if utf16 { before.encode_utf16().count() } else { before.len() };
    (text[..at].matches('\n').count() as u64, character as u64)
}

fn start_of(d: &Value) -> (u64, u64) {
    (d["range"]["start"]["line"].as_u64().unwrap(), d["range"]["start"]["character"].as_u64().unwrap())
}

fn end_of(d: &Value) -> (u64, u64) {
    (d["range"]["end"]["line"].as_u64().unwrap(), d["range"]["end"]["character"].as_u64().unwrap())
}

fn find<'a>(diagnostics: &'a [Value], rule: &str) -> Option<&'a Value> {
    diagnostics.iter().find(|d| d["code"] == rule)
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics.iter().map(|d| d["code"].as_str().unwrap_or("")).collect()
}

/// A module on disk: `variables.tf`, and a `main.tf` whose saved text has no finding.
fn module() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("variables.tf"), VARIABLES).unwrap();
    std::fs::write(dir.path().join("main.tf"), "# saved, not yet edited\n").unwrap();
    dir
}

fn start(dir: &Path, capabilities: Value) -> (Client, Value) {
    Client::start(dir, capabilities, json!({ "debounceMs": 20 }))
}

/// Applies LSP text edits that insert at the start of a line (what "ignore" does).
fn apply_insertions(text: &str, edits: &[Value]) -> String {
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
    let mut edits: Vec<&Value> = edits.iter().collect();
    edits.sort_by_key(|e| std::cmp::Reverse(start_of(e)));
    for edit in edits {
        let (line, character) = start_of(edit);
        assert_eq!(start_of(edit), end_of(edit), "an insertion: {edit}");
        assert_eq!(character, 0, "at the start of a line: {edit}");
        lines.insert(line as usize, edit["newText"].as_str().unwrap().to_string());
    }
    lines.concat()
}

#[test]
fn diagnostics_hover_actions_clearing_and_shutdown() {
    let dir = module();
    let (mut client, init) = start(dir.path(), json!({}));
    let capabilities = &init["capabilities"];
    assert_eq!(capabilities["positionEncoding"], "utf-16", "UTF-16 unless the client offers UTF-8: {init}");
    assert_eq!(capabilities["hoverProvider"], true);
    assert_eq!(capabilities["codeActionProvider"]["codeActionKinds"], json!(["quickfix"]));
    assert_eq!(init["serverInfo"]["name"], "fleet-iam");

    // An unsaved buffer: the file on disk has no finding.
    let main = dir.path().join("main.tf");
    let main_uri = uri(&main);
    let variables_uri = uri(&dir.path().join("variables.tf"));
    client.open(&main_uri, "terraform", MAIN);
    let diagnostics = client.diagnostics(&main_uri);
    assert_eq!(codes(&diagnostics), ["eks-public-endpoint", "iam-service-wildcard"], "{diagnostics:#?}");

    // The exact range, in UTF-16 code units after the emoji (the rocket is two of them).
    let eks = find(&diagnostics, "eks-public-endpoint").unwrap();
    let (line, character) = position(MAIN, "var.public", true);
    assert_eq!(start_of(eks), (line, character));
    assert_eq!(end_of(eks), (line, character + "var.public".len() as u64));
    assert_eq!(character, position(MAIN, "var.public", false).1 - 2, "the emoji is 2 UTF-16 units, 4 bytes");
    assert_eq!(eks["source"], "fleet-iam");
    assert_eq!(eks["severity"], 2, "warning");
    assert!(eks.get("codeDescription").is_none(), "rules have no URL yet: {eks}");
    let message = eks["message"].as_str().unwrap();
    assert!(message.contains("`endpoint_public_access` is `true`"), "{message}");
    assert!(message.contains("\nhelp: set `endpoint_public_access = false`"), "{message}");
    // The value comes from the default in variables.tf, on disk.
    let related = eks["relatedInformation"].as_array().unwrap();
    assert_eq!(related.len(), 1, "{eks:#}");
    assert_eq!(related[0]["location"]["uri"], variables_uri.as_str());
    assert_eq!(start_of(&related[0]["location"]), position(VARIABLES, "true", true));
    assert_eq!(related[0]["message"], "the default of `var.public`");

    let wildcard = find(&diagnostics, "iam-service-wildcard").unwrap();
    assert_eq!(start_of(wildcard), position(MAIN, "\"eks:*\"", true));
    assert_eq!(end_of(wildcard).1, start_of(wildcard).1 + "\"eks:*\"".len() as u64);
    assert_eq!(wildcard["severity"], 1, "error");
    // Nothing to say about variables.tf.
    assert_eq!(client.latest_diagnostics(&variables_uri), None);

    // Hover on the finding: its rule's documentation, as Markdown.
    let (line, character) = position(MAIN, "var.public", true);
    let at = json!({ "textDocument": { "uri": main_uri }, "position": { "line": line, "character": character + 3 } });
    let hover = client.request("textDocument/hover", at).unwrap();
    assert_eq!(hover["contents"]["kind"], "markdown");
    let markdown = hover["contents"]["value"].as_str().unwrap();
    assert!(markdown.contains("`eks-public-endpoint` (M5) · warning"), "{markdown}");
    assert!(markdown.contains("## What it does"), "{markdown}");
    assert!(markdown.contains("## Why is this bad?"), "{markdown}");
    assert_eq!(hover["range"], eks["range"]);
    // Nowhere near a finding: no hover.
    let away = json!({ "textDocument": { "uri": main_uri }, "position": { "line": 1, "character": 2 } });
    assert_eq!(client.request("textDocument/hover", away), Ok(Value::Null));

    // Ignore it here: the ignore comment, indented as the line, above it; once applied, the
    // finding is gone and the comment is not reported.
    let params = json!({
        "textDocument": { "uri": main_uri },
        "range": eks["range"],
        "context": { "diagnostics": [eks] },
    });
    let actions = client.request("textDocument/codeAction", params).unwrap();
    let actions = actions.as_array().unwrap();
    let ignore = actions.iter().find(|a| a["title"] == "Ignore `eks-public-endpoint` here").expect("an ignore action");
    assert_eq!(ignore["kind"], "quickfix");
    assert_eq!(ignore["diagnostics"][0]["code"], "eks-public-endpoint");
    let edits = ignore["edit"]["changes"][main_uri.as_str()].as_array().unwrap();
    assert_eq!(edits.len(), 1);
    assert_eq!(edits[0]["newText"], "    # fleet-iam-ignore: eks-public-endpoint -- <reason>\n");
    assert_eq!(start_of(&edits[0]), (line, 0));
    let ignored = apply_insertions(MAIN, edits);
    client.change(&main_uri, 2, &ignored);
    let diagnostics = client.diagnostics(&main_uri);
    assert_eq!(codes(&diagnostics), ["iam-service-wildcard"], "{diagnostics:#?}");

    // A fix of the policy in the buffer clears the file's diagnostics... and then none are left.
    let fixed = ignored.replace("\"eks:*\"", "\"eks:DescribeCluster\"");
    client.change(&main_uri, 3, &fixed);
    assert_eq!(client.diagnostics(&main_uri), Vec::<Value>::new(), "cleared");

    // Broken input: a parse error, and the server goes on.
    client.change(&main_uri, 4, "resource \"aws_instance\" \"web\" {\n  ami = \n");
    let diagnostics = client.diagnostics(&main_uri);
    let parse = find(&diagnostics, "parse-error").expect("a parse error");
    assert_eq!(parse["severity"], 1);
    assert_eq!(
        client
            .request(
                "textDocument/hover",
                json!({ "textDocument": { "uri": main_uri }, "position": { "line": 0, "character": 0 } })
            )
            .ok(),
        Some(Value::Null)
    );

    // A request for a document that is not open, an unknown method, bad parameters: errors.
    let nowhere =
        json!({ "textDocument": { "uri": "file:///nowhere/x.tf" }, "position": { "line": 0, "character": 0 } });
    let error = client.request("textDocument/hover", nowhere).unwrap_err();
    assert_eq!(error["code"], -32602, "{error}");
    assert!(error["message"].as_str().unwrap().contains("not an open document"), "{error}");
    let error = client.request("fleet-iam/nothing", json!({})).unwrap_err();
    assert_eq!(error["code"], -32601, "{error}");
    let error = client.request("textDocument/codeAction", json!({ "range": 3 })).unwrap_err();
    assert_eq!(error["code"], -32602, "{error}");

    let (status, _, stderr) = client.shutdown();
    assert_eq!(status, Some(0), "exit after shutdown is status 0; stderr: {stderr}");
}

#[test]
fn cross_file_values_follow_the_disk_and_deleted_files() {
    let dir = module();
    let (mut client, _) = start(dir.path(), json!({}));
    let main_uri = uri(&dir.path().join("main.tf"));
    let variables = dir.path().join("variables.tf");
    client.open(&main_uri, "terraform", MAIN);
    let diagnostics = client.diagnostics(&main_uri);
    assert!(find(&diagnostics, "eks-public-endpoint").is_some(), "{diagnostics:#?}");

    // The default changes on disk: the next check of the buffer reads it.
    std::fs::write(&variables, VARIABLES.replace("true", "false")).unwrap();
    client.change(&main_uri, 2, MAIN);
    let diagnostics = client.diagnostics(&main_uri);
    assert_eq!(codes(&diagnostics), ["iam-service-wildcard"], "{diagnostics:#?}");

    // An open buffer of variables.tf wins over the file on disk.
    let variables_uri = uri(&variables);
    client.open(&variables_uri, "terraform", VARIABLES);
    let diagnostics = client.diagnostics(&main_uri);
    assert_eq!(codes(&diagnostics), ["eks-public-endpoint", "iam-service-wildcard"], "{diagnostics:#?}");
    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": variables_uri } }));

    // Deleted under the buffer: the variable is gone, and so is its value.
    std::fs::remove_file(&variables).unwrap();
    client.change(&main_uri, 3, MAIN);
    let diagnostics = loop {
        let diagnostics = client.diagnostics(&main_uri);
        if find(&diagnostics, "eks-public-endpoint").is_none() {
            break diagnostics;
        }
    };
    assert_eq!(codes(&diagnostics), ["iam-service-wildcard"], "{diagnostics:#?}");
    // The module's directory itself goes: the buffer is still checked.
    drop(dir);
    client.change(&main_uri, 4, MAIN);
    assert_eq!(codes(&client.diagnostics(&main_uri)), ["iam-service-wildcard"]);

    // Closing the last file of the module clears its diagnostics.
    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": main_uri } }));
    assert_eq!(client.diagnostics(&main_uri), Vec::<Value>::new());
    let (status, _, _) = client.shutdown();
    assert_eq!(status, Some(0));
}

#[test]
fn utf8_positions_when_the_client_offers_them() {
    let dir = module();
    let capabilities = json!({ "general": { "positionEncodings": ["utf-8", "utf-16"] } });
    let (mut client, init) = start(dir.path(), capabilities);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    let main_uri = uri(&dir.path().join("main.tf"));
    client.open(&main_uri, "terraform", MAIN);
    let diagnostics = client.diagnostics(&main_uri);
    let eks = find(&diagnostics, "eks-public-endpoint").unwrap();
    assert_eq!(start_of(eks), position(MAIN, "var.public", false), "bytes: the emoji is 4");
    client.shutdown();
}

#[test]
fn policy_json_and_a_tfvars_buffer() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("ci.json");
    let policy_uri = uri(&policy);
    let text = r#"{
  "Version": "2012-10-17",
  "Statement": [{ "Sid": "ünïcode 🚀", "Effect": "Allow", "Action": "iam:*", "Resource": "*" }]
}
"#;
    let (mut client, _) = start(dir.path(), json!({}));
    client.open(&policy_uri, "json", text);
    let diagnostics = client.diagnostics(&policy_uri);
    let wildcard = find(&diagnostics, "iam-service-wildcard").expect("iam:* in a policy buffer");
    assert_eq!(start_of(wildcard), position(text, "\"iam:*\"", true));
    // JSON has no comments: no ignore action.
    let params =
        json!({ "textDocument": { "uri": policy_uri }, "range": wildcard["range"], "context": { "diagnostics": [] } });
    let actions = client.request("textDocument/codeAction", params).unwrap();
    assert!(!actions.to_string().contains("Ignore"), "{actions}");

    // A tfvars buffer with a secret-named literal, next to its variable declaration on disk.
    std::fs::write(dir.path().join("variables.tf"), "variable \"db_password\" {\n  sensitive = true\n}\n").unwrap();
    let tfvars_uri = uri(&dir.path().join("terraform.tfvars"));
    client.open(&tfvars_uri, "terraform-vars", "db_password = \"Q7vZ2kR9mW4x\"\n");
    let diagnostics = client.diagnostics(&tfvars_uri);
    assert!(find(&diagnostics, "secret-literal").is_some(), "{diagnostics:#?}");
    client.shutdown();
}

#[test]
fn exit_without_shutdown_is_status_1_and_closed_stdin_ends_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let (mut client, _) = start(dir.path(), json!({}));
    client.notify("exit", Value::Null);
    let (status, _, _) = client.finish();
    assert_eq!(status, Some(1));

    let (client, _) = start(dir.path(), json!({}));
    let (status, _, _) = client.finish();
    assert_eq!(status, Some(1), "stdin closed without exit");
}

#[test]
fn requests_after_shutdown_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (mut client, _) = start(dir.path(), json!({}));
    assert_eq!(client.request("shutdown", Value::Null), Ok(Value::Null));
    let error = client.request("textDocument/hover", json!({})).unwrap_err();
    assert_eq!(error["code"], -32600, "{error}");
    client.notify("exit", Value::Null);
    let (status, _, _) = client.finish();
    assert_eq!(status, Some(0));
}

/// Secrets planted in buffers and files on disk (a password default, a Helm `set`, a GitHub
/// token in a comment, a tfvars value, a literal in a broken buffer) never appear in anything the
/// server sends: diagnostics, related information, hovers, code actions, errors, or its stderr.
#[test]
fn no_secret_in_any_message() {
    let mut tree = safety::Tree::new();
    let mut lcg = safety::Lcg::new(16);
    let default = tree.secret(lcg.secret(20));
    let token = tree.secret(lcg.github_token());
    let password = tree.secret(lcg.secret(18));
    let helm = tree.secret(lcg.secret(22));
    let tfvar = tree.secret(lcg.secret(16));
    let key = tree.secret(lcg.aws_key_id());
    tree.write("variables.tf", &format!("variable \"db_password\" {{\n  default = \"{default}\"\n}}\n"));
    tree.write(
        "main.tf",
        &format!(
            r#"# deploy token {token}
resource "aws_db_instance" "db" {{
  password = "{password}"
}}

resource "helm_release" "grafana" {{
  name = "grafana"
  set {{
    name  = "adminPassword"
    value = "{helm}"
  }}
}}

output "db_password" {{
  value = var.db_password
}}
"#
        ),
    );
    tree.write("terraform.tfvars", &format!("db_password = \"{tfvar}\"\naws_key = \"{key}\"\n"));
    let root = tree.root().to_path_buf();
    let (mut client, _) = start(&root, json!({}));
    let mut seen = Vec::new();
    for (name, language) in [("main.tf", "terraform"), ("terraform.tfvars", "terraform-vars")] {
        let file_uri = uri(&root.join(name));
        // The buffer differs from the disk: one more line at its top.
        let text = format!("# edited\n{}", tree.files[name]);
        client.open(&file_uri, language, &text);
        let diagnostics = client.diagnostics(&file_uri);
        for d in &diagnostics {
            let at = json!({ "textDocument": { "uri": file_uri }, "position": d["range"]["start"] });
            client.request("textDocument/hover", at).unwrap();
            let params =
                json!({ "textDocument": { "uri": file_uri }, "range": d["range"], "context": { "diagnostics": [d] } });
            client.request("textDocument/codeAction", params).unwrap();
        }
        seen.extend(diagnostics);
    }
    // variables.tf is not open, and has findings of its own in the module.
    seen.extend(client.latest_diagnostics(&uri(&root.join("variables.tf"))).expect("published for variables.tf"));
    let rules = codes(&seen);
    for rule in ["secret-literal", "helm-set-secret", "secret-variable-not-sensitive"] {
        assert!(rules.contains(&rule), "{rule} among {rules:?}");
    }
    assert!(seen.iter().any(|d| d["message"].as_str().unwrap().contains("****")), "masked: {seen:#?}");
    // A broken buffer around a secret.
    let main_uri = uri(&root.join("main.tf"));
    client.latest_diagnostics(&main_uri);
    client.change(&main_uri, 2, &format!("resource \"aws_db_instance\" \"db\" {{\n  password = \"{password}\n"));
    let diagnostics = client.diagnostics(&main_uri);
    assert!(find(&diagnostics, "parse-error").is_some(), "{diagnostics:#?}");
    let (status, received, stderr) = client.shutdown();
    assert_eq!(status, Some(0));

    let mut background = tree.background();
    for name in ["main.tf", "terraform.tfvars"] {
        let mut text = tree.files[name].clone();
        for secret in &tree.secrets {
            text = text.replace(secret.as_str(), "\u{0}");
        }
        background.push_str(&text);
    }
    let mut outputs: Vec<(String, String)> =
        received.into_iter().enumerate().map(|(i, m)| (format!("message {i}"), m)).collect();
    outputs.push(("stderr".into(), stderr));
    let found = safety::leaks(&outputs, &tree.secrets, &background);
    assert!(found.is_empty(), "secrets sent:\n{}", found.join("\n"));
}

/// Applies LSP text edits (UTF-16 positions) to `text`.
fn apply_edits(text: &str, edits: &[Value]) -> String {
    let offset = |line: u64, character: u64| {
        let start: usize = text.split_inclusive('\n').take(line as usize).map(str::len).sum();
        let mut units = 0;
        for (i, c) in text[start..].char_indices() {
            if units >= character as usize || c == '\n' {
                return start + i;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    let mut edits: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            let (start, end) = (start_of(e), end_of(e));
            (offset(start.0, start.1), offset(end.0, end.1), e["newText"].as_str().unwrap())
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse((e.0, e.1)));
    let mut out = text.to_string();
    for (start, end, new) in edits {
        out.replace_range(start..end, new);
    }
    out
}

/// The safe fixes of `check --fix` are quickfixes: preferred, on their diagnostic, and once
/// applied the finding is gone and the rest of the buffer is as it was.
#[test]
fn safe_fixes_are_quickfixes() {
    let dir = tempfile::tempdir().unwrap();
    let main_uri = uri(&dir.path().join("main.tf"));
    let text = "variable \"db_password\" {\n  type = string # 🚀\n}\n\nresource \"aws_instance\" \"web\" {\n  ami           = \"ami-123\" # 🚀 the image\n  instance_type = \"t3.micro\"\n}\n";
    let (mut client, _) = start(dir.path(), json!({}));
    client.open(&main_uri, "terraform", text);
    let mut diagnostics = client.diagnostics(&main_uri);
    assert_eq!(codes(&diagnostics), ["secret-variable-not-sensitive", "imdsv2-required"], "{diagnostics:#?}");
    let mut text = text.to_string();
    for (version, rule) in [(2, "secret-variable-not-sensitive"), (3, "imdsv2-required")] {
        let d = find(&diagnostics, rule).unwrap().clone();
        let params =
            json!({ "textDocument": { "uri": main_uri }, "range": d["range"], "context": { "diagnostics": [d] } });
        let actions = client.request("textDocument/codeAction", params).unwrap();
        let fixes: Vec<&Value> = actions.as_array().unwrap().iter().filter(|a| a["isPreferred"] == true).collect();
        assert_eq!(fixes.len(), 1, "one preferred fix for {rule}: {actions:#}");
        let fix = fixes[0];
        assert_eq!(fix["kind"], "quickfix");
        assert_eq!(fix["diagnostics"][0]["code"], rule);
        assert!(!fix["title"].as_str().unwrap().is_empty());
        let fixed = apply_edits(&text, fix["edit"]["changes"][main_uri.as_str()].as_array().unwrap());
        // Only lines are added: every line of the buffer is still there, in order.
        let mut kept = fixed.lines();
        assert!(text.lines().all(|line| kept.any(|l| l == line)), "{fixed}");
        text = fixed;
        client.change(&main_uri, version, &text);
        diagnostics = client.diagnostics(&main_uri);
        assert!(find(&diagnostics, rule).is_none(), "{rule} fixed:\n{text}\n{diagnostics:#?}");
    }
    assert_eq!(diagnostics, Vec::<Value>::new(), "{text}");
    assert!(text.contains("sensitive = true") && text.contains("http_tokens = \"required\""), "{text}");
    client.shutdown();
}

/// The VS Code extension starts `fleet-iam lsp` for every kind of file the server checks, with
/// the debounce setting as its initialization option.
#[test]
fn the_vscode_extension_starts_the_server() {
    let dir = common::repo_root().join("editors/vscode");
    let manifest: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("package.json")).unwrap()).unwrap();
    assert_eq!(manifest["main"], "./extension.js");
    assert!(manifest["dependencies"]["vscode-languageclient"].is_string(), "{manifest:#}");
    let settings = &manifest["contributes"]["configuration"]["properties"];
    assert_eq!(settings["fleet-iam.path"]["default"], "fleet-iam");
    assert_eq!(settings["fleet-iam.debounceMs"]["default"], 150);
    let extension = std::fs::read_to_string(dir.join("extension.js")).unwrap();
    assert!(extension.contains("args: ['lsp']"), "{extension}");
    assert!(extension.contains("initializationOptions: { debounceMs:"), "{extension}");
    for pattern in ["'**/*.tf'", "'**/*.tfvars'", "'**/*.tf.json'", "language: 'json'"] {
        assert!(extension.contains(pattern), "{pattern} not in the document selector");
    }
}

/// The configuration is found as `fleet-iam check` finds it; a broken one is said on the open
/// file, and a change on disk is seen through `didChangeWatchedFiles`, without an edit.
#[test]
fn configuration_is_the_clis_and_a_broken_one_is_said() {
    let dir = module();
    let config = dir.path().join("fleet-iam.toml");
    let docs = "docs-url = \"https://docs.example.org/fleet-iam/\"\n";
    std::fs::write(&config, format!("{docs}[rules.iam-service-wildcard]\nseverity = \"note\"\n")).unwrap();
    let main_uri = uri(&dir.path().join("main.tf"));
    let (mut client, _) = start(dir.path(), json!({}));
    client.open(&main_uri, "terraform", MAIN);
    let diagnostics = client.diagnostics(&main_uri);
    let wildcard = find(&diagnostics, "iam-service-wildcard").unwrap();
    assert_eq!(wildcard["severity"], 3, "a note is information");
    // The rule's page under the configured `docs-url`, as SARIF's `helpUri`.
    let href = &wildcard["codeDescription"]["href"];
    assert_eq!(href, "https://docs.example.org/fleet-iam/rules.md#iam-service-wildcard", "{wildcard:#}");

    std::fs::write(&config, "colour = \"red\"\n").unwrap();
    client.change(&main_uri, 2, MAIN);
    let diagnostics = client.diagnostics(&main_uri);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let message = diagnostics[0]["message"].as_str().unwrap();
    assert!(message.contains("cannot load the configuration") && message.contains("fleet-iam.toml"), "{message}");
    assert_eq!(diagnostics[0]["severity"], 1);
    assert_eq!(start_of(&diagnostics[0]), (0, 0));

    std::fs::remove_file(&config).unwrap();
    let change = json!({ "changes": [{ "uri": uri(&config), "type": 3 }] });
    client.notify("workspace/didChangeWatchedFiles", change);
    let diagnostics = client.diagnostics(&main_uri);
    assert_eq!(codes(&diagnostics), ["eks-public-endpoint", "iam-service-wildcard"], "{diagnostics:#?}");
    assert_eq!(find(&diagnostics, "iam-service-wildcard").unwrap()["severity"], 1, "the recommended pack again");
    assert!(
        diagnostics.iter().all(|d| d.get("codeDescription").is_none()),
        "no URL without docs-url: {diagnostics:#?}"
    );
    client.shutdown();
}

/// The configuration's `var-files` set variables in the editor as they do in `fleet-iam check`,
/// and an open buffer of one wins over its file.
#[test]
fn var_files_of_the_configuration_set_variables() {
    let dir = module();
    std::fs::write(dir.path().join("variables.tf"), VARIABLES.replace("true", "false")).unwrap();
    std::fs::create_dir(dir.path().join("env")).unwrap();
    let prod = dir.path().join("env/prod.tfvars");
    std::fs::write(&prod, "public = true\n").unwrap();
    std::fs::write(dir.path().join("fleet-iam.toml"), "var-files = [\"env/prod.tfvars\"]\n").unwrap();
    std::fs::write(dir.path().join("main.tf"), MAIN).unwrap();
    let cli =
        common::fleet_iam_in(dir.path(), &["check", "--format", "compact", "--select", "eks-public-endpoint", "."]);
    assert!(cli.stdout.contains("main.tf:7:"), "the CLI reads the var file: {}", cli.stdout);

    let main_uri = uri(&dir.path().join("main.tf"));
    let (mut client, _) = start(dir.path(), json!({}));
    client.open(&main_uri, "terraform", MAIN);
    let diagnostics = client.diagnostics(&main_uri);
    assert_eq!(codes(&diagnostics), ["eks-public-endpoint", "iam-service-wildcard"], "{diagnostics:#?}");

    // Opening the variable file checks the modules again: no change of main.tf is needed.
    let prod_uri = uri(&prod);
    client.open(&prod_uri, "terraform-vars", "public = false\n");
    let diagnostics = client.diagnostics(&main_uri);
    assert_eq!(codes(&diagnostics), ["iam-service-wildcard"], "{diagnostics:#?}");
    client.change(&prod_uri, 2, "public = true\n");
    let diagnostics = client.diagnostics(&main_uri);
    assert_eq!(codes(&diagnostics), ["eks-public-endpoint", "iam-service-wildcard"], "{diagnostics:#?}");
    client.shutdown();
}

/// A plan next to the module is not part of it: not reported (`fleet-iam check` of the directory
/// reports `plan-secret-exposed` in it), and a JSON file too large to be a policy is not read.
#[test]
fn a_plan_beside_the_module_is_left_alone() {
    let dir = module();
    let plan = r#"{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{}},"resource_changes":[],"variables":{"db_password":{"value":"Q7vZ2kR9mW4x"}},"configuration":{"root_module":{"variables":{"db_password":{}}}}}"#;
    std::fs::write(dir.path().join("plan.json"), plan).unwrap();
    std::fs::write(dir.path().join("huge.json"), format!("[{}1]", "1,".repeat(11 << 20))).unwrap();
    let main_uri = uri(&dir.path().join("main.tf"));
    let (mut client, _) = Client::start(dir.path(), json!({}), json!({ "debounceMs": 0 }));
    client.open(&main_uri, "terraform", MAIN);
    assert_eq!(codes(&client.diagnostics(&main_uri)), ["eks-public-endpoint", "iam-service-wildcard"]);
    let (status, received, _) = client.shutdown();
    assert_eq!(status, Some(0));
    for name in ["plan.json", "huge.json"] {
        assert!(!received.iter().any(|m| m.contains(name)), "nothing about {name}: {received:#?}");
    }
}

/// In a heredoc, a comment line would be part of the policy: the ignore comment goes above the
/// attribute, which covers the whole heredoc, and once applied the finding is suppressed.
#[test]
fn ignore_in_a_heredoc_goes_above_its_attribute() {
    let text = "resource \"aws_iam_policy\" \"ci\" {\n  name   = \"ci\"\n  policy = <<EOF\n{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"eks:*\",\n      \"Resource\": \"*\"\n    }\n  ]\n}\nEOF\n}\n";
    let dir = tempfile::tempdir().unwrap();
    let main_uri = uri(&dir.path().join("iam.tf"));
    let (mut client, _) = start(dir.path(), json!({}));
    client.open(&main_uri, "terraform", text);
    let diagnostics = client.diagnostics(&main_uri);
    let wildcard = find(&diagnostics, "iam-service-wildcard").expect("eks:* in the heredoc").clone();
    let params = json!({ "textDocument": { "uri": main_uri }, "range": wildcard["range"], "context": { "diagnostics": [wildcard] } });
    let actions = client.request("textDocument/codeAction", params).unwrap();
    let ignore = actions.as_array().unwrap().iter().find(|a| a["title"] == "Ignore `iam-service-wildcard` here");
    let edits = ignore.expect("an ignore action")["edit"]["changes"][main_uri.as_str()].as_array().unwrap().clone();
    assert_eq!(start_of(&edits[0]), position(text, "  policy = <<EOF", true), "above the attribute: {edits:#?}");
    assert_eq!(edits[0]["newText"], "  # fleet-iam-ignore: iam-service-wildcard -- <reason>\n");
    client.change(&main_uri, 2, &apply_insertions(text, &edits));
    let diagnostics = client.diagnostics(&main_uri);
    assert!(find(&diagnostics, "iam-service-wildcard").is_none(), "{diagnostics:#?}");
    assert!(diagnostics.iter().all(|d| d["code"] != "suppression" && d["code"] != "parse-error"), "{diagnostics:#?}");
    client.shutdown();
}

/// An `[[ignore]]` entry for other directories is not "suppressing nothing" in the one module an
/// editor checks, and an entry for this module's files applies as in the CLI.
#[test]
fn ignore_entries_of_the_configuration_apply_and_are_not_reported() {
    let dir = module();
    let config = "[[ignore]]\npaths = [\"legacy/**\"]\nrules = [\"iam-not-action\"]\nreason = \"old account\"\n\n\
                  [[ignore]]\npaths = [\"main.tf\"]\nrules = [\"eks-public-endpoint\"]\nreason = \"VPN rollout\"\n";
    std::fs::write(dir.path().join("fleet-iam.toml"), config).unwrap();
    let main_uri = uri(&dir.path().join("main.tf"));
    let (mut client, _) = start(dir.path(), json!({}));
    client.open(&main_uri, "terraform", MAIN);
    assert_eq!(codes(&client.diagnostics(&main_uri)), ["iam-service-wildcard"]);
    let (_, received, _) = client.shutdown();
    let uris: Vec<String> = received
        .iter()
        .map(|m| serde_json::from_str::<Value>(m).unwrap())
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .map(|m| m["params"]["uri"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(uris, [main_uri], "nothing published for fleet-iam.toml");
    assert!(!received.iter().any(|m| m.contains("suppresses nothing")), "{received:#?}");
}

/// What a client should not send still gets a sane answer: a buffer that is not a file, a change
/// of a document that is not open, and a change by range (only full texts are asked for), with
/// UTF-16 positions after an emoji.
#[test]
fn odd_documents_and_ranged_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (mut client, _) = start(dir.path(), json!({}));
    client.open("untitled:Untitled-1", "terraform", "resource \"aws_instance\" \"a\" {\n  ami = \"x\"\n}\n");
    let at = json!({ "textDocument": { "uri": "untitled:Untitled-1" }, "position": { "line": 0, "character": 0 } });
    assert_eq!(client.request("textDocument/hover", at).unwrap_err()["code"], -32602);
    client.change(&uri(&dir.path().join("never-opened.tf")), 2, "resource {");

    let main_uri = uri(&dir.path().join("main.tf"));
    let text = "resource \"aws_instance\" \"web\" {\n  ami = \"🚀\"\n}\n";
    client.open(&main_uri, "terraform", text);
    assert_eq!(codes(&client.diagnostics(&main_uri)), ["imdsv2-required"]);
    // Replace exactly the rocket (UTF-16 columns 9 to 11 of line 1). Counted in characters or
    // bytes, the range would take the closing quote or split the emoji, and the file would not
    // parse.
    let change = json!({
        "textDocument": { "uri": main_uri, "version": 2 },
        "contentChanges": [{ "range": { "start": { "line": 1, "character": 9 }, "end": { "line": 1, "character": 11 } }, "text": "ami-1" }],
    });
    client.notify("textDocument/didChange", change);
    let diagnostics = client.diagnostics(&main_uri);
    assert_eq!(codes(&diagnostics), ["imdsv2-required"], "{diagnostics:#?}");
    // Then a metadata_options block inserted before the closing brace (line 2, column 0).
    let change = json!({
        "textDocument": { "uri": main_uri, "version": 3 },
        "contentChanges": [{ "range": { "start": { "line": 2, "character": 0 }, "end": { "line": 2, "character": 0 } }, "text": "  metadata_options {\n    http_tokens = \"required\"\n  }\n" }],
    });
    client.notify("textDocument/didChange", change);
    assert_eq!(client.diagnostics(&main_uri), Vec::<Value>::new());
    let (status, _, _) = client.shutdown();
    assert_eq!(status, Some(0));
}
