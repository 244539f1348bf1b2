//! GitHub Actions workflows (`.github/workflows/*.yml`): the Terraform variables they set from
//! CI secrets, and the module directories those reach; and each workflow as a unit of its own,
//! for its parse error and the secrets written into it.
//!
//! **Which variables.** An entry `TF_VAR_<name>` of an `env:` map (of the workflow, a job, a
//! job's `container`, or a step) whose value reads the `secrets` context: `${{ secrets.X }}`,
//! `${{ secrets['X'] }}`, `${{ secrets.X || '' }}`, a string with such an expression in it.
//! `${{ vars.X }}`, other contexts and literals are not CI secrets (a literal secret is a
//! finding of `secret-literal` on the workflow itself).
//!
//! **Which directories.** The steps an `env:` map reaches (the step itself; every step of its
//! job; every step of the workflow) that visibly run Terraform with variables:
//! - a `run:` script with a `terraform` or `tofu` command that reads variables (`plan`,
//!   `apply`, `destroy`, `import`, `refresh`, `console`, `test`) runs in its `-chdir=DIR`, else
//!   in the directory of the last `cd DIR` before it, from the step's `working-directory`, else
//!   the job's, else the workflow's `defaults.run.working-directory`, else the repository root
//!   (the directory that holds `.github`); `${{ github.workspace }}` and `$GITHUB_WORKSPACE`
//!   are the repository root;
//! - a `dflook/terraform-*` or `dflook/tofu-*` action that plans or applies runs in its `path`
//!   input (default: the repository root).
//!
//! Those directories are exact. When no step the map reaches visibly runs Terraform (a
//! `make plan`, a script, a reusable workflow), or a directory is an expression
//! (`${{ matrix.dir }}`, `$TF_DIR`) or outside the repository, the variable goes to every root
//! module of the repository instead (a module that no checked module calls), and is not exact:
//! a rule may then judge a variable that such a module declares, but not miss one it does not.

use super::paths;
use super::{Checker, Unit};
use crate::config::Config;
use crate::model::{At, Attribute, Block, Body, CiSecret, Credential, Entry, Module, SourceId, Value, ValueKind};
use crate::parse::Parsed;
use crate::secrets::find_credentials;
use crate::source::{Load, Source, Sources, Span};
use crate::suppress;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Where a workflow runs Terraform with a variable.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    /// This module directory, as the workflow names it.
    Dir(String),
    /// Any root module under this repository root.
    Roots(String),
}

/// A variable a workflow sets from a CI secret, and where Terraform reads it.
#[derive(Debug, Clone)]
pub(crate) struct Feed {
    variable: String,
    secret: String,
    at: At,
    targets: Vec<Target>,
}

/// The variables every workflow of the check sets from CI secrets, by the directory they reach.
#[derive(Debug, Default)]
pub(crate) struct Feeds {
    feeds: Vec<Feed>,
    by_dir: BTreeMap<String, Vec<usize>>,
    roots: Vec<(String, usize)>,
}

impl Feeds {
    /// Indexes the feeds of all workflows.
    pub(crate) fn new(feeds: Vec<Feed>) -> Feeds {
        let mut index = Feeds::default();
        for (i, feed) in feeds.iter().enumerate() {
            for target in &feed.targets {
                match target {
                    Target::Dir(dir) => index.by_dir.entry(dir.clone()).or_default().push(i),
                    Target::Roots(repo) => index.roots.push((repo.clone(), i)),
                }
            }
        }
        index.feeds = feeds;
        index
    }

    /// The CI secrets of a module in `dir`, exact ones first.
    fn of(&self, dir: &str, root: bool) -> Vec<CiSecret> {
        let exact = self.by_dir.get(dir).into_iter().flatten().map(|&i| (i, true));
        let guessed = self.roots.iter().filter(|(repo, _)| root && under(dir, repo)).map(|&(_, i)| (i, false));
        let mut out: Vec<CiSecret> = Vec::new();
        for (i, exact) in exact.chain(guessed) {
            let Some(feed) = self.feeds.get(i) else { continue };
            if out.iter().any(|c| c.at == feed.at) {
                continue;
            }
            out.push(CiSecret { variable: feed.variable.clone(), secret: feed.secret.clone(), at: feed.at, exact });
        }
        out
    }
}

/// Sets `module.ci_secrets`: the variables workflows set from CI secrets when they run
/// Terraform in its directory (or, not knowing where, in any root module).
pub(crate) fn assign(module: &mut Module, root: bool, feeds: &Feeds) {
    module.ci_secrets = feeds.of(&module.dir, root);
}

