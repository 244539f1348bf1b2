#!/usr/bin/env bash
# Peak memory of `fleet-iam check` on hostile inputs, as a ratio to the input's size (issue 12,
# class 7: at most 10x on realistic input, 15x on hostile shapes, plus a small constant).
#
#   bench/memory.sh                          # every shape of bench/gen_hostile.py and a 120 MB plan
#   FLEET_IAM=/tmp/old/fleet-iam bench/memory.sh     # another build (no cargo build then)
#   SCALE=0.1 PLAN_MB=10 bench/memory.sh     # a quick run
#
# Environment (all optional):
#   SCALE=1          size factor for bench/gen_hostile.py (1: 19 MiB `.tf` files, a 50 MB plan)
#   PLAN_MB=102      --plan-size-mb of the realistic plan from bench/gen_corpus.py (about 120 MB)
#   BENCH_WORK=DIR   where the inputs are written (default: a temp dir, removed at the end)
#   FLEET_IAM=PATH   the binary to measure (default: a release build of this checkout)
#
# Each input is alone in its own directory: a plan's findings are also looked up in the
# Terraform files around it, which would otherwise be the other inputs. Needs Python 3, GNU time.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SCALE=${SCALE:-1}
PLAN_MB=${PLAN_MB:-102}
WORK=${BENCH_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/fleet-iam-memory.XXXXXX")}
if [[ -z ${BENCH_WORK:-} ]]; then
    trap 'rm -rf "$WORK"' EXIT
fi
if [[ -z ${FLEET_IAM:-} ]]; then
    cargo build --release --quiet -p fleet-iam-cli --manifest-path "$ROOT/Cargo.toml" >&2
    FLEET_IAM=${CARGO_TARGET_DIR:-$ROOT/target}/release/fleet-iam
fi

mkdir -p "$WORK/all"
python3 "$ROOT/bench/gen_hostile.py" --out "$WORK/all" --scale "$SCALE" >/dev/null
python3 "$ROOT/bench/gen_corpus.py" --plan "$WORK/all/plan-realistic.json" --plan-size-mb "$PLAN_MB" \
    --prior-state --quiet
for file in "$WORK"/all/*; do
    name=$(basename "$file")
    mkdir -p "$WORK/${name%.*}"
    mv "$file" "$WORK/${name%.*}/"
done
rmdir "$WORK/all"

printf '%-22s %10s %10s %8s %8s  %s\n' input "size MiB" "peak MiB" ratio "wall s" outcome
for dir in "$WORK"/*/; do
    file=$(ls "$dir")
    size=$(stat -c %s "$dir$file")
    /usr/bin/time -f '%M %e' -o "$WORK/time.txt" "$FLEET_IAM" check "$dir$file" --format json --fail-on never \
        --max-plan-size 512 >"$WORK/report.json" 2>/dev/null || true
    read -r kib wall <"$WORK/time.txt"
    outcome=$(python3 -c '
import collections, json, sys
report = json.load(open(sys.argv[1]))
items = report["findings"]
rules = collections.Counter(d["rule"] for d in items)
print(", ".join(f"{r} x{n}" for r, n in sorted(rules.items())) or "no finding")' "$WORK/report.json" 2>/dev/null || echo "?")
    awk -v n="$file" -v s="$size" -v k="$kib" -v w="$wall" -v o="$outcome" \
        'BEGIN { printf "%-22s %10.1f %10.0f %7.1fx %8.2f  %s\n", n, s / 1048576, k / 1024, k * 1024 / s, w, o }'
done
