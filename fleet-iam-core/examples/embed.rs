//! Embedding fleet-iam: check texts a program already holds, print each diagnostic on one line,
//! and serialize the report as the JSON format shows findings.
//!
//! `cargo run -p fleet-iam-core --example embed` checks a Terraform file and a policy given
//! inline; with paths as arguments, it checks those files instead (each read by this program:
//! the library reads no file).

use fleet_iam_core::{Config, Severity, Source, SourceKind, check};
use std::process::ExitCode;

const TERRAFORM: &str = r#"resource "aws_iam_policy" "ci" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "eks:*", Resource = "*" }]
  })
}

resource "aws_instance" "runner" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.micro"
}
"#;

const POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::logs/*" }]
}
"#;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sources: Vec<Source> = if args.is_empty() {
        vec![
            Source::new("infra/ci.tf", TERRAFORM, SourceKind::Hcl),
            Source::new("policies/logs.policy.json", POLICY, SourceKind::Policy),
        ]
    } else {
        let mut sources = Vec::new();
        for path in &args {
            let text = match std::fs::read(path)
                .map_err(|e| e.to_string())
                .and_then(|b| Source::decode(&b).map_err(|e| e.to_string()))
            {
                Ok(text) => text,
                Err(e) => {
                    eprintln!("{path}: {e}");
                    return ExitCode::from(2);
                }
            };
            // The name says what a file is; JSON is told from its content.
            let kind = SourceKind::detect(path, &text).unwrap_or(SourceKind::Hcl);
            sources.push(Source::new(path.as_str(), text, kind));
        }
        sources
    };

    let mut config = Config::recommended();
    // Options take any strings: `&str`s here, `String`s from a command line.
    if let Err(e) = config.ignore(["secret-literal"]) {
        eprintln!("{e}");
        return ExitCode::from(2);
    }
    let report = check(&sources, &config);

    // `Display`: `path:line:col: severity[rule] message`, one line each, secrets masked.
    for diagnostic in &report.diagnostics {
        println!("{diagnostic}");
    }
    // `Serialize` (the default `serde` feature): the JSON format's finding objects.
    match serde_json::to_string(&report.diagnostics) {
        Ok(json) => println!("{json}"),
        Err(e) => eprintln!("cannot serialize: {e}"),
    }
    if report.max_severity() == Some(Severity::Error) { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}
