//! `cargo bench -p fleet-iam-cli --bench lsp_latency`: the time from a `didChange` to the
//! `publishDiagnostics` of the changed buffer, on a module of about 2,000 lines in four files
//! (the buffer is one of them; the others are read from disk on each check), through the real
//! binary over stdio. Measured with the debounce off (`debounceMs: 0`, the check itself and the
//! transport), and with the default debounce (what a user waits after the last keystroke).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "../tests/lsp_client/mod.rs"]
mod lsp_client;

use lsp_client::{Client, uri};
use lsp_server::Message;
use serde_json::json;
use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

/// A module of about 2,000 lines with findings in every file: `(name, text)`.
fn module() -> Vec<(&'static str, String)> {
    let mut variables = String::new();
    for i in 0..100 {
        let name = if i % 10 == 0 { format!("db_password_{i}") } else { format!("instance_count_{i}") };
        writeln!(variables, "variable \"{name}\" {{\n  type        = string\n  description = \"input {i}\"\n}}\n")
            .unwrap();
    }
    let mut iam = String::new();
    for i in 0..40 {
        let action = if i % 4 == 0 { "eks:*" } else { "s3:GetObject" };
        writeln!(
            iam,
            r#"resource "aws_iam_policy" "p{i}" {{
  name = "policy-{i}"
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Sid      = "S{i}"
      Effect   = "Allow"
      Action   = ["{action}", "s3:ListBucket"]
      Resource = "arn:aws:s3:::bucket-{i}/*"
    }}]
  }})
}}
"#
        )
        .unwrap();
    }
    let mut main = String::new();
    for i in 0..60 {
        let tokens = if i % 3 == 0 { "optional" } else { "required" };
        writeln!(
            main,
            "resource \"aws_instance\" \"web{i}\" {{\n  ami           = \"ami-{i:08}\"\n  instance_type = \"t3.micro\"\n  metadata_options {{\n    http_tokens = \"{tokens}\"\n  }}\n}}\n"
        )
        .unwrap();
    }
    for i in 0..10 {
        writeln!(
            main,
            "resource \"aws_eks_cluster\" \"c{i}\" {{\n  name     = \"cluster-{i}\"\n  role_arn = \"arn:aws:iam::123456789012:role/eks\"\n  vpc_config {{\n    subnet_ids              = [\"subnet-{i}\"]\n    endpoint_private_access = true\n    endpoint_public_access  = {}\n    public_access_cidrs     = [\"10.0.0.0/8\"]\n  }}\n}}\n",
            i % 2 == 0
        )
        .unwrap();
    }
    let mut outputs = String::new();
    for i in 0..100 {
        let value = if i % 10 == 0 { format!("var.db_password_{i}") } else { format!("var.instance_count_{i}") };
        writeln!(outputs, "output \"out_{i}\" {{\n  value = {value}\n}}\n").unwrap();
    }
    vec![("variables.tf", variables), ("iam.tf", iam), ("main.tf", main), ("outputs.tf", outputs)]
}

/// Times `rounds` changes of `main.tf`: each a new line at its end, so that every check sees a
/// new text. Returns the durations, sorted.
fn measure(dir: &Path, main: &str, debounce_ms: u64, rounds: usize) -> (Vec<Duration>, usize) {
    let (mut client, _) = Client::start(dir, json!({}), json!({ "debounceMs": debounce_ms }));
    let main_uri = uri(&dir.join("main.tf"));
    client.open(&main_uri, "terraform", main);
    let findings = client.diagnostics(&main_uri).len();
    let mut times = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let version = round as i32 + 2;
        let text = format!("{main}# edit {round}\n");
        let sent = Instant::now();
        client.change(&main_uri, version, &text);
        client.wait(|m| {
            matches!(m, Message::Notification(n)
                if n.method == "textDocument/publishDiagnostics" && n.params["uri"] == main_uri.as_str()
                    && n.params["version"] == version)
        });
        times.push(sent.elapsed());
    }
    client.shutdown();
    times.sort();
    (times, findings)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn summary(times: &[Duration]) -> String {
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    format!(
        "median {}, p90 {}, min {}, max {} ({} changes)",
        ms(at(0.5)),
        ms(at(0.9)),
        ms(at(0.0)),
        ms(at(1.0)),
        times.len()
    )
}

fn main() {
    // `cargo bench` passes `--bench`; a filter that is not ours skips the run.
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    if !args.is_empty() && !args.iter().any(|a| "lsp_latency".contains(a.as_str())) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let files = module();
    let lines: usize = files.iter().map(|(_, t)| t.lines().count()).sum();
    for (name, text) in &files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let main = &files.iter().find(|(n, _)| *n == "main.tf").unwrap().1;
    println!("module: {lines} lines in {} files; the buffer is main.tf ({} lines)", files.len(), main.lines().count());
    // Warm-up: the first check parses the IAM catalogue.
    measure(dir.path(), main, 0, 3);
    let (times, findings) = measure(dir.path(), main, 0, 100);
    println!("didChange -> publishDiagnostics, debounce off: {}", summary(&times));
    println!("  ({findings} diagnostics in main.tf, the module's other files published too)");
    let (times, _) = measure(dir.path(), main, 150, 10);
    println!("didChange -> publishDiagnostics, default debounce (150 ms): {}", summary(&times));
}
