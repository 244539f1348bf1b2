//! Throughput of `check` on a generated Terraform tree and plan (`cargo bench -p fleet-iam-core`).
//!
//! The corpus comes from `bench/gen_corpus.py` (Python 3, standard library only), written to a
//! temporary directory that is removed at the end. Sizes: `FLEET_IAM_BENCH_TREE_MB` (default 2)
//! and `FLEET_IAM_BENCH_PLAN_MB` (default 5).
//!
//! Groups:
//! - `hcl`: the whole tree, loaded into `Source`s once (so no file system in the loop): `check`
//!   with the recommended and strict packs, each rule family alone (H5, M5, M8, IMDS), the engine
//!   with only `parse-error` on (parse, model, variable resolution and policy extraction, no
//!   rules), and bare parsers as the floor (`hcl-edit`, which fleet-iam uses, for HCL;
//!   `serde_json::from_str::<serde_json::Value>`, a fast JSON parser without spans, for JSON),
//!   on every core like `check` and on one thread. Throughput in files/s and MiB/s.
//! - `plan`: one plan JSON (one file, so one thread parses it), MiB/s, the same three levels.
//!
//! At the end a summary prints MB/s and the ratio of each configuration to the bare parse and to
//! the engine without rules, measured in the same run.
//!
//! The allocator is mimalloc, as in the `fleet-iam` binary, for the parsers and `check` alike.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use fleet_iam_core::{Config, Source, SourceKind, check};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Corpus {
    dir: PathBuf,
    tree: Vec<Source>,
    plan: Vec<Source>,
}

impl Drop for Corpus {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn env_mb(name: &str, default: f64) -> f64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn generate() -> Corpus {
    let dir = std::env::temp_dir().join(format!("fleet-iam-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../bench/gen_corpus.py");
    let tree_mb = env_mb("FLEET_IAM_BENCH_TREE_MB", 2.0);
    let plan_mb = env_mb("FLEET_IAM_BENCH_PLAN_MB", 5.0);
    let plan_path = dir.join("plan.json");
    let status = Command::new("python3")
        .arg(&script)
        .args(["--size-mb", &tree_mb.to_string(), "--plan-size-mb", &plan_mb.to_string()])
        .arg("--out")
        .arg(dir.join("tree"))
        .arg("--plan")
        .arg(&plan_path)
        .status();
    match status {
        Ok(s) if s.success() => {}
        other => panic!("`python3 {}` failed: {other:?}", script.display()),
    }
    let mut tree = Vec::new();
    load(&dir.join("tree"), &dir.join("tree"), &mut tree);
    tree.sort_by(|a, b| a.name.cmp(&b.name));
    let mut plan = Vec::new();
    load(&plan_path, &dir, &mut plan);
    Corpus { dir, tree, plan }
}

/// Reads every file fleet-iam reads under `path`, named relative to `root`.
fn load(path: &Path, root: &Path, out: &mut Vec<Source>) {
    if path.is_dir() {
        let Ok(entries) = std::fs::read_dir(path) else { return };
        for entry in entries.flatten() {
            load(&entry.path(), root, out);
        }
        return;
    }
    let name = path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/");
    let Ok(text) = std::fs::read_to_string(path) else { return };
    if let Some(kind) = SourceKind::detect(&name, &text) {
        out.push(Source::new(name, text, kind));
    }
}

fn bytes(sources: &[Source]) -> u64 {
    sources.iter().map(|s| s.text.len() as u64).sum()
}

fn config(select: Option<&str>) -> Config {
    match select {
        None => Config::recommended(),
        Some("strict") => Config::strict(),
        Some(id) => {
            let mut config = Config::strict();
            if let Err(e) = config.select(&[id.to_string()]) {
                panic!("select {id}: {e}");
            }
            config
        }
    }
}

/// The floor: each file through a bare parser, nothing else: `hcl-edit` for HCL (the parser
/// fleet-iam uses), `serde_json` to `serde_json::Value` for JSON (fleet-iam's own JSON parser
/// also records spans and keeps numbers as written, so it is measured through `check`).
fn parse_one(sources: &[Source]) -> usize {
    let mut ok = 0;
    for s in sources {
        let parsed = match s.kind {
            SourceKind::Hcl | SourceKind::Tfvars => hcl_edit::parser::parse_body(&s.text).is_ok(),
            _ => serde_json::from_str::<serde_json::Value>(&s.text).is_ok(),
        };
        ok += usize::from(parsed);
    }
    ok
}

/// The same on every core (`check` parses in parallel too), files dealt out in turn.
fn parse_only(sources: &[Source]) -> usize {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(sources.len().max(1));
    if threads == 1 {
        return parse_one(sources);
    }
    let chunk = sources.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = sources.chunks(chunk).map(|part| scope.spawn(move || parse_one(part))).collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
    })
}

