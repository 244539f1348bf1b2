#!/usr/bin/env bash
# The install steps of action.yml. Never compiles on every run: it installs the release binary
# of the action's version, checked against its SHA-256 file, and only where no such release
# exists (the action referenced at a branch or commit, a private repository, a platform without
# a binary) builds the action's own source once, which action.yml caches by version, source
# hash and platform.
#
#   action-install.sh plan       writes to GITHUB_OUTPUT: tag, target, dir, bin, key
#   action-install.sh download   installs the release binary into dir; writes installed=true
#                                or installed=false (no such release or no checksum for it)
#   action-install.sh build      builds the action's source into dir (cargo install --locked)
#
# Inputs, as environment variables: FLEET_IAM_VERSION (the `version` input: 0.1.0 or v0.1.0;
# empty for the version the action is referenced at), GITHUB_ACTION_PATH (.../_actions/OWNER/
# REPO/REF: where the runner checked the action out), FLEET_IAM_ACTION_REPOSITORY and
# FLEET_IAM_ACTION_REF (github.action_repository / github.action_ref, a fallback only: the
# runner leaves them empty in composite actions),
# RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, GITHUB_SERVER_URL, GITHUB_ACTION_PATH and, for
# `download`, the plan's FLEET_IAM_TAG, FLEET_IAM_TARGET and FLEET_IAM_DIR.
# A checksum that does not match fails the step: it never falls back to another binary.
set -euo pipefail

out=${GITHUB_OUTPUT:-/dev/stdout}
action_path=${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH: the action checkout}
# Forward slashes: Windows runners give D:\a\_temp, which Git Bash's tools take as D:/a/_temp.
temp=${RUNNER_TEMP:-/tmp}
temp=${temp//\\//}

sha256() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d' ' -f1
    else
        shasum -a 256 "$1" | cut -d' ' -f1
    fi
}

# The release target of this runner, or nothing when releases have no binary for it.
target() {
    case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
    Linux/X64) echo x86_64-unknown-linux-musl ;;
    Linux/ARM64) echo aarch64-unknown-linux-musl ;;
    macOS/X64) echo x86_64-apple-darwin ;;
    macOS/ARM64) echo aarch64-apple-darwin ;;
    Windows/X64) echo x86_64-pc-windows-msvc ;;
    *) echo "" ;;
    esac
}

# OWNER/REPO and REF of the action: from where the runner checked it out
# (.../_actions/OWNER/REPO/REF), else from the runner's context; empty for a local action
# (`uses: ./`), which is built from its source.
repository() {
    local path=${action_path//\\//}
    case "$path" in
    */_actions/*/*/*)
        path=${path#*/_actions/}
        echo "$path" | cut -d/ -f1-2
        ;;
    *) echo "${FLEET_IAM_ACTION_REPOSITORY:-}" ;;
    esac
}

ref() {
    local path=${action_path//\\//}
    case "$path" in
    */_actions/*/*/*) echo "${path#*/_actions/}" | cut -d/ -f3- ;;
    *) echo "${FLEET_IAM_ACTION_REF:-}" ;;
    esac
}

# The version in the action's own Cargo.toml: what a build from its source is.
source_version() {
    sed -n 's/^version = "\(.*\)"$/\1/p' "$action_path/Cargo.toml" | head -n1
}

# A hash of the sources a build compiles, so that a branch's cache follows its commits.
source_hash() {
    (
        cd "$action_path"
        find Cargo.toml Cargo.lock fleet-iam-core fleet-iam-cli -type f \
            \( -name '*.rs' -o -name '*.toml' -o -name '*.lock' -o -name '*.tsv' \) \
            -not -path '*/tests/*' -not -path '*/benches/*' | LC_ALL=C sort | while read -r file; do
            printf '%s %s\n' "$(sha256 "$file")" "$file"
        done
    ) >"$temp/fleet-iam-sources.txt"
    sha256 "$temp/fleet-iam-sources.txt" | cut -c1-16
}