/// Whether `dir` is `repo` or inside it.
fn under(dir: &str, repo: &str) -> bool {
    if repo.is_empty() {
        return !dir.starts_with('/') && dir != ".." && !dir.starts_with("../");
    }
    dir == repo || dir.strip_prefix(repo).is_some_and(|rest| rest.starts_with('/'))
}

/// A workflow: the variables it sets from CI secrets, and its unit (its parse error, and the
/// secrets written into it, checked as a module of one `workflow` block).
pub(crate) fn read(
    sources: &[Source],
    load: &dyn Load,
    config: &Config,
    checker: &dyn Checker,
    id: SourceId,
) -> (Vec<Feed>, Unit) {
    let mut unit = Unit::default();
    let mut texts = Sources::new(sources, load);
    let Some(source) = texts.read(id.0) else {
        unit.unreadable = texts.failures().collect();
        return (Vec::new(), unit);
    };
    let name = source.name.clone();
    let credentials: Vec<(SourceId, Credential)> =
        find_credentials(&source.text).into_iter().map(|c| (id, c)).collect();
    let mut found = Vec::new();
    let parsed = match super::parse(source, id, config) {
        Ok(Parsed::Json(value)) => Some(value),
        Ok(Parsed::Hcl(_)) => None,
        Err(violation) => {
            found.push(("parse-error", *violation));
            None
        }
    };
    let mut module = Module { dir: format!("{name}#workflow"), credentials, ..Module::default() };
    unit.secrets.add_credentials(&module.credentials, &texts);
    let mut feeds = Vec::new();
    match parsed {
        Some(mut value) => {
            expressions(&mut value);
            feeds = feeds_of(&value, &name, id);
            module.sources.push(id);
            module.blocks.push(block_of(&value));
            unit.secrets.add_module(&module, &texts);
        }
        None => {
            module.unparsed.push(id);
            if let Some(source) = texts.get(id.0) {
                unit.secrets.unparsed(id, &source.text);
            }
        }
    }
    found.extend(checker.run(&texts, &[], Some(&module), None));
    unit.directives = suppress::directives(&texts, &[id], &[&module], &[]);
    unit.secrets.propagate(&texts, &[id]);
    unit.diagnostics = checker.located(&mut texts, found);
    unit.unreadable = texts.failures().collect();
    (feeds, unit)
}

/// Strings with a `${{ }}` expression are templates: their value is known only when the
/// workflow runs.
fn expressions(value: &mut Value) {
    match &mut value.kind {
        ValueKind::String(text) if text.contains("${{") => value.kind = ValueKind::Template(std::mem::take(text)),
        ValueKind::List(items) => Arc::make_mut(items).iter_mut().for_each(expressions),
        ValueKind::Object(entries) => entries.iter_mut().for_each(|e| expressions(&mut e.value)),
        _ => {}
    }
}

/// The text of a string or template.
fn text(value: &Value) -> Option<&str> {
    match &value.kind {
        ValueKind::String(text) | ValueKind::Template(text) => Some(text),
        _ => None,
    }
}

/// The value under `path` of nested mappings.
fn get<'v>(value: &'v Value, path: &[&str]) -> Option<&'v Value> {
    path.iter().try_fold(value, |v, key| v.get(key).map(|e| &e.value))
}

/// The entries of a mapping, with those of `<<` merge keys (which explicit keys override).
fn entries(value: Option<&Value>) -> Vec<&Entry> {
    let Some(all) = value.and_then(Value::as_object) else { return Vec::new() };
    let mut out: Vec<&Entry> = all.iter().filter(|e| e.key != "<<").collect();
    for merge in all.iter().filter(|e| e.key == "<<") {
        let merged: Vec<&Value> = match &merge.value.kind {
            ValueKind::List(items) => items.iter().collect(),
            _ => vec![&merge.value],
        };
        for entry in merged.into_iter().filter_map(Value::as_object).flatten() {
            if !out.iter().any(|e| e.key == entry.key) {
                out.push(entry);
            }
        }
    }
    out
}

/// The jobs of a workflow, with their steps.
fn jobs(root: &Value) -> Vec<(&Value, Vec<&Value>)> {
    entries(root.get("jobs").map(|e| &e.value))
        .into_iter()
        .map(|job| {
            let steps = job.value.get("steps").and_then(|s| s.value.as_list()).unwrap_or_default();
            (&job.value, steps.iter().collect())
        })
        .collect()
}

