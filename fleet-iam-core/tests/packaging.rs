//! Keeps the crates publishable: what a crate embeds lives inside it, the copies that users see
//! at the top of the repository stay equal to the ones the crates ship, and every manifest has
//! the metadata a registry shows.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::{Component, Path, PathBuf};

const CRATES: &[&str] = &["fleet-iam-core", "fleet-iam-cli"];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() { stack.push(path) } else { out.push(path) }
        }
    }
    out.sort();
    out
}

/// `a/b/../c` -> `a/c`, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[test]
fn the_packs_users_see_are_the_packs_the_library_embeds() {
    let names = |dir: &Path| -> Vec<String> {
        let mut names: Vec<String> =
            files(dir).iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    };
    let shipped = root().join("fleet-iam-core/policies");
    let shown = root().join("policies");
    assert_eq!(names(&shipped), names(&shown), "policies/ and fleet-iam-core/policies/ hold different packs");
    assert!(names(&shipped).contains(&"recommended.toml".to_string()));
    for name in names(&shipped) {
        let a = std::fs::read(shipped.join(&name)).unwrap();
        let b = std::fs::read(shown.join(&name)).unwrap();
        assert!(
            a == b,
            "policies/{name} differs from fleet-iam-core/policies/{name}, which the library embeds: \
             edit one and copy it over the other"
        );
    }
}

#[test]
fn each_crate_ships_the_licence_texts() {
    for name in ["LICENSE-MIT", "LICENSE-APACHE"] {
        let top = std::fs::read(root().join(name)).unwrap();
        assert!(top.len() > 1000, "{name} is not a licence text");
        for krate in CRATES {
            let copy = std::fs::read(root().join(krate).join(name)).unwrap_or_default();
            assert!(copy == top, "{krate}/{name} differs from the top-level {name}");
        }
    }
}

/// The crate's `include` patterns, as globs over paths relative to the crate.
fn packaged(krate: &str) -> Vec<globset::GlobMatcher> {
    let manifest: toml::Table =
        std::fs::read_to_string(root().join(krate).join("Cargo.toml")).unwrap().parse().unwrap();
    let include = manifest["package"]["include"].as_array().unwrap();
    let glob = |p: &str| globset::GlobBuilder::new(p).literal_separator(true).build().unwrap().compile_matcher();
    include.iter().map(|p| glob(p.as_str().unwrap().trim_start_matches('/'))).collect()
}

/// `include_str!`/`include_bytes!` must stay inside the crate, in files its `include` list
/// packages: `cargo package` builds the crate from those files alone.
#[test]
fn nothing_a_crate_embeds_lies_outside_it() {
    let mut embedded = 0;
    for krate in CRATES {
        let dir = root().join(krate);
        for file in files(&dir.join("src")) {
            if file.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&file).unwrap();
            for (i, line) in text.lines().enumerate() {
                for mac in ["include_str!(", "include_bytes!("] {
                    let Some(at) = line.find(mac) else { continue };
                    let rest = &line[at + mac.len()..];
                    let arg = rest.trim_start().strip_prefix('"').and_then(|r| r.split('"').next());
                    let Some(arg) = arg else {
                        panic!("{}:{}: {mac} takes a literal path here", file.display(), i + 1)
                    };
                    let target = normalize(&file.parent().unwrap().join(arg));
                    let inside = target.strip_prefix(normalize(&dir)).map(Path::to_path_buf);
                    let Ok(relative) = inside else {
                        panic!("{}:{}: {arg} lies outside {krate}", file.display(), i + 1)
                    };
                    let relative = relative.to_string_lossy().replace('\\', "/");
                    assert!(
                        packaged(krate).iter().any(|glob| glob.is_match(&relative)),
                        "{}:{}: {arg} is not in the `include` list of {krate}'s Cargo.toml",
                        file.display(),
                        i + 1
                    );
                    assert!(target.is_file(), "{}:{}: {arg} does not exist", file.display(), i + 1);
                    embedded += 1;
                }
            }
        }
    }
    assert!(embedded >= 3, "found only {embedded} embedded files: is the scan still looking?");
}

#[test]
fn every_manifest_has_registry_metadata_and_no_placeholder() {
    let workspace: toml::Table = std::fs::read_to_string(root().join("Cargo.toml")).unwrap().parse().unwrap();
    let shared = &workspace["workspace"]["package"];
    assert_eq!(shared["license"].as_str(), Some("MIT OR Apache-2.0"));
    for krate in CRATES {
        let text = std::fs::read_to_string(root().join(krate).join("Cargo.toml")).unwrap();
        let manifest: toml::Table = text.parse().unwrap();
        let package = manifest["package"].as_table().unwrap();
        let field = |key: &str| -> toml::Value {
            let value = package.get(key).unwrap_or_else(|| panic!("{krate}: no `{key}`"));
            if value.get("workspace").and_then(toml::Value::as_bool) == Some(true) {
                shared.get(key).unwrap_or_else(|| panic!("workspace: no `{key}`")).clone()
            } else {
                value.clone()
            }
        };
        assert_eq!(field("license").as_str(), Some("MIT OR Apache-2.0"), "{krate}");
        assert!(field("description").as_str().unwrap().len() > 30, "{krate}: a real description");
        let keywords = field("keywords");
        let keywords = keywords.as_array().unwrap();
        assert!((1..=5).contains(&keywords.len()), "{krate}: crates.io takes 1 to 5 keywords");
        assert!(!field("categories").as_array().unwrap().is_empty(), "{krate}: categories");
        let readme = field("readme");
        assert!(root().join(krate).join(readme.as_str().unwrap()).is_file(), "{krate}: readme");
        let include: Vec<&str> = package["include"].as_array().unwrap().iter().filter_map(|v| v.as_str()).collect();
        for name in ["/LICENSE-MIT", "/LICENSE-APACHE", "/README.md"] {
            assert!(include.contains(&name), "{krate}: `include` leaves out {name}");
        }
        assert!(include.iter().any(|p| p.starts_with("/src/")), "{krate}: `include` leaves out src/");
        for key in ["repository", "homepage", "documentation"] {
            for url in [package.get(key), shared.get(key)].into_iter().flatten().filter_map(toml::Value::as_str) {
                let placeholder = ["example.", ".invalid", "OWNER", "localhost"].iter().any(|p| url.contains(p));
                assert!(!placeholder, "{krate}: `{key} = {url}` is a placeholder: leave the field out");
            }
        }
        assert!(!text.contains("example.") && !text.contains("OWNER"), "{krate}: a placeholder in Cargo.toml");
    }
}