/// (label, config selector): `None` is the recommended pack.
const CONFIGS: [(&str, Option<&str>); 7] = [
    ("recommended", None),
    ("strict", Some("strict")),
    ("H5", Some("H5")),
    ("M5", Some("M5")),
    ("M8", Some("M8")),
    ("IMDS", Some("IMDS")),
    ("engine-no-rules", Some("parse-error")),
];

fn benches(c: &mut Criterion) {
    let corpus = generate();
    let tree_bytes = bytes(&corpus.tree);
    let plan_bytes = bytes(&corpus.plan);
    eprintln!(
        "corpus: tree {} files, {:.2} MB; plan {:.2} MB",
        corpus.tree.len(),
        tree_bytes as f64 / 1e6,
        plan_bytes as f64 / 1e6
    );

    let mut group = c.benchmark_group("hcl");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(4));
    group.throughput(Throughput::ElementsAndBytes { elements: corpus.tree.len() as u64, bytes: tree_bytes });
    for (label, select) in CONFIGS {
        let config = config(select);
        group.bench_function(BenchmarkId::new("check", label), |b| b.iter(|| check(black_box(&corpus.tree), &config)));
    }
    group.bench_function("parse-only", |b| b.iter(|| parse_only(black_box(&corpus.tree))));
    group.bench_function("parse-only-1-thread", |b| b.iter(|| parse_one(black_box(&corpus.tree))));
    group.finish();

    let mut group = c.benchmark_group("plan");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(8));
    group.throughput(Throughput::Bytes(plan_bytes));
    for (label, select) in [("strict", Some("strict")), ("engine-no-rules", Some("parse-error"))] {
        let config = config(select);
        group.bench_function(BenchmarkId::new("check", label), |b| b.iter(|| check(black_box(&corpus.plan), &config)));
    }
    group.bench_function("parse-only", |b| b.iter(|| parse_one(black_box(&corpus.plan))));
    group.finish();

    summary(&corpus, tree_bytes, plan_bytes);
}

/// The fastest of a few runs, in seconds.
fn best(mut f: impl FnMut()) -> f64 {
    (0..5)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn summary(corpus: &Corpus, tree_bytes: u64, plan_bytes: u64) {
    let mb = |b: u64, s: f64| b as f64 / 1e6 / s;
    let floor = best(|| {
        black_box(parse_only(&corpus.tree));
    });
    let one = best(|| {
        black_box(parse_one(&corpus.tree));
    });
    let engine = config(Some("parse-error"));
    let bare = best(|| {
        black_box(check(&corpus.tree, &engine));
    });
    eprintln!(
        "\nsummary, {} threads, best of 5 ({} files, {:.2} MB of HCL/JSON):",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        corpus.tree.len(),
        tree_bytes as f64 / 1e6
    );
    eprintln!("  {:<22} {:>9} {:>10} {:>10} {:>12}", "hcl", "MB/s", "files/s", "x parse", "x no-rules");
    eprintln!(
        "  {:<22} {:>9.1} {:>10.0} {:>10.2} {:>12}",
        "parse-only",
        mb(tree_bytes, floor),
        corpus.tree.len() as f64 / floor,
        1.0,
        "-"
    );
    eprintln!(
        "  {:<22} {:>9.1} {:>10.0} {:>10.2} {:>12}",
        "parse-only 1 thread",
        mb(tree_bytes, one),
        corpus.tree.len() as f64 / one,
        one / floor,
        "-"
    );
    for (label, select) in CONFIGS {
        let config = config(select);
        let t = best(|| {
            black_box(check(&corpus.tree, &config));
        });
        eprintln!(
            "  {:<22} {:>9.1} {:>10.0} {:>10.2} {:>12.2}",
            format!("check {label}"),
            mb(tree_bytes, t),
            corpus.tree.len() as f64 / t,
            t / floor,
            t / bare
        );
    }
    let floor = best(|| {
        black_box(parse_one(&corpus.plan));
    });
    let strict = config(Some("strict"));
    let t = best(|| {
        black_box(check(&corpus.plan, &strict));
    });
    eprintln!(
        "  plan: parse-only {:.1} MB/s, check strict {:.1} MB/s ({:.2}x parse)",
        mb(plan_bytes, floor),
        mb(plan_bytes, t),
        t / floor
    );
}

criterion_group!(check_benches, benches);
criterion_main!(check_benches);