/// The parts of a workflow that hold values a person writes, as the attributes of one
/// `workflow` block: every `env:` entry, every `with:` input, container and service
/// `credentials`, the `secrets:` a job passes to a reusable workflow, and `run:` scripts. The
/// names are the keys (`run` for scripts). Keys such as `permissions: { id-token: write }` are
/// left out: they are not values.
fn block_of(root: &Value) -> Block {
    let mut attributes = Vec::new();
    let mut add = |entries: Vec<&Entry>| {
        for entry in entries {
            let span = Span::new(entry.key_at.span.start, entry.value.at.span.end.max(entry.key_at.span.end));
            attributes.push(Attribute {
                name: entry.key.to_string(),
                at: At::new(entry.key_at.source, span),
                key_at: entry.key_at,
                value: entry.value.clone(),
            });
        }
    };
    add(entries(root.get("env").map(|e| &e.value)));
    for (job, steps) in jobs(root) {
        for path in [&["env"][..], &["with"], &["secrets"], &["container", "env"], &["container", "credentials"]] {
            add(entries(get(job, path)));
        }
        for service in entries(job.get("services").map(|e| &e.value)) {
            add(entries(service.value.get("env").map(|e| &e.value)));
            add(entries(service.value.get("credentials").map(|e| &e.value)));
        }
        for step in steps {
            add(entries(step.get("env").map(|e| &e.value)));
            add(entries(step.get("with").map(|e| &e.value)));
            add(step.as_object().unwrap_or_default().iter().filter(|e| e.key == "run").collect());
        }
    }
    let at = At::new(root.at.source, root.at.span);
    Block {
        ident: "workflow".into(),
        labels: Vec::new(),
        at,
        header: At::new(at.source, Span::new(at.span.start, at.span.start)),
        body: Body { attributes, blocks: Vec::new() },
        full_address: None,
    }
}

/// The repository root of a workflow: the directory that holds its `.github`.
fn repository(name: &str) -> String {
    paths::dir_of(&paths::dir_of(&paths::dir_of(name)))
}

/// Where a step's commands start: a directory of the repository, or not known.
#[derive(Debug, Clone, PartialEq)]
enum Dir {
    Known(String),
    Unknown,
}

impl Dir {
    /// `path` from this directory: a literal relative path, or one from the repository root
    /// (`${{ github.workspace }}/x`, `$GITHUB_WORKSPACE/x`).
    fn join(&self, path: &str, repo: &str) -> Dir {
        let path = path.trim().trim_matches(['"', '\'']);
        if let Some(rest) = workspace_relative(path) {
            return Dir::Known(paths::join(repo, rest));
        }
        match self {
            Dir::Known(dir) if !path.contains('$') && !path.starts_with(['/', '~']) && !path.is_empty() => {
                let joined = paths::join(dir, path);
                if under(&joined, repo) { Dir::Known(joined) } else { Dir::Unknown }
            }
            Dir::Known(dir) if path.is_empty() => Dir::Known(dir.clone()),
            _ => Dir::Unknown,
        }
    }
}

/// What follows the repository root in a path that starts with it.
fn workspace_relative(path: &str) -> Option<&str> {
    let rest = if let Some(after) = path.strip_prefix("${{") {
        let close = after.find("}}")?;
        after[..close].trim().eq_ignore_ascii_case("github.workspace").then(|| &after[close + 2..])?
    } else {
        path.strip_prefix("${GITHUB_WORKSPACE}").or_else(|| path.strip_prefix("$GITHUB_WORKSPACE"))?
    };
    (rest.is_empty() || rest.starts_with('/')).then(|| rest.trim_start_matches('/'))
}

/// Words before a command that leave it the command.
const PREFIXES: &[&str] =
    &["sudo", "time", "exec", "command", "if", "then", "else", "elif", "do", "while", "until", "!"];

/// Terraform commands that read variables.
const READS_VARIABLES: &[&str] = &["plan", "apply", "destroy", "import", "refresh", "console", "test"];

/// `dflook/terraform-*` actions that read variables.
const DFLOOK_ACTIONS: &[&str] = &["plan", "apply", "check", "destroy", "destroy-workspace", "refresh"];

