//! What the secret-safety tests share: random secrets whose 4-character pieces are unique, trees
//! of files in a temporary directory, one run of the binary per output path, and the check that
//! no output path shows a secret or a piece of one.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::sync::OnceLock;

pub use crate::common::{fleet_iam_in, fleet_iam_stdin};

/// The formats of `fleet-iam check --format`.
pub const FORMATS: &[&str] = &["text", "compact", "json", "sarif", "github", "markdown"];

/// A small linear congruential generator: the same secrets on every run, without a crate.
pub struct Lcg(u64);

const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
const DIGIT: &[u8] = b"23456789";
/// AWS's base32 alphabet, split into its letters and digits.
const B32_DIGIT: &[u8] = b"234567";

impl Lcg {
    pub fn new(seed: u64) -> Lcg {
        let mut lcg = Lcg(seed ^ 0x5DEE_CE66_D1CE_4E5B);
        lcg.next();
        lcg
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick(&mut self, set: &[u8]) -> char {
        set[self.below(set.len())] as char
    }

    /// `len` characters cycling upper case letter, digit, lower case letter (`Q7vZ2k...`): every
    /// 4 characters of it hold an upper case letter, a digit and a lower case letter, so that no
    /// piece of it occurs in English text, hex fingerprints or the tool's documentation.
    pub fn secret(&mut self, len: usize) -> String {
        let start = self.below(3);
        (0..len)
            .map(|i| match (start + i) % 3 {
                0 => self.pick(UPPER),
                1 => self.pick(DIGIT),
                _ => self.pick(LOWER),
            })
            .collect()
    }

    /// A GitHub personal access token: `ghp_` and 36 letters or digits.
    pub fn github_token(&mut self) -> String {
        format!("ghp_{}", self.secret(36))
    }

    /// An AWS access key id: `AKIA` and 16 characters of `[A-Z2-7]`, letters and digits in turn.
    pub fn aws_key_id(&mut self) -> String {
        let body: String = (0..16).map(|i| if i % 2 == 0 { self.pick(UPPER) } else { self.pick(B32_DIGIT) }).collect();
        format!("AKIA{body}")
    }

    /// The base64 lines of a PEM private key body (`MII...` then random lines of 64).
    pub fn pem_body(&mut self, lines: usize) -> Vec<String> {
        (0..lines).map(|i| if i == 0 { format!("MIIE{}", self.secret(60)) } else { self.secret(64) }).collect()
    }
}

/// `secret` written with `\uXXXX` escapes, as HCL and JSON read them.
pub fn escaped(secret: &str) -> String {
    secret.chars().map(|c| format!("\\u{:04x}", c as u32)).collect()
}

/// A PEM private key in a heredoc body, indented by `indent`.
pub fn pem(body: &[String], indent: &str) -> String {
    let mut out = format!("{indent}-----BEGIN RSA PRIVATE KEY-----\n");
    for line in body {
        out.push_str(&format!("{indent}{line}\n"));
    }
    out.push_str(&format!("{indent}-----END RSA PRIVATE KEY-----\n"));
    out
}

/// A tree of input files in a temporary directory, and the secrets planted in it.
pub struct Tree {
    pub dir: tempfile::TempDir,
    pub files: BTreeMap<String, String>,
    pub secrets: Vec<String>,
}

impl Default for Tree {
    fn default() -> Tree {
        Tree::new()
    }
}

impl Tree {
    pub fn new() -> Tree {
        Tree { dir: tempfile::tempdir().unwrap(), files: BTreeMap::new(), secrets: Vec::new() }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Records `secret` as one that no output may show, and returns it.
    pub fn secret(&mut self, secret: String) -> String {
        self.secrets.push(secret.clone());
        secret
    }

    pub fn write(&mut self, path: &str, content: &str) {
        let full = self.dir.path().join(path);
        fs::create_dir_all(full.parent().unwrap()).unwrap();
        fs::write(&full, content).unwrap();
        self.files.insert(path.to_string(), content.to_string());
    }

    pub fn remove(&mut self, path: &str) {
        fs::remove_file(self.dir.path().join(path)).unwrap();
        self.files.remove(path);
    }

    /// Where `needle` first starts in `path`: 1-based line and column (in characters).
    pub fn position(&self, path: &str, needle: &str) -> (u64, u64) {
        let text = &self.files[path];
        let at = text.find(needle).unwrap_or_else(|| panic!("`{needle}` is not in {path}"));
        let before = &text[..at];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap().chars().count() + 1;
        (line as u64, column as u64)
    }

    /// What the inputs hold besides the secrets (and their escaped forms), and the tool's own
    /// documentation: a piece of a secret that occurs there may be printed.
    pub fn background(&self) -> String {
        let mut text = static_text().to_string();
        for content in self.files.values() {
            let mut content = content.clone();
            // Longest first, so that a secret that holds another is removed whole.
            let mut secrets: Vec<&String> = self.secrets.iter().collect();
            secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
            for secret in secrets {
                content = content.replace(secret.as_str(), "\u{0}").replace(&escaped(secret), "\u{0}");
            }
            text.push_str(&content);
            text.push('\u{0}');
        }
        text
    }
}

/// The documentation the tool prints whatever its input: the SARIF report of an empty tree
/// (every rule's help) and `fleet-iam rules`.
pub fn static_text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let sarif = fleet_iam_in(dir.path(), &["check", "--format", "sarif", "--color", "never", "."]);
        let rules = fleet_iam_in(dir.path(), &["rules"]);
        format!("{}\n{}", sarif.stdout, rules.stdout)
    })
}