plan() {
    local version=${FLEET_IAM_VERSION:-} tag="" ref
    ref=$(ref)
    if [ -n "$version" ]; then
        tag="v${version#v}"
    else
        case "$ref" in
        v[0-9]*) tag=$ref ;;
        esac
    fi
    local target exe="" key
    target=$(target)
    if [ "${RUNNER_OS:-}" = Windows ]; then exe=.exe; fi
    if [ -n "$version" ]; then
        key="release-$tag"
    else
        key="source-$(source_version)-$(source_hash)"
    fi
    key="fleet-iam-${RUNNER_OS:-unknown}-${RUNNER_ARCH:-unknown}-$key"
    local dir="$temp/fleet-iam/$key"
    {
        echo "repository=$(repository)"
        echo "tag=$tag"
        echo "target=$target"
        echo "dir=$dir"
        echo "bin=$dir/bin/fleet-iam$exe"
        echo "key=$key"
    } >>"$out"
}

download() {
    local tag=${FLEET_IAM_TAG:-} target=${FLEET_IAM_TARGET:-} dir=${FLEET_IAM_DIR:?FLEET_IAM_DIR}
    local repo
    repo=$(repository)
    if [ -z "$tag" ] || [ -z "$target" ] || [ -z "$repo" ]; then
        echo "No release binary to install (version: ${tag:-none}, platform: ${target:-none}, repository: ${repo:-none})"
        echo "installed=false" >>"$out"
        return
    fi
    local ext=tar.gz
    case "$target" in *windows*) ext=zip ;; esac
    local name="fleet-iam-$tag-$target" base="${GITHUB_SERVER_URL:-https://github.com}/$repo/releases/download/$tag"
    local tmp
    tmp=$(mktemp -d "$temp/fleet-iam-download.XXXXXX")
    if ! curl -fsSL --retry 3 -o "$tmp/$name.$ext" "$base/$name.$ext"; then
        echo "::notice title=fleet-iam::no release binary $name.$ext in $repo; building fleet-iam from the action's source"
        echo "installed=false" >>"$out"
        return
    fi
    if ! curl -fsSL --retry 3 -o "$tmp/$name.$ext.sha256" "$base/$name.$ext.sha256"; then
        echo "::warning title=fleet-iam::the release $tag has no checksum for $name.$ext; building fleet-iam from the action's source instead"
        echo "installed=false" >>"$out"
        return
    fi
    local expected actual
    expected=$(cut -d' ' -f1 <"$tmp/$name.$ext.sha256" | tr 'A-F' 'a-f')
    actual=$(sha256 "$tmp/$name.$ext")
    if [ "$expected" != "$actual" ]; then
        echo "::error title=fleet-iam::$name.$ext does not match its SHA-256 checksum (expected $expected, got $actual)"
        exit 1
    fi
    echo "$name.$ext: SHA-256 $actual, as the release says"
    (
        cd "$tmp"
        if [ "$ext" != zip ]; then
            tar -xzf "$name.$ext"
        elif command -v unzip >/dev/null 2>&1; then
            unzip -q "$name.$ext"
        else
            7z x -bd -y "$name.$ext" >/dev/null
        fi
    )
    mkdir -p "$dir/bin"
    local exe=""
    case "$target" in *windows*) exe=.exe ;; esac
    mv "$tmp/$name/fleet-iam$exe" "$dir/bin/fleet-iam$exe"
    chmod +x "$dir/bin/fleet-iam$exe"
    rm -rf "$tmp"
    echo "installed=true" >>"$out"
}

# Builds the action's source into dir, once per key (action.yml caches dir).
build() {
    local dir=${FLEET_IAM_DIR:?FLEET_IAM_DIR} wanted=${FLEET_IAM_VERSION:-} have
    have=$(source_version)
    if [ -n "$wanted" ] && [ "${wanted#v}" != "$have" ]; then
        echo "::error title=fleet-iam::no release binary of fleet-iam ${wanted#v} for this runner, and the action's source is $have: reference the action at v${wanted#v} or leave out \`version\`"
        exit 1
    fi
    if ! command -v cargo >/dev/null 2>&1; then
        echo "::error title=fleet-iam::building fleet-iam $have needs cargo (Rust 1.95 or later) and a C compiler on the runner"
        exit 1
    fi
    cargo install --locked --path "$action_path/fleet-iam-cli" --root "$dir"
}

case "${1:-}" in
plan) plan ;;
download) download ;;
build) build ;;
*)
    echo "usage: $0 plan|download|build" >&2
    exit 2
    ;;
esac