/// Where a step runs Terraform with variables (nothing when it does not visibly do so).
fn step_dirs(step: &Value, job: &Value, root: &Value, repo: &str) -> Vec<Dir> {
    let top = Dir::Known(repo.to_string());
    if let Some(action) = step.get("uses").and_then(|u| u.value.as_str()) {
        let name = action.split('@').next().unwrap_or_default().to_ascii_lowercase();
        let Some(which) = name.strip_prefix("dflook/terraform-").or_else(|| name.strip_prefix("dflook/tofu-")) else {
            return Vec::new();
        };
        if !DFLOOK_ACTIONS.contains(&which) {
            return Vec::new();
        }
        let path = get(step, &["with", "path"]).map_or(Some("."), text);
        return vec![path.map_or(Dir::Unknown, |p| top.join(p, repo))];
    }
    let Some(script) = step.get("run").and_then(|r| text(&r.value)) else { return Vec::new() };
    let working = [step.get("working-directory").map(|e| &e.value)]
        .into_iter()
        .chain([
            get(job, &["defaults", "run", "working-directory"]),
            get(root, &["defaults", "run", "working-directory"]),
        ])
        .flatten()
        .next();
    let base = match working {
        None => top,
        Some(value) => text(value).map_or(Dir::Unknown, |w| top.join(w, repo)),
    };
    terraform_dirs(script, base, repo)
}

/// The directories the Terraform commands of a script that read variables run in.
fn terraform_dirs(script: &str, base: Dir, repo: &str) -> Vec<Dir> {
    let script = script.replace("\\\n", " ");
    let mut cwd = base;
    let mut out = Vec::new();
    for command in script.split(['\n', ';', '&', '|']) {
        let mut words = command
            .split_whitespace()
            .map(|w| w.trim_start_matches(['(', '{']))
            .filter(|w| !w.is_empty())
            .skip_while(|w| (w.contains('=') && !w.starts_with('-')) || PREFIXES.contains(w));
        let Some(first) = words.next() else { continue };
        if first.starts_with('#') {
            continue;
        }
        if matches!(first, "cd" | "pushd") {
            cwd = match words.next() {
                Some(dir) if dir != "-" => cwd.join(dir, repo),
                _ => Dir::Unknown,
            };
            continue;
        }
        let program = first.trim_matches(['"', '\'']).rsplit('/').next().unwrap_or_default();
        if !matches!(program, "terraform" | "tofu") {
            continue;
        }
        let rest: Vec<&str> = words.collect();
        let reads = rest.iter().find(|w| !w.starts_with('-')).is_some_and(|w| READS_VARIABLES.contains(w));
        if !reads {
            continue;
        }
        let chdir = rest.iter().find_map(|w| w.strip_prefix("-chdir="));
        out.push(match chdir {
            Some(dir) => cwd.join(dir, repo),
            None => cwd.clone(),
        });
    }
    out
}

/// The variables a workflow sets from CI secrets, each with where Terraform reads it.
fn feeds_of(root: &Value, name: &str, id: SourceId) -> Vec<Feed> {
    let repo = repository(name);
    let jobs = jobs(root);
    let all_steps: Vec<(&Value, &Value)> =
        jobs.iter().flat_map(|(job, steps)| steps.iter().map(move |s| (*job, *s))).collect();
    let mut out = Vec::new();
    let mut scope = |env: Vec<&Entry>, steps: &[(&Value, &Value)]| {
        let secrets: Vec<(&Entry, &str, String)> = env
            .into_iter()
            .filter_map(|e| {
                let variable = e.key.strip_prefix("TF_VAR_").filter(|v| !v.is_empty())?;
                let secret = text(&e.value).and_then(secret_read)?;
                Some((e, variable, secret))
            })
            .collect();
        if secrets.is_empty() {
            return;
        }
        let mut targets: Vec<Target> = Vec::new();
        for (job, step) in steps {
            for dir in step_dirs(step, job, root, &repo) {
                targets.push(match dir {
                    Dir::Known(dir) => Target::Dir(dir),
                    Dir::Unknown => Target::Roots(repo.clone()),
                });
            }
        }
        if targets.is_empty() {
            targets.push(Target::Roots(repo.clone()));
        }
        targets.sort();
        targets.dedup();
        for (entry, variable, secret) in secrets {
            let span = Span::new(entry.key_at.span.start, entry.value.at.span.end.max(entry.key_at.span.end));
            let at = At::new(id, span);
            out.push(Feed { variable: variable.into(), secret, at, targets: targets.clone() });
        }
    };
    scope(entries(root.get("env").map(|e| &e.value)), &all_steps);
    for (job, steps) in &jobs {
        let job_steps: Vec<(&Value, &Value)> = steps.iter().map(|s| (*job, *s)).collect();
        scope(entries(job.get("env").map(|e| &e.value)), &job_steps);
        scope(entries(get(job, &["container", "env"])), &job_steps);
        for &step in steps {
            scope(entries(step.get("env").map(|e| &e.value)), &[(*job, step)]);
        }
    }
    out
}

