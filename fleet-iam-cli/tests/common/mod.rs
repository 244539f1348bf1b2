//! Runs the `fleet-iam` binary and captures what it did.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

/// The workspace root: CLI tests run there and pass relative paths, so that no output holds an
/// absolute path.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the CLI crate sits in the workspace").to_path_buf()
}

/// What one run of the binary produced.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// `fleet-iam` to run in `dir`, without colors from the environment. A run that does not end
/// within a minute is killed and fails the test: a FIFO or a device must not hang the walk.
pub fn command(dir: &Path) -> assert_cmd::Command {
    let mut command = assert_cmd::cargo::cargo_bin_cmd!("fleet-iam");
    command.current_dir(dir).env_remove("NO_COLOR").timeout(std::time::Duration::from_secs(60));
    command
}

/// Runs `command` to its end.
pub fn finish(command: &mut assert_cmd::Command) -> Run {
    let output = command.output().expect("the binary runs");
    let Some(code) = output.status.code() else { panic!("{command:?} did not finish: {:?}", output.status) };
    Run {
        code,
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// Runs `fleet-iam args...` in `dir`.
pub fn fleet_iam_in(dir: &Path, args: &[&str]) -> Run {
    finish(command(dir).args(args))
}

/// Runs `fleet-iam args...` in `dir` with `input` on standard input.
pub fn fleet_iam_stdin(dir: &Path, args: &[&str], input: &[u8]) -> Run {
    finish(command(dir).args(args).write_stdin(input.to_vec()))
}

/// Runs `fleet-iam args...` at the workspace root.
pub fn fleet_iam(args: &[&str]) -> Run {
    fleet_iam_in(&repo_root(), args)
}

/// The paths of a `--format compact` report, one per finding line.
pub fn compact_paths(stdout: &str) -> Vec<&str> {
    stdout.lines().filter_map(|line| line.split_once(':').map(|(path, _)| path)).collect()
}