/// Every output path of one check of a tree.
pub struct Outputs {
    /// `(what, text)`: the stdout and stderr of each format, the baseline file written by
    /// `--write-baseline`, and the stderr of a later `--baseline` run.
    pub all: Vec<(String, String)>,
    pub code: i32,
    pub text: String,
    pub compact: String,
    pub github: String,
    pub json: Value,
    pub sarif: Value,
    /// The baseline file, as written.
    pub baseline_text: String,
    pub baseline: Value,
    /// The stderr of `check --baseline` on the same tree.
    pub baseline_stderr: String,
}

impl Outputs {
    pub fn get(&self, what: &str) -> &str {
        &self.all.iter().find(|(w, _)| w == what).unwrap().1
    }

    /// The JSON findings.
    pub fn findings(&self) -> &Vec<Value> {
        self.json["findings"].as_array().unwrap()
    }

    /// The JSON findings of `rule` in `path`.
    pub fn findings_of(&self, rule: &str, path: &str) -> Vec<&Value> {
        self.findings().iter().filter(|f| f["rule"] == rule && f["path"] == path).collect()
    }

    pub fn sarif_results(&self) -> &Vec<Value> {
        self.sarif["runs"][0]["results"].as_array().unwrap()
    }
}

/// Checks the tree at `tree` (as `.`, from inside it) in every format, writes a baseline, and
/// checks again against it. `extra` goes to every run.
pub fn check_all(tree: &Path, extra: &[&str]) -> Outputs {
    let mut all = Vec::new();
    let mut by_format = BTreeMap::new();
    let mut code = None;
    for format in FORMATS {
        let mut args = vec!["check", "--format", format, "--color", "never"];
        args.extend_from_slice(extra);
        args.push(".");
        let run = fleet_iam_in(tree, &args);
        assert!(run.code == 0 || run.code == 1, "{format}: exit {}\n{}", run.code, run.stderr);
        if let Some(code) = code {
            assert_eq!(run.code, code, "{format} exits as the others");
        }
        code = Some(run.code);
        all.push((format!("{format} stdout"), run.stdout.clone()));
        all.push((format!("{format} stderr"), run.stderr.clone()));
        by_format.insert(*format, run.stdout);
    }
    let out = tempfile::tempdir().unwrap();
    let baseline_path = out.path().join("baseline.json");
    let baseline_arg = baseline_path.to_str().unwrap();
    let mut args = vec!["check", "--format", "compact", "--color", "never", "--write-baseline", baseline_arg];
    args.extend_from_slice(extra);
    args.push(".");
    let run = fleet_iam_in(tree, &args);
    all.push(("--write-baseline stdout".into(), run.stdout));
    all.push(("--write-baseline stderr".into(), run.stderr));
    let baseline_text = fs::read_to_string(&baseline_path).expect("--write-baseline writes the file");
    all.push(("baseline file".into(), baseline_text.clone()));
    let mut args = vec!["check", "--format", "compact", "--color", "never", "--baseline", baseline_arg];
    args.extend_from_slice(extra);
    args.push(".");
    let run = fleet_iam_in(tree, &args);
    all.push(("--baseline stdout".into(), run.stdout));
    all.push(("--baseline stderr".into(), run.stderr.clone()));
    // `--statistics`, in both of its forms, and `-o FILE` (the file's text, and what is left on
    // stdout and stderr).
    for form in ["text", "json"] {
        let mut args = vec!["check", "--statistics", "--format", form];
        args.extend_from_slice(extra);
        args.push(".");
        let run = fleet_iam_in(tree, &args);
        all.push((format!("--statistics {form} stdout"), run.stdout));
        all.push((format!("--statistics {form} stderr"), run.stderr));
    }
    for format in ["text", "markdown"] {
        let report = out.path().join(format!("report.{format}"));
        let mut args = vec!["check", "--format", format, "-o", report.to_str().unwrap()];
        args.extend_from_slice(extra);
        args.push(".");
        let run = fleet_iam_in(tree, &args);
        assert!(run.stdout.is_empty(), "-o leaves stdout empty: {}", run.stdout);
        all.push((format!("-o {format} stderr"), run.stderr));
        all.push((format!("-o {format} file"), fs::read_to_string(&report).expect("-o writes the file")));
    }
    // Each file through standard input, as if it were at its own path.
    for name in files_under(tree) {
        let input = fs::read(tree.join(&name)).unwrap();
        for format in ["markdown", "text"] {
            let mut args = vec!["check", "--format", format, "--color", "never", "--stdin-filename", name.as_str()];
            args.extend_from_slice(extra);
            args.push("-");
            let run = fleet_iam_stdin(tree, &args, &input);
            assert!(run.code <= 1, "stdin {name}: exit {}\n{}", run.code, run.stderr);
            all.push((format!("stdin {name} {format} stdout"), run.stdout));
            all.push((format!("stdin {name} {format} stderr"), run.stderr));
        }
    }
    let json: Value = serde_json::from_str(&by_format["json"])
        .unwrap_or_else(|e| panic!("the JSON report parses: {e}\n{}", by_format["json"]));
    let sarif: Value =
        serde_json::from_str(&by_format["sarif"]).unwrap_or_else(|e| panic!("the SARIF report parses: {e}"));
    let baseline: Value = serde_json::from_str(&baseline_text).expect("the baseline file parses");
    Outputs {
        all,
        code: code.unwrap(),
        text: by_format["text"].clone(),
        compact: by_format["compact"].clone(),
        github: by_format["github"].clone(),
        json,
        sarif,
        baseline_text,
        baseline,
        baseline_stderr: run.stderr,
    }
}