/// The secret a value reads, when one of its `${{ }}` expressions reads the `secrets` context:
/// `secrets.NAME` (also for `secrets['NAME']`), or `secrets` for the whole context.
fn secret_read(text: &str) -> Option<String> {
    let mut rest = text;
    while let Some(open) = rest.find("${{") {
        let after = &rest[open + 3..];
        let close = after.find("}}").unwrap_or(after.len());
        if let Some(secret) = secrets_in(&after[..close]) {
            return Some(secret);
        }
        rest = &after[close..];
    }
    None
}

/// `secrets.NAME` when an expression reads the `secrets` context (outside its string literals;
/// context names are case-insensitive).
fn secrets_in(expression: &str) -> Option<String> {
    let bytes = expression.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\'' {
            // A string literal; `''` is a quote inside it.
            i += 1;
            while i < bytes.len() {
                if bytes[i] == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                    i += 2;
                } else if bytes[i] == b'\'' {
                    break;
                } else {
                    i += 1;
                }
            }
            i += 1;
            continue;
        }
        if !ident(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && ident(bytes[i]) {
            i += 1;
        }
        let property = start > 0 && bytes[start - 1] == b'.';
        if property || !expression[start..i].eq_ignore_ascii_case("secrets") {
            continue;
        }
        let after = expression[i..].trim_start();
        let name = if let Some(dotted) = after.strip_prefix('.') {
            dotted.get(..dotted.bytes().take_while(|&b| ident(b)).count())
        } else {
            after.strip_prefix("['").and_then(|quoted| quoted.find('\'').map(|end| &quoted[..end]))
        };
        return Some(match name.filter(|n| !n.is_empty()) {
            Some(name) => format!("secrets.{name}"),
            None => "secrets".to_string(),
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::yaml;

    fn feeds(name: &str, text: &str) -> Vec<(String, String, Vec<Target>, String)> {
        let mut value = yaml::parse(text, SourceId(0)).unwrap();
        expressions(&mut value);
        feeds_of(&value, name, SourceId(0))
            .into_iter()
            .map(|f| (f.variable, f.secret, f.targets, text[f.at.span.range()].to_string()))
            .collect()
    }

    fn dir(d: &str) -> Target {
        Target::Dir(d.into())
    }

    #[test]
    fn secrets_are_read_in_every_form() {
        for (value, secret) in [
            ("${{ secrets.GRAFANA_PASSWORD }}", Some("secrets.GRAFANA_PASSWORD")),
            ("${{secrets.A}}", Some("secrets.A")),
            ("${{ secrets.A || '' }}", Some("secrets.A")),
            ("${{ Secrets['DB-PASS'] }}", Some("secrets.DB-PASS")),
            ("prefix-${{ secrets.A }}-suffix", Some("secrets.A")),
            ("${{ vars.A || secrets.B }}", Some("secrets.B")),
            ("${{ toJSON(secrets) }}", Some("secrets")),
            ("${{ vars.A }}", None),
            ("${{ github.event.secrets.A }}", None),
            ("${{ 'secrets.A' }}", None),
            ("${{ 'it''s' }} ${{ env.secrets_dir }}", None),
            ("secrets.A", None),
            ("${{ secrets", Some("secrets")),
        ] {
            assert_eq!(secret_read(value).as_deref(), secret, "{value}");
        }
    }

    #[test]
    fn variables_reach_the_directories_terraform_runs_in() {
        let text = r#"
on: push
env:
  TF_VAR_everywhere: ${{ secrets.A }}
  TF_VAR_from_vars: ${{ vars.B }}
  TF_VAR_literal: plain
  NOT_TF: ${{ secrets.C }}
defaults:
  run:
    working-directory: infra
jobs:
  plan:
    env:
      TF_VAR_job: ${{ secrets.D }}
    steps:
      - run: terraform init && terraform plan
      - run: terraform -chdir=../modules/x apply
      - run: |
          cd envs/prod
          terraform fmt -check
          terraform plan -input=false
  other:
    defaults:
      run:
        working-directory: ${{ github.workspace }}/stacks/a
    steps:
      - env:
          TF_VAR_step: ${{ secrets.E || '' }}
        run: tofu apply -auto-approve
      - env:
          TF_VAR_script: ${{ secrets.F }}
        run: make plan
      - env:
          TF_VAR_matrix: ${{ secrets.G }}
        working-directory: ${{ matrix.dir }}
        run: terraform plan
      - uses: dflook/terraform-plan@v1
        env:
          TF_VAR_action: ${{ secrets.H }}
        with:
          path: stacks/b
"#;
        let found = feeds("r/.github/workflows/ci.yml", text);
        let roots = Target::Roots("r".into());
        let expected = [
            (
                "everywhere",
                "secrets.A",
                vec![
                    dir("r/infra"),
                    dir("r/infra/envs/prod"),
                    dir("r/modules/x"),
                    dir("r/stacks/a"),
                    dir("r/stacks/b"),
                    roots.clone(),
                ],
            ),
            ("job", "secrets.D", vec![dir("r/infra"), dir("r/infra/envs/prod"), dir("r/modules/x")]),
            ("step", "secrets.E", vec![dir("r/stacks/a")]),
            ("script", "secrets.F", vec![roots.clone()]),
            ("matrix", "secrets.G", vec![roots.clone()]),
            ("action", "secrets.H", vec![dir("r/stacks/b")]),
        ];
        assert_eq!(found.len(), expected.len(), "{found:#?}");
        for ((variable, secret, targets, at), (v, s, t)) in found.iter().zip(expected) {
            assert_eq!((variable.as_str(), secret.as_str(), targets), (v, s, &t));
            assert!(at.starts_with(&format!("TF_VAR_{v}: ${{{{")) && at.ends_with("}}"), "{at}");
        }
    }

    #[test]
    fn directories_outside_the_repository_are_not_known() {
        let text = "jobs:\n  a:\n    steps:\n      - env:\n          TF_VAR_x: ${{ secrets.X }}\n        run: cd /tmp && terraform plan\n      - env:\n          TF_VAR_y: ${{ secrets.Y }}\n        run: terraform -chdir=../../other plan\n";
        let found = feeds(".github/workflows/a.yml", text);
        let targets: Vec<&Vec<Target>> = found.iter().map(|f| &f.2).collect();
        assert_eq!(targets, [&vec![Target::Roots(String::new())], &vec![Target::Roots(String::new())]]);
    }

    #[test]
    fn merge_keys_and_anchors_are_followed() {
        let text = "x-env: &common\n  TF_VAR_a: ${{ secrets.A }}\njobs:\n  j:\n    env:\n      <<: *common\n      TF_VAR_b: ${{ secrets.B }}\n    steps:\n      - run: terraform apply\n";
        let found = feeds(".github/workflows/a.yml", text);
        let names: Vec<(&str, &[Target])> = found.iter().map(|f| (f.0.as_str(), f.2.as_slice())).collect();
        assert_eq!(names, [("b", &[dir("")][..]), ("a", &[dir("")][..])]);
    }

    #[test]
    fn modules_get_exact_feeds_and_root_modules_the_others() {
        let feed = |variable: &str, targets: Vec<Target>| Feed {
            variable: variable.into(),
            secret: "secrets.S".into(),
            at: At::new(SourceId(1), Span::new(usize::from(variable.as_bytes()[0]), 200)),
            targets,
        };
        let feeds = Feeds::new(vec![
            feed("a", vec![dir("r/infra")]),
            feed("b", vec![Target::Roots("r".into())]),
            feed("c", vec![dir("r/infra"), Target::Roots("r".into())]),
        ]);
        let of = |dir: &str, root: bool| -> Vec<(String, bool)> {
            feeds.of(dir, root).into_iter().map(|c| (c.variable, c.exact)).collect()
        };
        let pairs =
            |list: &[(&str, bool)]| -> Vec<(String, bool)> { list.iter().map(|(v, e)| (v.to_string(), *e)).collect() };
        assert_eq!(of("r/infra", true), pairs(&[("a", true), ("c", true), ("b", false)]));
        assert_eq!(of("r/infra", false), pairs(&[("a", true), ("c", true)]));
        assert_eq!(of("r/other", true), pairs(&[("b", false), ("c", false)]));
        assert_eq!(of("rr/other", true), pairs(&[]));
        assert!(under("a", "") && !under("../a", "") && !under("/a", ""));
    }
}
