//! Shell completions and the man page, generated from the clap definition.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::fleet_iam;

#[test]
fn every_shell_completes_check_and_its_flags() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let run = fleet_iam(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stdout.contains("check"), "{shell} does not complete `check`");
        // fish names long flags `-l format`; the others write `--format`.
        let format = if shell == "fish" { "-l format" } else { "--format" };
        assert!(run.stdout.contains(format), "{shell} does not complete `--format`");
        for subcommand in ["explain", "rules", "completions", "man", "lsp"] {
            assert!(run.stdout.contains(subcommand), "{shell} does not complete `{subcommand}`");
        }
    }
    // The formats a user can pick are offered as values.
    let bash = fleet_iam(&["completions", "bash"]).stdout;
    assert!(bash.contains("text compact json sarif github"), "{bash}");
}

#[test]
fn unknown_shell_exits_two() {
    let run = fleet_iam(&["completions", "cmd"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("bash"), "{}", run.stderr);
}

#[test]
fn man_page_names_every_subcommand() {
    let run = fleet_iam(&["man"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(".TH fleet-iam 1"), "{}", run.stdout);
    assert!(run.stdout.contains(".SH SUBCOMMANDS"), "{}", run.stdout);
    // roff escapes each `-` as `\-`.
    for subcommand in ["check", "explain", "rules", "completions", "man", "lsp"] {
        assert!(
            run.stdout.contains(&format!("fleet\\-iam\\-{subcommand}(1)")),
            "{subcommand} missing:\n{}",
            run.stdout
        );
    }
}

#[test]
fn man_page_of_check_lists_its_flags() {
    let run = fleet_iam(&["man", "check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(".TH fleet-iam-check 1"), "{}", run.stdout);
    for flag in ["format", "config", "select", "ignore", "fail\\-on", "exclude", "color"] {
        assert!(run.stdout.contains(&format!("\\fB\\-\\-{flag}\\fR")), "--{flag} missing:\n{}", run.stdout);
    }
    assert!(run.stdout.contains("sarif"), "{}", run.stdout);
    let unknown = fleet_iam(&["man", "nope"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("check"), "{}", unknown.stderr);
}