/// The files under `dir`, as relative paths with `/`, sorted; `.git` left out.
fn files_under(dir: &Path) -> Vec<String> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) {
        let Ok(entries) = fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = if prefix.is_empty() { name.clone() } else { format!("{prefix}/{name}") };
            let kind = entry.file_type().unwrap();
            if kind.is_dir() && name != ".git" {
                walk(&entry.path(), &path, out);
            } else if kind.is_file() {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, "", &mut out);
    out.sort();
    out
}

/// The 4-character pieces of `secret`, each once.
pub fn pieces(secret: &str) -> Vec<String> {
    let chars: Vec<char> = secret.chars().collect();
    let mut out: Vec<String> = chars.windows(4.min(chars.len())).map(|w| w.iter().collect()).collect();
    out.sort();
    out.dedup();
    out
}

/// Every way an output in `all` shows one of `secrets`: the whole secret, a 4-character piece
/// of it that `background` does not hold, two of its characters in a row as `\uXXXX` escapes,
/// or a mask that keeps its first characters.
pub fn leaks(all: &[(String, String)], secrets: &[String], background: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (what, text) in all {
        let flat = text.to_lowercase().replace('\\', "");
        for secret in secrets {
            if text.contains(secret.as_str()) {
                found.push(format!("{what}: the secret `{secret}`"));
                continue;
            }
            for piece in pieces(secret) {
                if !background.contains(&piece) && text.contains(&piece) {
                    found.push(format!("{what}: `{piece}` of the secret `{secret}`"));
                }
            }
            let units: Vec<String> = secret.chars().map(|c| format!("u{:04x}", c as u32)).collect();
            for pair in units.windows(2) {
                let pair = pair.concat();
                if flat.contains(&pair) {
                    found.push(format!("{what}: `{pair}`, the escaped form of the secret `{secret}`"));
                }
            }
            let prefix: String = secret.chars().take(2).collect();
            if text.contains(&format!("{prefix}****")) {
                found.push(format!("{what}: a mask that keeps the first characters of `{secret}`"));
            }
        }
        if text.contains("*****") {
            found.push(format!("{what}: a mask longer than `****`, which tells a secret's length"));
        }
    }
    found
}

/// No output path of `outputs` shows a secret of `tree`.
#[track_caller]
pub fn assert_no_leak(tree: &Tree, outputs: &Outputs) {
    let found = leaks(&outputs.all, &tree.secrets, &tree.background());
    if !found.is_empty() {
        let mut report = found.join("\n");
        for (what, text) in &outputs.all {
            if what.starts_with("text stdout") || what.starts_with("baseline") || what.ends_with("stderr") {
                report.push_str(&format!("\n--- {what}:\n{text}"));
            }
        }
        panic!("secrets shown:\n{report}");
    }
}

/// The findings of a github report: `(file, line, col, endLine, endColumn, title)`, the end
/// `None` where absent.
pub fn github_findings(github: &str) -> Vec<BTreeMap<String, String>> {
    github
        .lines()
        .filter(|l| l.starts_with("::"))
        .map(|line| {
            let props = line.trim_start_matches("::").split_once(' ').map_or("", |(_, rest)| rest);
            let props = props.split_once("::").map_or(props, |(p, _)| p);
            props.split(',').filter_map(|kv| kv.split_once('=')).map(|(k, v)| (k.to_string(), v.to_string())).collect()
        })
        .collect()
}
