#!/usr/bin/env bash
# Runs fleet-iam over local checkouts of real module libraries and prints the findings per rule,
# for review of noise (issue 13). Fails when `iam-malformed-policy` fires: on the libraries'
# own code it must not. Nothing is downloaded: clone the repositories yourself, for example
#   git clone --depth 1 https://github.com/terraform-aws-modules/terraform-aws-eks
#   git clone --depth 1 https://github.com/terraform-aws-modules/terraform-aws-iam
# then: scripts/real-corpus.sh terraform-aws-eks terraform-aws-iam
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -gt 0 ]] || { echo "usage: $0 DIR..." >&2; exit 2; }
cargo build --release --quiet -p fleet-iam-cli
bin=$PWD/target/release/fleet-iam
status=0
for dir in "$@"; do
    json=$("$bin" check "$dir" --format json --fail-on never)
    counts=$(python3 -c '
import collections, json, sys
report = json.load(sys.stdin)
counts = collections.Counter(f["rule"] for f in report["findings"])
print(report["summary"]["files"], "files,", sum(counts.values()), "findings")
for rule, n in counts.most_common():
    print(f"  {n:5d}  {rule}")
' <<<"$json")
    echo "== $dir: $counts"
    if grep -q '"rule": "iam-malformed-policy"' <<<"$json"; then
        echo "   iam-malformed-policy fired on $dir" >&2
        status=1
    fi
done
exit $status
