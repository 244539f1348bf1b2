#!/usr/bin/env bash
# Time of `fleet-iam check` on inputs full of secrets, at N, 2N and 4N (issue 12, classes 5 and
# 6): linear time means the ratio of each time to the N time (`x wall`, `x cpu`) follows 1, 2, 4.
#
#   bench/secrets.sh                                   # a release build of this checkout
#   FLEET_IAM_BEFORE=/tmp/wt-before-target/release/fleet-iam bench/secrets.sh
#                                                      # the same inputs through another build too
#   N=500 PEM_MB=0.11 bench/secrets.sh                 # a quick run
#
# The shapes:
#   passwords  N `variable "db_password_NNNNN" { default = "x9z" }` in one `.tf`, each default a
#              distinct 3-character value: N findings, N secrets to mask (class 5)
#   pem        `-----BEGIN RSA PRIVATE KEY-----` headers, each followed by one distinct
#              base64-looking line and never an END, in a heredoc of one `.tf`, PEM_MB megabytes
#              (class 6)
#   exports    a `user_data` heredoc of `export DB_PASSWORD_N=Pw<N>x9` lines, DOC_MB megabytes:
#              every line a secret in an embedded document (issue 13, class 10)
#   blob       one `user_data_base64` of DOC_MB megabytes of random base64: over the 64 KiB
#              decoding bound, so only checked, never decoded
#   userdata   `aws_instance`s whose `user_data_base64` is a 16 KB script of 600 exported
#              passwords (the largest user data EC2 takes), DOC_MB megabytes in all
#   quoted     a plan whose one `aws_iam_policy` has a sensitive `policy` of QUOTED_N statements,
#              each an unknown action wildcard: QUOTED_N findings inside one large secret, each
#              quoting it (was findings x secret bytes; 80,000 statements took 17 s)
#
# Environment (all optional):
#   N=5000            passwords at the first size
#   PEM_MB=1.1        megabytes of PEM headers at the first size
#   DOC_MB=2.5        megabytes of the exports, blob and userdata shapes at the first size
#   QUOTED_N=20000    statements of the quoted shape at the first size
#   TIMEOUT=60        seconds before a run is stopped (shown as `>60`), so that a slow build ends
#   BENCH_WORK=DIR    where the inputs are written (default: a temp dir, removed at the end)
#   FLEET_IAM=PATH    the binary to measure (default: a release build of this checkout)
#   FLEET_IAM_BEFORE=PATH  a second binary run on the same inputs, as "before". The code before
#                     the fix of issue 12:
#                       git worktree add /tmp/wt-before 7bd9aca
#                       (cd /tmp/wt-before && CARGO_TARGET_DIR=/tmp/wt-before-target \
#                           cargo build --release -p fleet-iam-cli)
#
# Each input is alone in its own directory. Needs Python 3, GNU time and coreutils `timeout`.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${N:-5000}
PEM_MB=${PEM_MB:-1.1}
DOC_MB=${DOC_MB:-2.5}
QUOTED_N=${QUOTED_N:-20000}
TIMEOUT=${TIMEOUT:-60}
WORK=${BENCH_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/fleet-iam-secrets.XXXXXX")}
if [[ -z ${BENCH_WORK:-} ]]; then
    trap 'rm -rf "$WORK"' EXIT
fi
if [[ -z ${FLEET_IAM:-} ]]; then
    cargo build --release --quiet -p fleet-iam-cli --manifest-path "$ROOT/Cargo.toml" >&2
    FLEET_IAM=${CARGO_TARGET_DIR:-$ROOT/target}/release/fleet-iam
fi

# One directory per shape and size: passwords-1, passwords-2, passwords-4, pem-1, ...
python3 - "$WORK" "$N" "$PEM_MB" "$DOC_MB" "$QUOTED_N" <<'EOF'
import base64, json, os, random, sys

work, n, pem_mb, doc_mb = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
quoted_n = int(sys.argv[5])
alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

def short_value(i):
    # Distinct for i < 36**3 = 46,656, and not a placeholder word: letter, digit, letter.
    a, b, c = i % 26, (i // 26) % 10, (i // 260) % 26
    return alphabet[a] + alphabet[26 + b] + alphabet[c]

for factor in (1, 2, 4):
    count = n * factor
    os.makedirs(f"{work}/passwords-{factor}", exist_ok=True)
    with open(f"{work}/passwords-{factor}/variables.tf", "w") as f:
        for i in range(count):
            f.write(f'variable "db_password_{i:05d}" {{\n  default = "{short_value(i)}"\n}}\n\n')

    os.makedirs(f"{work}/pem-{factor}", exist_ok=True)
    size = int(pem_mb * factor * 1_000_000)
    # Each body starts differently, so that every header makes a distinct credential.
    body = "Eow9IBAAKCAQEAx9zQ2vLm8Wk3Tr5Yb7Nc1Pd6Hf0Jg4Ks2Ea+/"
    with open(f"{work}/pem-{factor}/keys.tf", "w") as f:
        f.write("locals {\n  keys = <<EOT\n")
        written, i = 0, 0
        while written < size:
            chunk = f"-----BEGIN RSA PRIVATE KEY-----\nMII{i:07d}{body}\n"
            f.write(chunk)
            written += len(chunk)
            i += 1
        f.write("EOT\n}\n")

    size = int(doc_mb * factor * 1_000_000)
    os.makedirs(f"{work}/exports-{factor}", exist_ok=True)
    with open(f"{work}/exports-{factor}/main.tf", "w") as f:
        f.write('resource "aws_instance" "a" {\n  user_data = <<EOF\n')
        written, i = 0, 0
        while written < size:
            line = f"export DB_PASSWORD_{i}=Pw{i}x9\n"
            f.write(line)
            written += len(line)
            i += 1
        f.write("EOF\n}\n")

    os.makedirs(f"{work}/blob-{factor}", exist_ok=True)
    blob = base64.b64encode(random.Random(factor).randbytes(size * 3 // 4)).decode()
    with open(f"{work}/blob-{factor}/main.tf", "w") as f:
        f.write(f'resource "aws_instance" "a" {{\n  user_data_base64 = "{blob}"\n}}\n')

    os.makedirs(f"{work}/userdata-{factor}", exist_ok=True)
    script = "#!/bin/bash\n" + "".join(f"export DB_PASSWORD_{i}=Pw{i}x9\n" for i in range(600))
    one = base64.b64encode(script.encode()).decode()
    with open(f"{work}/userdata-{factor}/main.tf", "w") as f:
        for i in range(size // len(one)):
            f.write(f'resource "aws_instance" "a{i}" {{\n  user_data_base64 = "{one}"\n}}\n')

    os.makedirs(f"{work}/quoted-{factor}", exist_ok=True)
    statements = [{"Effect": "Allow", "Action": [f"s3:Put{i}*"], "Resource": "*"} for i in range(quoted_n * factor)]
    policy = json.dumps({"Version": "2012-10-17", "Statement": statements})
    change = {"actions": ["create"], "before": None, "after": {"name": "p", "policy": policy},
              "after_unknown": {}, "before_sensitive": False, "after_sensitive": {"policy": True}}
    plan = {"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {"root_module": {}},
            "resource_changes": [{"address": "aws_iam_policy.p", "mode": "managed", "type": "aws_iam_policy",
                                  "name": "p", "provider_name": "registry.terraform.io/hashicorp/aws",
                                  "change": change}]}
    with open(f"{work}/quoted-{factor}/plan.json", "w") as f:
        json.dump(plan, f)
EOF

# run BUILD BINARY SHAPE FACTOR FORMAT: one line of the table. The N run of a shape and format
# is the base of the ratios. CPU time (user + system) is shown beside wall time: on a shared
# machine it is the steadier of the two, and the tool checks one file on one thread.
declare -A BASE_WALL BASE_CPU
run() {
    local build=$1 binary=$2 shape=$3 factor=$4 format=$5
    local dir="$WORK/$shape-$factor"
    local size mb
    size=$(du -b "$dir" | awk '{print $1}')
    mb=$(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1e6 }')
    local key="$build/$shape/$format"
    # After a timeout at a smaller size, a larger one would only time out too.
    if [[ ${BASE_WALL[$key]:-} == timeout ]]; then
        printf '%-7s %-10s %3s %6s %-5s %8s %8s %8s %8s %8s\n' "$build" "$shape" "${factor}N" "$mb" "$format" \
            skipped - - - -
        return
    fi
    local rc=0
    /usr/bin/time -f '%e %U %S' -o "$WORK/time.txt" timeout "$TIMEOUT" "$binary" check "$dir" --format "$format" \
        >"$WORK/out" 2>/dev/null || rc=$?
    rm -f "$WORK/out"
    if [[ $rc -eq 124 ]]; then
        BASE_WALL[$key]=timeout
        printf '%-7s %-10s %3s %6s %-5s %8s %8s %8s %8s %8s\n' "$build" "$shape" "${factor}N" "$mb" "$format" \
            ">$TIMEOUT" - "<$(awk -v s="$size" -v t="$TIMEOUT" 'BEGIN { printf "%.3f", s / 1e6 / t }')" - -
        return
    fi
    if [[ $rc -ne 0 && $rc -ne 1 ]]; then
        echo "warning: $build exited $rc on $shape-$factor --format $format" >&2
    fi
    local wall user sys
    read -r wall user sys < <(tail -n 1 "$WORK/time.txt")
    local cpu
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
    if [[ $factor -eq 1 ]]; then
        BASE_WALL[$key]=$wall
        BASE_CPU[$key]=$cpu
    fi
    awk -v b="$build" -v sh="$shape" -v f="${factor}N" -v mb="$mb" -v s="$size" -v fm="$format" -v w="$wall" -v c="$cpu" \
        -v bw="${BASE_WALL[$key]}" -v bc="${BASE_CPU[$key]}" 'BEGIN {
            mbs = (c > 0) ? sprintf("%.2f", s / 1e6 / c) : "-"
            rw = (bw > 0) ? sprintf("%.2f", w / bw) : "-"
            rc = (bc > 0) ? sprintf("%.2f", c / bc) : "-"
            printf "%-7s %-10s %3s %6s %-5s %8.2f %8.2f %8s %8s %8s\n", b, sh, f, mb, fm, w, c, mbs, rw, rc
        }'
}

printf '%-7s %-10s %3s %6s %-5s %8s %8s %8s %8s %8s\n' build shape n MB format "wall s" "cpu s" "MB/cpu s" \
    "x wall" "x cpu"
for shape in passwords pem exports blob userdata quoted; do
    for format in text json; do
        for factor in 1 2 4; do
            run after "$FLEET_IAM" "$shape" "$factor" "$format"
        done
        if [[ -n ${FLEET_IAM_BEFORE:-} ]]; then
            for factor in 1 2 4; do
                run before "$FLEET_IAM_BEFORE" "$shape" "$factor" "$format"
            done
        fi
    done
done
