#!/usr/bin/env python3
"""Writes a realistic Terraform tree, and optionally a matching plan JSON, for benchmarks.

    python3 bench/gen_corpus.py --size-mb 5 --out /tmp/tree
    python3 bench/gen_corpus.py --size-mb 5 --out /tmp/tree --plan /tmp/plan.json --plan-size-mb 20
    python3 bench/gen_corpus.py --plan /tmp/plan.json --plan-size-mb 20      # the plan alone

The tree is made of many reusable modules (`modules/<name>/`: main.tf, variables.tf,
outputs.tf, iam.tf, versions.tf, sometimes a `.tf.json`, policy `.json` files read with
`file()` / `templatefile()`, a `.tfvars`) and root stacks (`live/<env>/<stack>/`) that call
them. It holds IAM policies in every form (jsonencode, heredoc with `${}` interpolation,
`data "aws_iam_policy_document"`, `.json` files, `inline_policy`, `assume_role_policy`, S3 /
SQS / SNS / KMS / ECR / Secrets Manager resource policies), EKS clusters (`aws_eks_cluster` and
`terraform-aws-modules/eks/aws` calls of versions 17 to 21), node groups, launch templates,
instances, Helm releases with `set` blocks, variables with secret-ish names and tfvars; mostly
clean code with a realistic share of mistakes (about one finding per 50 lines).

The plan is what `terraform show -json` prints (format_version 1.2, one line) for a root
module that calls the same modules (module i of the plan is module i of the tree): planned_values
with root_module / child_modules, resource_changes with after / after_unknown /
after_sensitive, output_changes, variables and configuration.

Python 3 standard library only. The output depends only on --seed and the sizes: module i is
generated from its own random stream, so a bigger tree starts with the modules of a smaller one.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys

ACCOUNT = "123456789012"
REGIONS = ["eu-west-1", "eu-central-1", "us-east-1", "us-west-2", "ap-southeast-2"]
ENVS = ["dev", "staging", "prod", "sandbox", "shared"]
SERVICES = [
    "payments", "orders", "ledger", "billing", "search", "catalog", "checkout", "identity",
    "notifications", "reporting", "ingest", "analytics", "gateway", "inventory", "shipping",
    "pricing", "fraud", "ml-scoring", "media", "exports", "audit", "crm", "loyalty", "support",
    "forecast", "warehouse", "streaming", "mailer", "scheduler", "webhooks",
]
TEAMS = ["platform", "core", "data", "growth", "sre", "security", "finance", "commerce"]
INSTANCE_TYPES = ["t3.micro", "t3.medium", "m6i.large", "m6i.xlarge", "c6i.2xlarge", "r6i.large", "m7g.large"]
K8S_VERSIONS = ["1.27", "1.28", "1.29", "1.30", "1.31"]


class Raw(str):
    """An HCL expression, written as is."""


class Block:
    def __init__(self, kind, labels=(), items=()):
        self.kind = kind
        self.labels = list(labels)
        self.items = list(items)  # (name, value) | Block | Comment | Blank


class Comment(str):
    pass


BLANK = object()
IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def hstr(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def hcl_value(v, indent: int) -> str:
    pad = "  " * indent
    if isinstance(v, Raw):
        return str(v)
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, str):
        return hstr(v)
    if isinstance(v, list):
        parts = [hcl_value(x, indent + 1) for x in v]
        if not parts:
            return "[]"
        if all(isinstance(x, (str, int, bool)) and not isinstance(x, Raw) for x in v) and sum(map(len, parts)) < 70:
            return "[" + ", ".join(parts) + "]"
        inner = "  " * (indent + 1)
        return "[\n" + "".join(f"{inner}{p},\n" for p in parts) + pad + "]"
    if isinstance(v, dict):
        if not v:
            return "{}"
        inner = "  " * (indent + 1)
        keys = [k if IDENT.match(k) else hstr(k) for k in v]
        width = max(len(k) for k in keys)
        lines = [f"{inner}{k.ljust(width)} = {hcl_value(x, indent + 1)}\n" for k, x in zip(keys, v.values())]
        return "{\n" + "".join(lines) + pad + "}"
    raise TypeError(type(v))


def render(block: Block, indent: int = 0) -> str:
    pad = "  " * indent
    head = pad + block.kind + "".join(f" {hstr(label)}" for label in block.labels)
    out = [head + " {\n"]
    # Align the `=` of consecutive one-line attributes, as `terraform fmt` does.
    run: list[tuple[str, str]] = []

    def flush():
        if not run:
            return
        width = max(len(k) for k, _ in run)
        for k, text in run:
            out.append(f"{pad}  {k.ljust(width)} = {text}\n")
        run.clear()

    for item in block.items:
        if isinstance(item, Block):
            flush()
            if len(out) > 1 and out[-1] != "\n":
                out.append("\n")
            out.append(render(item, indent + 1))
        elif isinstance(item, Comment):
            flush()
            out.append(f"{pad}  # {item}\n")
        elif item is BLANK:
            flush()
            out.append("\n")
        else:
            name, value = item
            key = name if IDENT.match(name) else hstr(name)
            text = hcl_value(value, indent + 1)
            if "\n" in text:
                run.append((key, text))
                flush()
            else:
                run.append((key, text))
    flush()
    out.append(pad + "}\n")
    return "".join(out)


def heredoc(text: str, indent: int, marker: str = "EOT") -> Raw:
    """`<<-EOT` with the text indented one level deeper than the attribute."""
    pad = "  " * (indent + 1)
    body = "".join(pad + line + "\n" if line else "\n" for line in text.split("\n"))
    return Raw(f"<<-{marker}\n{body}{'  ' * indent}{marker}")


# --------------------------------------------------------------------------------------------
# IAM statements


# kind: (resource expression when the module defines it, the module that defines it, plan value)
ARN_KINDS = {
    "bucket": ("${aws_s3_bucket.this.arn}", "data", "arn:aws:s3:::{p}-data"),
    "objects": ("${aws_s3_bucket.this.arn}/*", "data", "arn:aws:s3:::{p}-data/*"),
    "table": ("${aws_dynamodb_table.this.arn}", "data", "arn:aws:dynamodb:{r}:{a}:table/{p}"),
    "queue": ("${aws_sqs_queue.this.arn}", "data", "arn:aws:sqs:{r}:{a}:{p}-events"),
    "topic": ("${aws_sns_topic.this.arn}", "data", "arn:aws:sns:{r}:{a}:{p}-alerts"),
    "repo": ("${aws_ecr_repository.this.arn}", "edge", "arn:aws:ecr:{r}:{a}:repository/{p}"),
    "key": ("${var.kms_key_arn}", "*", "arn:aws:kms:{r}:{a}:key/{u}"),
    "logs": ("arn:aws:logs:${var.region}:${data.aws_caller_identity.current.account_id}:log-group:/aws/{p}:*", "*",
             "arn:aws:logs:{r}:{a}:log-group:/aws/{p}:*"),
    "secret": ("arn:aws:secretsmanager:${var.region}:${data.aws_caller_identity.current.account_id}:secret:{p}/*", "*",
               "arn:aws:secretsmanager:{r}:{a}:secret:{p}/*"),
    "param": ("arn:aws:ssm:${var.region}:${data.aws_caller_identity.current.account_id}:parameter/{p}/*", "*",
              "arn:aws:ssm:{r}:{a}:parameter/{p}/*"),
    "role": ("arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/{p}-deploy", "*",
             "arn:aws:iam::{a}:role/{p}-deploy"),
}


def arn_of(rng, what, mod):
    """An ARN expression (with `${...}`) for a resource the policy grants on, its plan value, and
    a short name (for templatefile variables). Resources of other modules come in as variables."""
    expr, owner, plan = ARN_KINDS[what]
    plan = plan.format(p=mod.prefix, r=mod.region, a=ACCOUNT, u=mod.uuid)
    short = {"objects": "bucket"}.get(what, what) + "_arn"
    if owner not in ("*", mod.kind):
        mod.var(short, "string", None, f"ARN of the {what.replace('objects', 'bucket')} this module uses",
                has_default=False)
        expr = f"${{var.{short}}}" + ("/*" if what == "objects" else "")
    return expr.replace("{p}", mod.prefix), plan, short + ("_objects" if what == "objects" else "")


CLEAN_STATEMENTS = [
    ("ReadWriteObjects", ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], "objects"),
    ("ListBucket", ["s3:ListBucket", "s3:GetBucketLocation"], "bucket"),
    ("TableAccess", ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query", "dynamodb:BatchGetItem"], "table"),
    ("ConsumeQueue", ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"], "queue"),
    ("SendToQueue", ["sqs:SendMessage"], "queue"),
    ("UseKey", ["kms:Decrypt", "kms:GenerateDataKey"], "key"),
    ("WriteLogs", ["logs:CreateLogStream", "logs:PutLogEvents"], "logs"),
    ("ReadSecrets", ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], "secret"),
    ("ReadParameters", ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"], "param"),
    ("PullImages", ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"], "repo"),
    ("AssumeDeploy", ["sts:AssumeRole"], "role"),
    ("Publish", ["sns:Publish"], "topic"),
]
# Actions that AWS only allows on "*": clean with Resource "*".
STAR_ONLY = [
    ("Describe", ["ec2:DescribeInstances", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups"]),
    ("EcrLogin", ["ecr:GetAuthorizationToken"]),
    ("Metrics", ["cloudwatch:PutMetricData"]),
    ("WhoAmI", ["sts:GetCallerIdentity"]),
    ("DescribeAll", ["ec2:Describe*"]),
]
# (sid, actions, resource kind or "*", not_action)
BAD_STATEMENTS = [
    ("AdminAccess", ["*"], "*", False),
    ("S3Full", ["s3:*"], "bucket", False),
    ("Ec2Everything", ["ec2:*"], "*", False),
    ("PassAnyRole", ["iam:PassRole"], "*", False),
    ("EverythingButIam", ["iam:*", "organizations:*"], "*", True),
    ("PutObjects", ["s3:Put*"], "objects", False),
    ("PolicyWrites", ["iam:Put*", "iam:Attach*"], "role", False),
    ("TableWriteAnywhere", ["dynamodb:PutItem", "dynamodb:DeleteItem"], "*", False),
    ("Typo", ["s3:GetObjcet", "s3:ListBuckets"], "objects", False),
    ("EksAdmin", ["eks:*"], "*", False),
]


class Stmt:
    def __init__(self, sid, actions, resources, plan_resources, effect="Allow", not_action=False, condition=None,
                 principal=None, names=None):
        self.names = names or []
        self.sid, self.actions, self.resources, self.plan_resources = sid, actions, resources, plan_resources
        self.effect, self.not_action, self.condition, self.principal = effect, not_action, condition, principal

    def doc(self, plan=False, template=None):
        """The statement as a policy-JSON object (HCL interpolations, or plan values)."""
        d = {"Sid": self.sid, "Effect": self.effect}
        if self.principal is not None:
            d["Principal"] = self.principal
        d["NotAction" if self.not_action else "Action"] = self.actions if len(self.actions) > 1 else self.actions[0]
        res = self.plan_resources if plan else self.resources
        if template:
            res = [template.get(r, r) for r in res]
        if res:
            d["Resource"] = res if len(res) > 1 else res[0]
        if self.condition:
            d["Condition"] = self.condition
        return d


def statements(rng, mod, bad_p):
    n = rng.choice([1, 2, 2, 3, 3, 4])
    out = []
    for i in range(n):
        if rng.random() < bad_p:
            sid, actions, kind, not_action = rng.choice(BAD_STATEMENTS)
            if kind == "*":
                res, pres = ["*"], ["*"]
            else:
                a, p, n = arn_of(rng, kind, mod)
                res, pres = [a], [p]
            out.append(Stmt(sid, list(actions), res, pres, not_action=not_action, names=[n] if kind != "*" else []))
            mod.bad += 1
        elif rng.random() < 0.2:
            sid, actions = rng.choice(STAR_ONLY)
            out.append(Stmt(sid, list(actions), ["*"], ["*"]))
        else:
            sid, actions, kind = rng.choice(CLEAN_STATEMENTS)
            a, p, n = arn_of(rng, kind, mod)
            cond = None
            if kind == "key" and rng.random() < 0.5:
                cond = {"StringEquals": {"kms:ViaService": f"s3.{mod.region}.amazonaws.com"}}
            out.append(Stmt(sid, list(actions), [a], [p], condition=cond, names=[n]))
    # Unique Sids, as AWS requires.
    seen = {}
    for s in out:
        seen[s.sid] = seen.get(s.sid, 0) + 1
        if seen[s.sid] > 1:
            s.sid = f"{s.sid}{seen[s.sid]}"
    return out


def policy_json(stmts, plan=False, template=None, indent=2):
    doc = {"Version": "2012-10-17", "Statement": [s.doc(plan, template) for s in stmts]}
    return json.dumps(doc, indent=indent)


def plan_policy(stmts):
    """What `jsonencode` leaves in a plan: compact JSON, keys sorted."""
    doc = {"Version": "2012-10-17", "Statement": [s.doc(True) for s in stmts]}
    return json.dumps(doc, separators=(",", ":"), sort_keys=True)


def jsonencode_expr(stmts, indent):
    """`jsonencode({...})` in HCL object syntax."""
    def conv(v):
        if isinstance(v, dict):
            return {k: conv(x) for k, x in v.items()}
        if isinstance(v, list):
            return [conv(x) for x in v]
        return v
    obj = {"Version": "2012-10-17", "Statement": [conv(s.doc()) for s in stmts]}
    return Raw("jsonencode(" + hcl_value(obj, indent) + ")")


def policy_document_block(name, stmts, mod):
    items = []
    for s in stmts:
        body = [("sid", s.sid)]
        if s.effect != "Allow":
            body.append(("effect", s.effect))
        body.append(("not_actions" if s.not_action else "actions", s.actions))
        if s.resources:
            body.append(("resources", [Raw(r[2:-1]) if r.startswith("${") and r.endswith("}") and r.count("${") == 1 else r
                                       for r in s.resources]))
        if s.principal is not None:
            p = s.principal
            if p == "*":
                body.append(Block("principals", [], [("type", "*"), ("identifiers", ["*"])]))
            else:
                for t, ids in p.items():
                    body.append(Block("principals", [], [("type", t), ("identifiers", ids if isinstance(ids, list) else [ids])]))
        for test, kv in (s.condition or {}).items():
            for var, vals in kv.items():
                body.append(Block("condition", [], [("test", test), ("variable", var),
                                                    ("values", vals if isinstance(vals, list) else [vals])]))
        items.append(Block("statement", [], body))
    return Block("data", ["aws_iam_policy_document", name], items)


# --------------------------------------------------------------------------------------------
# The plan side of a resource


COMPUTED = {
    "aws_iam_role": ["arn", "create_date", "id", "managed_policy_arns", "unique_id", "tags_all"],
    "aws_iam_policy": ["arn", "attachment_count", "id", "policy_id", "tags_all"],
    "aws_iam_role_policy": ["id"],
    "aws_iam_role_policy_attachment": ["id"],
    "aws_s3_bucket": ["acceleration_status", "acl", "arn", "bucket_domain_name", "bucket_regional_domain_name",
                      "cors_rule", "grant", "hosted_zone_id", "id", "lifecycle_rule", "logging",
                      "object_lock_configuration", "object_lock_enabled", "policy", "region", "replication_configuration",
                      "request_payer", "server_side_encryption_configuration", "tags_all", "versioning", "website",
                      "website_domain", "website_endpoint"],
    "aws_s3_bucket_policy": ["id"],
    "aws_sqs_queue": ["arn", "deduplication_scope", "fifo_throughput_limit", "id", "kms_data_key_reuse_period_seconds",
                      "name_prefix", "policy", "redrive_allow_policy", "redrive_policy", "sqs_managed_sse_enabled",
                      "tags_all", "url"],
    "aws_sqs_queue_policy": ["id"],
    "aws_sns_topic": ["arn", "beginning_archive_time", "id", "owner", "policy", "signature_version", "tags_all"],
    "aws_sns_topic_policy": ["id", "owner"],
    "aws_kms_key": ["arn", "custom_key_store_id", "id", "key_id", "multi_region", "tags_all"],
    "aws_ecr_repository": ["arn", "id", "registry_id", "repository_url", "tags_all"],
    "aws_ecr_repository_policy": ["id", "registry_id"],
    "aws_secretsmanager_secret": ["arn", "id", "policy", "replica", "tags_all"],
    "aws_secretsmanager_secret_policy": ["id"],
    "aws_dynamodb_table": ["arn", "id", "stream_arn", "stream_label", "tags_all", "ttl", "replica"],
    "aws_eks_cluster": ["access_config", "arn", "certificate_authority", "cluster_id", "created_at", "endpoint", "id",
                        "identity", "kubernetes_network_config", "platform_version", "status", "tags_all"],
    "aws_eks_node_group": ["ami_type", "arn", "capacity_type", "disk_size", "id", "instance_types", "release_version",
                           "resources", "status", "tags_all", "version"],
    "aws_launch_template": ["arn", "default_version", "id", "latest_version", "tags_all"],
    "aws_instance": ["arn", "associate_public_ip_address", "availability_zone", "cpu_core_count",
                     "cpu_threads_per_core", "disable_api_stop", "ebs_block_device", "enclave_options",
                     "ephemeral_block_device", "host_id", "host_resource_group_arn", "iam_instance_profile", "id",
                     "instance_initiated_shutdown_behavior", "instance_lifecycle", "instance_state", "ipv6_address_count",
                     "ipv6_addresses", "key_name", "maintenance_options", "network_interface", "outpost_arn",
                     "password_data", "placement_group", "placement_partition_number", "primary_network_interface_id",
                     "private_dns", "private_dns_name_options", "private_ip", "public_dns", "public_ip",
                     "secondary_private_ips", "security_groups", "spot_instance_request_id", "tags_all", "tenancy",
                     "vpc_security_group_ids"],
    "helm_release": ["id", "manifest", "metadata", "status"],
    "random_password": ["bcrypt_hash", "id", "result"],
    "aws_db_instance": ["address", "arn", "endpoint", "hosted_zone_id", "id", "resource_id", "status", "tags_all"],
    "aws_lambda_function": ["arn", "invoke_arn", "last_modified", "qualified_arn", "version", "id", "tags_all"],
    "aws_lambda_permission": ["id"],
    "aws_iam_instance_profile": ["arn", "create_date", "id", "unique_id", "tags_all"],
    "aws_cloudwatch_log_group": ["arn", "id", "tags_all"],
    "aws_security_group": ["arn", "id", "owner_id", "tags_all"],
    "aws_eks_addon": ["arn", "created_at", "id", "modified_at", "tags_all"],
}
EMPTY_BLOCKS = {
    "aws_s3_bucket": ["cors_rule", "grant", "lifecycle_rule", "logging", "object_lock_configuration",
                      "replication_configuration", "server_side_encryption_configuration", "versioning", "website"],
    "aws_instance": ["capacity_reservation_specification", "cpu_options", "credit_specification", "ebs_block_device",
                     "enclave_options", "ephemeral_block_device", "instance_market_options", "ipv6_addresses",
                     "launch_template", "maintenance_options", "network_interface", "private_dns_name_options",
                     "secondary_private_ips", "security_groups", "vpc_security_group_ids"],
    "aws_eks_cluster": ["access_config", "certificate_authority", "encryption_config", "identity",
                        "kubernetes_network_config", "outpost_config", "upgrade_policy", "zonal_shift_config"],
    "aws_launch_template": ["block_device_mappings", "capacity_reservation_specification", "cpu_options",
                            "credit_specification", "elastic_gpu_specifications", "iam_instance_profile",
                            "instance_market_options", "license_specification", "monitoring", "network_interfaces",
                            "placement", "private_dns_name_options", "tag_specifications"],
}


class PlanRes:
    def __init__(self, rtype, name, values, sensitive=None, index=None, mode="managed", expressions=None):
        self.type, self.name, self.values, self.index, self.mode = rtype, name, values, index, mode
        self.sensitive = sensitive or {}
        self.expressions = expressions


def plan_value(v):
    """A python value as it appears in a plan (expressions become plausible concrete values)."""
    if isinstance(v, Raw):
        return None
    if isinstance(v, str):
        return re.sub(r"\$\{[^}]*\}", "x", v)
    if isinstance(v, list):
        return [plan_value(x) for x in v]
    if isinstance(v, dict):
        return {k: plan_value(x) for k, x in v.items()}
    return v


# --------------------------------------------------------------------------------------------
# A module


class Module:
    def __init__(self, index, seed, bad_p):
        self.index = index
        self.rng = random.Random(f"{seed}:{index}")
        rng = self.rng
        self.service = rng.choice(SERVICES)
        self.team = rng.choice(TEAMS)
        self.kind = rng.choices(
            ["service", "eks", "eks-module", "compute", "data", "helm", "edge"],
            weights=[30, 10, 10, 14, 14, 12, 10])[0]
        self.name = f"{self.service}-{self.kind}-{index:05d}"
        self.prefix = f"{self.service}-{index:05d}"
        self.region = rng.choice(REGIONS)
        self.uuid = "%08x-%04x-%04x-%04x-%012x" % (rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(16),
                                                   rng.getrandbits(16), rng.getrandbits(48))
        self.bad_p = bad_p
        self.bad = 0
        self.files: dict[str, list[str]] = {}
        self.variables: list[Block] = []
        self.var_names: set[str] = set()
        self.outputs: list[Block] = []
        self.tfvars: dict = {}
        self.plan: list[PlanRes] = []
        self.plan_outputs: dict = {}
        self.plan_variables: dict = {}

    def bad_roll(self, scale=1.0):
        return self.rng.random() < self.bad_p * scale

    def add(self, file, text):
        self.files.setdefault(file, []).append(text)

    def var(self, name, vtype, default=None, description=None, sensitive=False, has_default=True, validation=None):
        if name in self.var_names:
            return
        self.var_names.add(name)
        items = [("description", description or name.replace("_", " ").capitalize()), ("type", Raw(vtype))]
        if has_default:
            items.append(("default", default))
        if sensitive:
            items.append(("sensitive", True))
        if validation:
            items.append(Block("validation", [], [("condition", Raw(validation[0])), ("error_message", validation[1])]))
        self.variables.append(Block("variable", [name], items))

    def output(self, name, value, description=None, sensitive=False, plan_value=None):
        items = [("description", description or f"The {name.replace('_', ' ')}"), ("value", Raw(value))]
        if sensitive:
            items.append(("sensitive", True))
        self.outputs.append(Block("output", [name], items))
        self.plan_outputs[name] = {"sensitive": sensitive, "value": plan_value}

    def tags(self, extra=None):
        t = {"Name": self.prefix}
        if extra:
            t.update(extra)
        return Raw(f"merge(local.tags, {hcl_value(t, 1)})" if extra else "local.tags")


def secret_string(rng, kind):
    """A literal credential-shaped value (assembled, so this script holds none)."""
    alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    if kind == "aws":
        return "AK" + "IA" + "".join(rng.choice(upper) for _ in range(16))
    if kind == "github":
        return "gh" + "p_" + "".join(rng.choice(alnum) for _ in range(36))
    if kind == "slack":
        return "xo" + "xb-" + "".join(rng.choice("0123456789") for _ in range(12)) + "-" + "".join(
            rng.choice(alnum) for _ in range(24))
    return "".join(rng.choice(alnum) for _ in range(20)) + "!"


# ---- templates: each adds blocks to the module -------------------------------------------------


def t_common(m: Module):
    rng = m.rng
    m.add("versions.tf", render(Block("terraform", [], [
        ("required_version", ">= 1.5.0"),
        Block("required_providers", [], [
            ("aws", {"source": "hashicorp/aws", "version": rng.choice(["~> 5.0", ">= 5.40", "~> 5.60"])}),
            *([("helm", {"source": "hashicorp/helm", "version": "~> 2.12"})] if m.kind in ("helm", "eks") else []),
            *([("random", {"source": "hashicorp/random", "version": "~> 3.6"})] if m.kind in ("data",) else []),
        ]),
    ])))
    m.var("name", "string", m.prefix, "Name prefix for every resource of this module")
    m.var("environment", "string", rng.choice(ENVS), "Deployment environment",
          validation=("contains([\"dev\", \"staging\", \"prod\", \"sandbox\", \"shared\"], var.environment)",
                      "environment must be one of dev, staging, prod, sandbox, shared"))
    m.var("region", "string", m.region, "AWS region")
    m.var("tags", "map(string)", {}, "Extra tags for every resource")
    m.tfvars.update({"environment": rng.choice(ENVS), "region": m.region})
    m.add("main.tf", "\n".join([
        "data \"aws_caller_identity\" \"current\" {}\n",
        "data \"aws_partition\" \"current\" {}\n",
        render(Block("locals", [], [
            ("tags", Raw(f"merge(var.tags, {{\n    Team        = {hstr(m.team)}\n    Service     = {hstr(m.service)}\n"
                         f"    Environment = var.environment\n    ManagedBy   = \"terraform\"\n  }})")),
            ("account_id", Raw("data.aws_caller_identity.current.account_id")),
            ("name", Raw("\"${var.name}-${var.environment}\"")),
        ])),
    ]))


def trust_policy(m: Module, service):
    """An assume-role policy: a service principal, GitHub OIDC, or (bad) anyone."""
    rng = m.rng
    if m.bad_roll(0.5):
        m.bad += 1
        return Stmt("AssumeFromAnywhere", ["sts:AssumeRole"], [], [], principal={"AWS": "*"})
    if rng.random() < 0.25:
        return Stmt("GithubOidc", ["sts:AssumeRoleWithWebIdentity"], [], [],
                    principal={"Federated": f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"},
                    condition={"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                               "StringLike": {"token.actions.githubusercontent.com:sub": f"repo:acme/{m.service}:*"}})
    return Stmt("AssumeByService", ["sts:AssumeRole"], [], [], principal={"Service": f"{service}.amazonaws.com"})


def trust_doc(stmt, plan=False):
    d = {"Effect": "Allow", "Principal": stmt.principal, "Action": stmt.actions[0]}
    if stmt.sid:
        d = {"Sid": stmt.sid, **d}
    if stmt.condition:
        d["Condition"] = stmt.condition
    return {"Version": "2012-10-17", "Statement": [d]}


def t_iam(m: Module, role="app", service="ec2"):
    """A role, its trust policy and a policy in one of the forms."""
    rng = m.rng
    stmts = statements(rng, m, m.bad_p)
    trust = trust_policy(m, service)
    role_name = f"{role}"
    form = rng.choices(["jsonencode", "heredoc", "document", "file", "templatefile", "inline", "role_policy"],
                       weights=[25, 15, 25, 10, 8, 8, 9])[0]
    trust_form = rng.choice(["jsonencode", "document"])
    blocks = []
    if trust_form == "document":
        blocks.append(policy_document_block(f"{role}_assume", [trust], m))
        assume = Raw(f"data.aws_iam_policy_document.{role}_assume.json")
    else:
        assume = Raw("jsonencode(" + hcl_value(trust_doc(trust), 1) + ")")
    role_items = [("name", Raw(f"\"${{local.name}}-{role}\"")), ("description", f"{role.capitalize()} role of {m.service}"),
                  ("assume_role_policy", assume), ("max_session_duration", rng.choice([3600, 7200, 43200])),
                  ("tags", m.tags())]
    policy_value = None
    if form == "inline":
        role_items.insert(3, Block("inline_policy", [], [("name", f"{role}-inline"), ("policy", jsonencode_expr(stmts, 2))]))
    blocks.append(Block("resource", ["aws_iam_role", role_name], role_items))
    m.plan.append(PlanRes("aws_iam_role", role_name, {
        "name": f"{m.prefix}-{role}", "description": f"{role.capitalize()} role of {m.service}",
        "assume_role_policy": json.dumps(trust_doc(trust), separators=(",", ":"), sort_keys=True),
        "force_detach_policies": False, "max_session_duration": 3600, "path": "/", "permissions_boundary": None,
        "inline_policy": [{"name": f"{role}-inline", "policy": plan_policy(stmts)}] if form == "inline" else [],
        "tags": {"Team": m.team, "Service": m.service}}, {"inline_policy": [], "tags": {}, "tags_all": {}}))
    if form == "jsonencode":
        policy_value = jsonencode_expr(stmts, 1)
    elif form == "heredoc":
        policy_value = heredoc(policy_json(stmts), 1)
    elif form == "document":
        blocks.append(policy_document_block(role, stmts, m))
        policy_value = Raw(f"data.aws_iam_policy_document.{role}.json")
    elif form == "file":
        fname = f"policies/{role}.json"
        m.add(fname, policy_json(stmts, plan=True) + "\n")
        policy_value = Raw(f"file(\"${{path.module}}/{fname}\")")
    elif form == "templatefile":
        fname = f"policies/{role}.json.tpl"
        template = {}
        for s in stmts:
            for r, n in zip(s.resources, s.names):
                if r != "*":
                    template[r] = "${" + n + "}"
        m.add(fname.replace(".tpl", ""), policy_json(stmts, template=template) + "\n")
        args = {v[2:-1]: Raw(k[2:-1] if k.startswith("${") and k.endswith("}") and k.count("${") == 1 else hstr(k))
                for k, v in template.items()}
        policy_value = Raw(f"templatefile(\"${{path.module}}/{fname.replace('.tpl', '')}\", {hcl_value(args, 1)})")
    if form == "role_policy":
        blocks.append(Block("resource", ["aws_iam_role_policy", role], [
            ("name", f"{role}-permissions"), ("role", Raw(f"aws_iam_role.{role_name}.id")),
            ("policy", jsonencode_expr(stmts, 1) if rng.random() < 0.5 else heredoc(policy_json(stmts), 1))]))
        m.plan.append(PlanRes("aws_iam_role_policy", role, {"name": f"{role}-permissions", "policy": plan_policy(stmts),
                                                            "role": f"{m.prefix}-{role}"}))
    elif policy_value is not None:
        blocks.append(Block("resource", ["aws_iam_policy", role], [
            ("name", Raw(f"\"${{local.name}}-{role}\"")), ("path", "/service/"),
            ("description", f"Permissions of the {m.service} {role}"), ("policy", policy_value), ("tags", m.tags())]))
        blocks.append(Block("resource", ["aws_iam_role_policy_attachment", role], [
            ("role", Raw(f"aws_iam_role.{role_name}.name")), ("policy_arn", Raw(f"aws_iam_policy.{role}.arn"))]))
        m.plan.append(PlanRes("aws_iam_policy", role, {
            "name": f"{m.prefix}-{role}", "path": "/service/", "description": f"Permissions of the {m.service} {role}",
            "policy": plan_policy(stmts), "tags": {"Team": m.team}}, {"tags": {}, "tags_all": {}}))
        m.plan.append(PlanRes("aws_iam_role_policy_attachment", role, {"role": f"{m.prefix}-{role}"}))
    if rng.random() < 0.4:
        managed = rng.choice(["AmazonSSMManagedInstanceCore", "CloudWatchAgentServerPolicy", "AWSXRayDaemonWriteAccess"])
        blocks.append(Block("resource", ["aws_iam_role_policy_attachment", f"{role}_managed"], [
            ("role", Raw(f"aws_iam_role.{role_name}.name")),
            ("policy_arn", f"arn:${{data.aws_partition.current.partition}}:iam::aws:policy/{managed}")]))
        m.plan.append(PlanRes("aws_iam_role_policy_attachment", f"{role}_managed", {
            "role": f"{m.prefix}-{role}", "policy_arn": f"arn:aws:iam::aws:policy/{managed}"}))
    m.add("iam.tf", "\n".join(render(b) for b in blocks))
    m.output(f"{role}_role_arn", f"aws_iam_role.{role_name}.arn", plan_value=None)
    return role_name


def t_data(m: Module):
    """Bucket, table, queue, topic, key and secret, with their resource policies."""
    rng = m.rng
    blocks = [Block("resource", ["aws_s3_bucket", "this"], [("bucket", Raw("\"${local.name}-data\"")), ("tags", m.tags())]),
              Block("resource", ["aws_s3_bucket_public_access_block", "this"], [
                  ("bucket", Raw("aws_s3_bucket.this.id")), ("block_public_acls", True), ("block_public_policy", True),
                  ("ignore_public_acls", True), ("restrict_public_buckets", True)]),
              Block("resource", ["aws_s3_bucket_versioning", "this"], [
                  ("bucket", Raw("aws_s3_bucket.this.id")), Block("versioning_configuration", [], [("status", "Enabled")])]),
              Block("resource", ["aws_s3_bucket_server_side_encryption_configuration", "this"], [
                  ("bucket", Raw("aws_s3_bucket.this.id")),
                  Block("rule", [], [Block("apply_server_side_encryption_by_default", [], [
                      ("sse_algorithm", "aws:kms"), ("kms_master_key_id", Raw("aws_kms_key.this.arn"))])])])]
    m.plan.append(PlanRes("aws_s3_bucket", "this", {"bucket": f"{m.prefix}-data", "force_destroy": False,
                                                     "tags": {"Name": m.prefix}}, {"tags": {}}))
    # Bucket policy: deny insecure transport, allow a partner account; bad: anyone may read.
    bucket_stmts = [Stmt("DenyInsecureTransport", ["s3:*"], ["${aws_s3_bucket.this.arn}", "${aws_s3_bucket.this.arn}/*"],
                         [f"arn:aws:s3:::{m.prefix}-data", f"arn:aws:s3:::{m.prefix}-data/*"], effect="Deny",
                         principal="*", condition={"Bool": {"aws:SecureTransport": "false"}})]
    if m.bad_roll():
        m.bad += 1
        bucket_stmts.append(Stmt("PublicRead", ["s3:GetObject"], ["${aws_s3_bucket.this.arn}/*"],
                                 [f"arn:aws:s3:::{m.prefix}-data/*"], principal="*"))
    else:
        bucket_stmts.append(Stmt("PartnerRead", ["s3:GetObject", "s3:ListBucket"],
                                 ["${aws_s3_bucket.this.arn}", "${aws_s3_bucket.this.arn}/*"],
                                 [f"arn:aws:s3:::{m.prefix}-data", f"arn:aws:s3:::{m.prefix}-data/*"],
                                 principal={"AWS": f"arn:aws:iam::{210987654321 + m.index % 1000}:root"}))
    if rng.random() < 0.5:
        blocks.append(policy_document_block("bucket", bucket_stmts, m))
        pol = Raw("data.aws_iam_policy_document.bucket.json")
    else:
        pol = jsonencode_expr(bucket_stmts, 1)
    blocks.append(Block("resource", ["aws_s3_bucket_policy", "this"], [("bucket", Raw("aws_s3_bucket.this.id")), ("policy", pol)]))
    m.plan.append(PlanRes("aws_s3_bucket_policy", "this", {"bucket": f"{m.prefix}-data", "policy": plan_policy(bucket_stmts)}))

    blocks.append(Block("resource", ["aws_dynamodb_table", "this"], [
        ("name", Raw("local.name")), ("billing_mode", "PAY_PER_REQUEST"), ("hash_key", "pk"), ("range_key", "sk"),
        Block("attribute", [], [("name", "pk"), ("type", "S")]), Block("attribute", [], [("name", "sk"), ("type", "S")]),
        Block("point_in_time_recovery", [], [("enabled", True)]),
        Block("server_side_encryption", [], [("enabled", True), ("kms_key_arn", Raw("aws_kms_key.this.arn"))]),
        ("tags", m.tags())]))
    m.plan.append(PlanRes("aws_dynamodb_table", "this", {"name": m.prefix, "billing_mode": "PAY_PER_REQUEST", "hash_key": "pk",
                                                         "range_key": "sk", "attribute": [{"name": "pk", "type": "S"},
                                                                                          {"name": "sk", "type": "S"}]}))
    # Queue + topic, the queue subscribed to the topic.
    blocks.append(Block("resource", ["aws_sns_topic", "this"], [("name", Raw("\"${local.name}-alerts\"")),
                                                                ("kms_master_key_id", "alias/aws/sns")]))
    blocks.append(Block("resource", ["aws_sqs_queue", "this"], [
        ("name", Raw("\"${local.name}-events\"")), ("visibility_timeout_seconds", 60), ("message_retention_seconds", 1209600),
        ("sqs_managed_sse_enabled", True), ("tags", m.tags())]))
    q_stmt = Stmt("AllowTopic", ["sqs:SendMessage"], ["${aws_sqs_queue.this.arn}"],
                  [f"arn:aws:sqs:{m.region}:{ACCOUNT}:{m.prefix}-events"], principal={"Service": "sns.amazonaws.com"},
                  condition={"ArnEquals": {"aws:SourceArn": "${aws_sns_topic.this.arn}"}})
    if m.bad_roll(0.5):
        m.bad += 1
        q_stmt = Stmt("AllowAnyone", ["sqs:SendMessage"], ["${aws_sqs_queue.this.arn}"],
                      [f"arn:aws:sqs:{m.region}:{ACCOUNT}:{m.prefix}-events"], principal="*")
    blocks.append(Block("resource", ["aws_sqs_queue_policy", "this"], [
        ("queue_url", Raw("aws_sqs_queue.this.id")), ("policy", heredoc(policy_json([q_stmt]), 1))]))
    m.plan.append(PlanRes("aws_sqs_queue", "this", {"name": f"{m.prefix}-events", "visibility_timeout_seconds": 60}))
    m.plan.append(PlanRes("aws_sqs_queue_policy", "this", {"policy": plan_policy([q_stmt])}))
    t_stmt = Stmt("AllowCloudWatch", ["sns:Publish"], ["${aws_sns_topic.this.arn}"],
                  [f"arn:aws:sns:{m.region}:{ACCOUNT}:{m.prefix}-alerts"], principal={"Service": "cloudwatch.amazonaws.com"},
                  condition={"StringEquals": {"aws:SourceAccount": "${data.aws_caller_identity.current.account_id}"}})
    blocks.append(Block("resource", ["aws_sns_topic_policy", "this"], [
        ("arn", Raw("aws_sns_topic.this.arn")), ("policy", jsonencode_expr([t_stmt], 1))]))
    m.plan.append(PlanRes("aws_sns_topic", "this", {"name": f"{m.prefix}-alerts", "kms_master_key_id": "alias/aws/sns"}))
    m.plan.append(PlanRes("aws_sns_topic_policy", "this", {"policy": plan_policy([t_stmt])}))
    # KMS key: the usual key policy (root gets kms:*; real code is full of it).
    k_stmts = [Stmt("EnableRootPermissions", ["kms:*"], ["*"], ["*"],
                    principal={"AWS": "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"}),
               Stmt("AllowService", ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"], ["*"], ["*"],
                    principal={"Service": "logs.amazonaws.com"},
                    condition={"ArnLike": {"kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:{m.region}:{ACCOUNT}:*"}})]
    blocks.append(Block("resource", ["aws_kms_key", "this"], [
        ("description", Raw("\"${local.name} data key\"")), ("deletion_window_in_days", 30), ("enable_key_rotation", True),
        ("policy", jsonencode_expr(k_stmts, 1)), ("tags", m.tags())]))
    blocks.append(Block("resource", ["aws_kms_alias", "this"], [("name", Raw("\"alias/${local.name}\"")),
                                                               ("target_key_id", Raw("aws_kms_key.this.key_id"))]))
    m.plan.append(PlanRes("aws_kms_key", "this", {"description": f"{m.prefix} data key", "enable_key_rotation": True,
                                                  "policy": plan_policy(k_stmts)}))
    # Secrets Manager + random password + RDS.
    pw_var = rng.choice(["db_password", "master_password", "rds_admin_password"])
    sensitive = not m.bad_roll()
    if not sensitive:
        m.bad += 1
    m.var(pw_var, "string", None, "Master password of the database", sensitive=sensitive, has_default=False)
    m.var("kms_key_arn", "string", None, "KMS key for the application data", has_default=True)
    blocks.append(Block("resource", ["random_password", "app"], [("length", 32), ("special", True),
                                                                ("override_special", "!#$%&*()-_=+[]{}<>:?")]))
    blocks.append(Block("resource", ["aws_secretsmanager_secret", "app"], [
        ("name", Raw("\"${local.name}/app\"")), ("kms_key_id", Raw("aws_kms_key.this.arn")), ("recovery_window_in_days", 7)]))
    blocks.append(Block("resource", ["aws_secretsmanager_secret_version", "app"], [
        ("secret_id", Raw("aws_secretsmanager_secret.app.id")),
        ("secret_string", Raw("jsonencode({\n    username = \"app\"\n    password = random_password.app.result\n  })"))]))
    s_stmt = Stmt("DenyOtherAccounts", ["secretsmanager:GetSecretValue"], ["*"], ["*"], effect="Deny", principal="*",
                  condition={"StringNotEquals": {"aws:PrincipalAccount": ACCOUNT}})
    blocks.append(Block("resource", ["aws_secretsmanager_secret_policy", "app"], [
        ("secret_arn", Raw("aws_secretsmanager_secret.app.arn")), ("policy", jsonencode_expr([s_stmt], 1))]))
    db_items = [("identifier", Raw("local.name")), ("engine", "postgres"), ("engine_version", "16.3"),
                ("instance_class", "db.t4g.medium"), ("allocated_storage", 50), ("storage_encrypted", True),
                ("kms_key_id", Raw("aws_kms_key.this.arn")), ("username", "app_admin"),
                ("password", Raw(f"var.{pw_var}")), ("skip_final_snapshot", False), ("deletion_protection", True),
                ("tags", m.tags())]
    blocks.append(Block("resource", ["aws_db_instance", "this"], db_items))
    m.plan.append(PlanRes("random_password", "app", {"length": 32, "special": True}, {"result": True, "bcrypt_hash": True}))
    m.plan.append(PlanRes("aws_secretsmanager_secret", "app", {"name": f"{m.prefix}/app", "recovery_window_in_days": 7}))
    m.plan.append(PlanRes("aws_secretsmanager_secret_policy", "app", {"policy": plan_policy([s_stmt])}))
    m.plan.append(PlanRes("aws_db_instance", "this", {
        "identifier": m.prefix, "engine": "postgres", "engine_version": "16.3", "instance_class": "db.t4g.medium",
        "allocated_storage": 50, "username": "app_admin", "password": "Pg-" + secret_string(rng, "pw")},
        {"password": True}))
    if m.bad_roll(0.5):
        m.bad += 1
        m.output("db_password", f"var.{pw_var}", "Database password for the app", plan_value="x")
    else:
        m.output("db_password", f"var.{pw_var}", "Database password for the app", sensitive=True, plan_value="x")
    m.output("app_secret_arn", "aws_secretsmanager_secret.app.arn")
    m.output("app_password", "random_password.app.result", "Generated application password",
             sensitive=not m.bad_roll(0.6), plan_value="x")
    m.output("bucket_arn", "aws_s3_bucket.this.arn", plan_value=f"arn:aws:s3:::{m.prefix}-data")
    m.output("table_name", "aws_dynamodb_table.this.name", plan_value=m.prefix)
    if m.bad_roll(0.3):
        m.bad += 1
        m.tfvars[pw_var] = secret_string(rng, "pw")
    m.add("main.tf", "\n".join(render(b) for b in blocks))
    t_iam(m, "app", rng.choice(["ecs-tasks", "lambda", "ec2"]))


def metadata_options(m: Module, container_host=False):
    """metadata_options: mostly required; bad: absent, optional or a high hop limit."""
    r = m.rng.random()
    if r < m.bad_p * 0.6:
        m.bad += 1
        return None
    if r < m.bad_p * 0.9:
        m.bad += 1
        return [("http_endpoint", "enabled"), ("http_tokens", "optional")]
    if r < m.bad_p * 1.1:
        m.bad += 1
        return [("http_endpoint", "enabled"), ("http_tokens", "required"), ("http_put_response_hop_limit", 3)]
    return [("http_endpoint", "enabled"), ("http_tokens", "required"),
            ("http_put_response_hop_limit", 2 if container_host else 1), ("instance_metadata_tags", "enabled")]


def user_data(m: Module) -> str:
    return "\n".join([
        "#!/bin/bash", "set -euo pipefail",
        "yum install -y amazon-cloudwatch-agent jq",
        f"aws configure set region ${{var.region}}",
        f"echo \"SERVICE={m.service}\" >> /etc/environment",
        "echo \"ENVIRONMENT=${var.environment}\" >> /etc/environment",
        "systemctl enable --now amazon-cloudwatch-agent",
    ])


def t_compute(m: Module):
    rng = m.rng
    role = t_iam(m, "instance", "ec2")
    m.var("instance_type", "string", rng.choice(INSTANCE_TYPES), "EC2 instance type")
    m.var("subnet_ids", "list(string)", [f"subnet-{rng.getrandbits(32):08x}" for _ in range(3)], "Private subnets")
    m.var("instance_count", "number", rng.choice([1, 2, 3]), "How many instances")
    m.var("ami_id", "string", f"ami-{rng.getrandbits(64):016x}"[:21], "AMI for the instances")
    blocks = [Block("resource", ["aws_iam_instance_profile", "this"], [("name", Raw("local.name")),
                                                                      ("role", Raw(f"aws_iam_role.{role}.name"))]),
              Block("resource", ["aws_security_group", "this"], [
                  ("name_prefix", Raw("\"${local.name}-\"")), ("description", f"{m.service} instances"),
                  ("vpc_id", Raw("var.vpc_id")),
                  Block("egress", [], [("from_port", 0), ("to_port", 0), ("protocol", "-1"), ("cidr_blocks", ["0.0.0.0/0"])]),
                  Block("dynamic", ["ingress"], [("for_each", Raw("var.ingress_ports")), Block("content", [], [
                      ("from_port", Raw("ingress.value")), ("to_port", Raw("ingress.value")), ("protocol", "tcp"),
                      ("cidr_blocks", Raw("var.allowed_cidrs"))])]),
                  Block("lifecycle", [], [("create_before_destroy", True)])])]
    m.var("vpc_id", "string", None, "VPC of the instances", has_default=False)
    m.var("ingress_ports", "list(number)", [443, 8443], "Ports open to the allowed CIDRs")
    m.var("allowed_cidrs", "list(string)", ["10.0.0.0/8"], "Who may reach the instances")
    md = metadata_options(m)
    items = [("count", Raw("var.instance_count")), ("ami", Raw("var.ami_id")), ("instance_type", Raw("var.instance_type")),
             ("subnet_id", Raw("element(var.subnet_ids, count.index)")), ("iam_instance_profile", Raw("aws_iam_instance_profile.this.name")),
             ("vpc_security_group_ids", Raw("[aws_security_group.this.id]")), ("monitoring", True),
             ("user_data", heredoc(user_data(m), 1, "EOF")),
             Block("root_block_device", [], [("volume_size", rng.choice([20, 50, 100])), ("volume_type", "gp3"), ("encrypted", True)])]
    if md is not None:
        items.append(Block("metadata_options", [], md))
    items.append(("tags", Raw(f"merge(local.tags, {{ Name = \"${{local.name}}-${{count.index}}\" }})")))
    blocks.append(Block("resource", ["aws_instance", "this"], items))
    for i in range(2):
        vals = {"ami": "ami-0abcdef1234567890", "instance_type": rng.choice(INSTANCE_TYPES), "monitoring": True,
                "user_data": "f0e1d2c3b4a5968778695a4b3c2d1e0f00112233",
                "root_block_device": [{"volume_size": 50, "volume_type": "gp3", "encrypted": True, "delete_on_termination": True}],
                "metadata_options": [dict((k, v) for k, v in md)] if md else [],
                "tags": {"Name": f"{m.prefix}-{i}"}}
        m.plan.append(PlanRes("aws_instance", "this", vals, {"root_block_device": [{}], "metadata_options": [{}] if md else [],
                                                             "tags": {}}, index=i))
    # An autoscaled fleet: launch template + ASG.
    md2 = metadata_options(m)
    lt_items = [("name_prefix", Raw("\"${local.name}-\"")), ("image_id", Raw("var.ami_id")),
                ("instance_type", Raw("var.instance_type")), ("update_default_version", True),
                Block("iam_instance_profile", [], [("arn", Raw("aws_iam_instance_profile.this.arn"))]),
                Block("block_device_mappings", [], [("device_name", "/dev/xvda"), Block("ebs", [], [
                    ("volume_size", 50), ("volume_type", "gp3"), ("encrypted", True)])])]
    if md2 is not None:
        lt_items.append(Block("metadata_options", [], md2))
    lt_items.append(Block("tag_specifications", [], [("resource_type", "instance"), ("tags", m.tags())]))
    blocks.append(Block("resource", ["aws_launch_template", "fleet"], lt_items))
    blocks.append(Block("resource", ["aws_autoscaling_group", "fleet"], [
        ("name_prefix", Raw("\"${local.name}-\"")), ("min_size", 1), ("max_size", 6), ("desired_capacity", 2),
        ("vpc_zone_identifier", Raw("var.subnet_ids")), ("health_check_type", "EC2"),
        Block("launch_template", [], [("id", Raw("aws_launch_template.fleet.id")), ("version", "$Latest")]),
        Block("dynamic", ["tag"], [("for_each", Raw("local.tags")), Block("content", [], [
            ("key", Raw("tag.key")), ("value", Raw("tag.value")), ("propagate_at_launch", True)])])]))
    m.plan.append(PlanRes("aws_launch_template", "fleet", {"image_id": "ami-0abcdef1234567890", "update_default_version": True,
                                                           "metadata_options": [dict(md2)] if md2 else []},
                          {"metadata_options": [{}] if md2 else []}))
    if m.bad_roll():
        # The legacy bastion nobody touched since IMDSv1 days.
        m.bad += 1
        blocks.append(Block("resource", ["aws_instance", "bastion"], [
            Comment("TODO(sre): move to SSM Session Manager"),
            ("ami", "ami-0c55b159cbfafe1f0"), ("instance_type", "t3.micro"),
            ("subnet_id", Raw("var.subnet_ids[0]")), ("associate_public_ip_address", True),
            ("key_name", "ops-legacy"), ("tags", m.tags({"Role": "bastion"}))]))
        m.plan.append(PlanRes("aws_instance", "bastion", {"ami": "ami-0c55b159cbfafe1f0", "instance_type": "t3.micro",
                                                          "associate_public_ip_address": True, "metadata_options": []},
                              {"metadata_options": []}))
    m.add("main.tf", "\n".join(render(b) for b in blocks))
    m.output("instance_ids", "aws_instance.this[*].id")
    m.output("private_ips", "aws_instance.this[*].private_ip")
    m.output("launch_template_id", "aws_launch_template.fleet.id")
    m.tfvars.update({"instance_type": rng.choice(INSTANCE_TYPES), "instance_count": rng.choice([1, 2, 4]),
                     "vpc_id": f"vpc-{rng.getrandbits(32):08x}"})


def t_eks(m: Module):
    rng = m.rng
    blocks = []
    m.var("cluster_version", "string", rng.choice(K8S_VERSIONS), "Kubernetes version")
    m.var("subnet_ids", "list(string)", [f"subnet-{rng.getrandbits(32):08x}" for _ in range(3)], "Cluster subnets")
    r = rng.random()
    vpc = [("subnet_ids", Raw("var.subnet_ids")), ("endpoint_private_access", True)]
    plan_vpc = {"endpoint_private_access": True, "subnet_ids": ["subnet-0a1b2c3d"]}
    if r < m.bad_p * 0.8:
        m.bad += 2  # absent: public, and open to 0.0.0.0/0
        plan_vpc.update({"endpoint_public_access": True, "public_access_cidrs": ["0.0.0.0/0"]})
    elif r < m.bad_p * 1.4:
        m.bad += 1
        m.var("public_api", "bool", True, "Expose the Kubernetes API on the internet")
        m.var("api_allowed_cidrs", "list(string)", ["198.51.100.0/24"], "Who may reach the public API")
        vpc += [("endpoint_public_access", Raw("var.public_api")), ("public_access_cidrs", Raw("var.api_allowed_cidrs"))]
        plan_vpc.update({"endpoint_public_access": True, "public_access_cidrs": ["198.51.100.0/24"]})
    else:
        m.var("public_api", "bool", False, "Expose the Kubernetes API on the internet")
        vpc += [("endpoint_public_access", Raw("var.public_api"))]
        m.tfvars["public_api"] = False
        plan_vpc.update({"endpoint_public_access": False, "public_access_cidrs": ["0.0.0.0/0"]})
    cluster_role = f"cluster"
    blocks.append(Block("resource", ["aws_iam_role", cluster_role], [
        ("name", Raw("\"${local.name}-cluster\"")),
        ("assume_role_policy", Raw("jsonencode(" + hcl_value(trust_doc(Stmt(None, ["sts:AssumeRole"], [], [], principal={"Service": "eks.amazonaws.com"})), 1) + ")"))]))
    for p in ["AmazonEKSClusterPolicy", "AmazonEKSVPCResourceController"]:
        blocks.append(Block("resource", ["aws_iam_role_policy_attachment", f"cluster_{p}"], [
            ("policy_arn", f"arn:aws:iam::aws:policy/{p}"), ("role", Raw("aws_iam_role.cluster.name"))]))
    blocks.append(Block("resource", ["aws_eks_cluster", "this"], [
        ("name", Raw("local.name")), ("role_arn", Raw("aws_iam_role.cluster.arn")), ("version", Raw("var.cluster_version")),
        ("enabled_cluster_log_types", ["api", "audit", "authenticator"]),
        Block("vpc_config", [], vpc),
        Block("encryption_config", [], [("resources", ["secrets"]), Block("provider", [], [("key_arn", Raw("var.kms_key_arn"))])]),
        Block("access_config", [], [("authentication_mode", "API_AND_CONFIG_MAP")]),
        ("depends_on", Raw("[aws_iam_role_policy_attachment.cluster_AmazonEKSClusterPolicy]")), ("tags", m.tags())]))
    m.var("kms_key_arn", "string", None, "KMS key for Kubernetes secrets", has_default=False)
    m.plan.append(PlanRes("aws_eks_cluster", "this", {"name": m.prefix, "version": "1.30",
                                                      "enabled_cluster_log_types": ["api", "audit", "authenticator"],
                                                      "vpc_config": [plan_vpc], "tags": {"Name": m.prefix}},
                          {"vpc_config": [{}], "tags": {}}))
    # Node groups with a launch template each.
    for ng in rng.sample(["general", "system", "spot", "gpu", "batch"], rng.choice([1, 2, 3])):
        md = metadata_options(m, container_host=True)
        lt = [("name_prefix", Raw(f"\"${{local.name}}-{ng}-\"")), ("update_default_version", True),
              Block("block_device_mappings", [], [("device_name", "/dev/xvda"), Block("ebs", [], [
                  ("volume_size", 100), ("volume_type", "gp3"), ("encrypted", True)])])]
        if md is not None:
            lt.append(Block("metadata_options", [], md))
        blocks.append(Block("resource", ["aws_launch_template", ng], lt))
        blocks.append(Block("resource", ["aws_eks_node_group", ng], [
            ("cluster_name", Raw("aws_eks_cluster.this.name")), ("node_group_name", ng),
            ("node_role_arn", Raw("aws_iam_role.nodes.arn")), ("subnet_ids", Raw("var.subnet_ids")),
            ("instance_types", [rng.choice(INSTANCE_TYPES)]),
            ("capacity_type", "SPOT" if ng == "spot" else "ON_DEMAND"),
            Block("scaling_config", [], [("desired_size", 2), ("max_size", 10), ("min_size", 1)]),
            Block("update_config", [], [("max_unavailable", 1)]),
            Block("launch_template", [], [("id", Raw(f"aws_launch_template.{ng}.id")),
                                          ("version", Raw(f"aws_launch_template.{ng}.latest_version"))]),
            ("labels", {"workload": ng}),
            Block("lifecycle", [], [("ignore_changes", Raw("[scaling_config[0].desired_size]"))])]))
        m.plan.append(PlanRes("aws_launch_template", ng, {"update_default_version": True,
                                                          "metadata_options": [dict(md)] if md else []},
                              {"metadata_options": [{}] if md else []}))
        m.plan.append(PlanRes("aws_eks_node_group", ng, {
            "node_group_name": ng, "capacity_type": "ON_DEMAND",
            "scaling_config": [{"desired_size": 2, "max_size": 10, "min_size": 1}], "labels": {"workload": ng},
            "launch_template": [{"name": None}]}, {"scaling_config": [{}], "labels": {}, "launch_template": [{}]}))
    blocks.append(Block("resource", ["aws_eks_addon", "vpc_cni"], [
        ("cluster_name", Raw("aws_eks_cluster.this.name")), ("addon_name", "vpc-cni"),
        ("resolve_conflicts_on_update", "OVERWRITE")]))
    m.add("eks.tf", "\n".join(render(b) for b in blocks))
    t_iam(m, "nodes", "ec2")
    m.output("cluster_endpoint", "aws_eks_cluster.this.endpoint")
    m.output("cluster_name", "aws_eks_cluster.this.name", plan_value=m.prefix)
    m.output("cluster_certificate_authority_data", "aws_eks_cluster.this.certificate_authority[0].data")


EKS_MODULE_VERSIONS = ["~> 17.24", "~> 18.0", "18.31.2", "~> 19.0", "19.21.0", ">= 19.0, < 20.0", "~> 20.0", "20.8.4",
                       "~> 20.31", "~> 21.0", "21.1.0"]


def t_eks_module(m: Module):
    rng = m.rng
    version = rng.choice(EKS_MODULE_VERSIONS)
    major = int(re.search(r"\d+", version).group())
    public_default = major <= 18
    m.var("cluster_version", "string", rng.choice(K8S_VERSIONS), "Kubernetes version")
    m.var("vpc_id", "string", None, "VPC of the cluster", has_default=False)
    m.var("subnet_ids", "list(string)", [f"subnet-{rng.getrandbits(32):08x}" for _ in range(3)], "Private subnets")
    prefix = "" if major >= 21 else "cluster_"
    items = [("source", "terraform-aws-modules/eks/aws"), ("version", version), BLANK,
             ("name" if major >= 21 else "cluster_name", Raw("local.name")),
             ("kubernetes_version" if major >= 21 else "cluster_version", Raw("var.cluster_version")), BLANK]
    r = rng.random()
    if r < m.bad_p * 0.7:
        if public_default:
            m.bad += 2
        else:
            items.append((f"{prefix}endpoint_public_access", True))
            m.bad += 2
    elif r < m.bad_p * 1.2:
        items.append((f"{prefix}endpoint_public_access", True))
        items.append((f"{prefix}endpoint_public_access_cidrs", ["0.0.0.0/0"]))
        m.bad += 2
    elif r < 0.5:
        items.append((f"{prefix}endpoint_public_access", True))
        items.append((f"{prefix}endpoint_public_access_cidrs", Raw("var.api_allowed_cidrs")))
        m.var("api_allowed_cidrs", "list(string)", ["203.0.113.0/24"], "Office egress ranges")
        m.bad += 1  # public, but restricted
    else:
        items.append((f"{prefix}endpoint_public_access", False))
        items.append((f"{prefix}endpoint_private_access", True))
    items += [BLANK, ("vpc_id", Raw("var.vpc_id")), ("subnet_ids", Raw("var.subnet_ids")),
              ("enable_irsa", True) if major < 21 else ("enable_irsa", True)]
    groups = {}
    for ng in rng.sample(["general", "system", "spot", "monitoring", "ingress"], rng.choice([1, 2, 3])):
        g = {"instance_types": [rng.choice(INSTANCE_TYPES)], "min_size": 1, "max_size": 6, "desired_size": 2,
             "capacity_type": "SPOT" if ng == "spot" else "ON_DEMAND", "labels": {"workload": ng}}
        md = metadata_options(m, container_host=True)
        if md is not None:
            g["metadata_options"] = dict(md)
        elif major >= 19:
            m.bad -= 1  # the module's own default is required from v19
        groups[ng] = g
    items.append(("eks_managed_node_groups", groups))
    items.append(("tags", Raw("local.tags")))
    m.add("eks.tf", render(Block("module", ["eks"], items)))
    m.output("cluster_endpoint", "module.eks.cluster_endpoint")
    m.output("cluster_name", "module.eks.cluster_name", plan_value=m.prefix)
    m.output("oidc_provider_arn", "module.eks.oidc_provider_arn")
    # The plan sees the module's resources (module.<m>.module.eks.aws_eks_cluster.this[0]); modelled as
    # a cluster of this module, which is how the expanded resource reads.
    pub = not any(k.endswith("endpoint_public_access") and v is False for k, v in [i for i in items if isinstance(i, tuple)])
    if r >= m.bad_p * 1.2 and r < 0.5:
        cidrs = ["203.0.113.0/24"]
    else:
        cidrs = ["0.0.0.0/0"]
    m.plan.append(PlanRes("aws_eks_cluster", "this", {"name": m.prefix, "vpc_config": [{
        "endpoint_private_access": True, "endpoint_public_access": pub if (public_default or r >= m.bad_p * 0.7) else False,
        "public_access_cidrs": cidrs}]}, {"vpc_config": [{}]}, index=0))
    t_helm(m, standalone=False)


HELM_CHARTS = [
    ("grafana", "https://grafana.github.io/helm-charts", "grafana", "8.5.1", "adminPassword", "grafana_admin_password"),
    ("argocd", "https://argoproj.github.io/argo-helm", "argo-cd", "7.4.1", "configs.secret.argocdServerAdminPassword", "argocd_admin_password"),
    ("keycloak", "oci://registry-1.docker.io/bitnamicharts", "keycloak", "22.1.0", "auth.adminPassword", "keycloak_admin_password"),
    ("datadog", "https://helm.datadoghq.com", "datadog", "3.69.0", "datadog.apiKey", "datadog_api_key"),
    ("external-dns", "https://kubernetes-sigs.github.io/external-dns", "external-dns", "1.14.5", None, None),
    ("cluster-autoscaler", "https://kubernetes.github.io/autoscaler", "cluster-autoscaler", "9.37.0", None, None),
    ("aws-load-balancer-controller", "https://aws.github.io/eks-charts", "aws-load-balancer-controller", "1.8.1", None, None),
    ("sentry", "https://sentry-kubernetes.github.io/charts", "sentry", "23.5.0", "user.password", "sentry_admin_password"),
]


def t_helm(m: Module, standalone=True):
    rng = m.rng
    blocks = []
    if standalone:
        m.var("cluster_name", "string", None, "EKS cluster to deploy into", has_default=False)
        blocks.append(Block("data", ["aws_eks_cluster", "this"], [("name", Raw("var.cluster_name"))]))
        blocks.append(Block("data", ["aws_eks_cluster_auth", "this"], [("name", Raw("var.cluster_name"))]))
        m.add("providers.tf", render(Block("provider", ["helm"], [Block("kubernetes", [], [
            ("host", Raw("data.aws_eks_cluster.this.endpoint")),
            ("cluster_ca_certificate", Raw("base64decode(data.aws_eks_cluster.this.certificate_authority[0].data)")),
            ("token", Raw("data.aws_eks_cluster_auth.this.token"))])])))
    for name, repo, chart, version, secret_key, secret_var in rng.sample(HELM_CHARTS, rng.choice([1, 2, 3])):
        items = [("name", name), ("namespace", rng.choice(["monitoring", "kube-system", "platform", name])),
                 ("create_namespace", True), ("repository", repo), ("chart", chart), ("version", version),
                 ("atomic", True), ("timeout", 600)]
        plan_vals = {"name": name, "chart": chart, "version": version, "repository": repo, "set": [], "set_sensitive": []}
        sens = {"set": [], "set_sensitive": []}
        if rng.random() < 0.5:
            values = {"replicaCount": rng.choice([1, 2, 3]), "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}},
                      "serviceAccount": {"create": True, "annotations": {
                          "eks.amazonaws.com/role-arn": Raw("module.irsa.iam_role_arn") if False else f"arn:aws:iam::{ACCOUNT}:role/{name}"}},
                      "podAnnotations": {"team": m.team}}
            items.append(("values", Raw("[yamlencode(" + hcl_value(values, 2) + ")]")))
        for k, v in [("replicaCount", "2"), ("serviceMonitor.enabled", "true"), ("podDisruptionBudget.minAvailable", "1")][:rng.choice([1, 2, 3])]:
            items.append(Block("set", [], [("name", k), ("value", v)]))
            plan_vals["set"].append({"name": k, "type": "", "value": v})
            sens["set"].append({})
        if secret_key:
            m.var(secret_var, "string", None, f"Admin credential of {name}", sensitive=True, has_default=False)
            if m.bad_roll(1.5):
                m.bad += 1
                items.append(Block("set", [], [("name", secret_key), ("value", Raw(f"var.{secret_var}"))]))
                # In the plan the value is marked sensitive as a whole attribute would not be:
                # terraform prints it unless the provider masks it.
                plan_vals["set"].append({"name": secret_key, "type": "", "value": secret_string(rng, "pw")})
                sens["set"].append({})
            else:
                items.append(Block("set_sensitive", [], [("name", secret_key), ("value", Raw(f"var.{secret_var}"))]))
                plan_vals["set_sensitive"].append({"name": secret_key, "type": "", "value": "x"})
                sens["set_sensitive"].append({"value": True})
        blocks.append(Block("resource", ["helm_release", name.replace("-", "_")], items))
        m.plan.append(PlanRes("helm_release", name.replace("-", "_"), plan_vals, sens))
    m.add("helm.tf", "\n".join(render(b) for b in blocks))


def t_edge(m: Module):
    """Lambda + ECR + API permissions, with a `.tf.json` file and a policy `.json` file."""
    rng = m.rng
    role = t_iam(m, "lambda", "lambda")
    m.var("image_tag", "string", "latest", "Image tag to deploy")
    blocks = [Block("resource", ["aws_ecr_repository", "this"], [
        ("name", Raw("local.name")), ("image_tag_mutability", "IMMUTABLE"),
        Block("image_scanning_configuration", [], [("scan_on_push", True)]),
        Block("encryption_configuration", [], [("encryption_type", "KMS")])])]
    e_stmt = Stmt("CrossAccountPull", ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], [], [],
                  principal={"AWS": [f"arn:aws:iam::{ACCOUNT[:-1]}{d}:root" for d in "34"]})
    if m.bad_roll(0.5):
        m.bad += 1
        e_stmt = Stmt("PublicPull", ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], [], [], principal="*")
    doc = {"Version": "2012-10-17", "Statement": [{k: v for k, v in e_stmt.doc().items() if k != "Resource"}]}
    fname = "policies/ecr-repository.json"
    m.add(fname, json.dumps(doc, indent=2) + "\n")
    blocks.append(Block("resource", ["aws_ecr_repository_policy", "this"], [
        ("repository", Raw("aws_ecr_repository.this.name")), ("policy", Raw(f"file(\"${{path.module}}/{fname}\")"))]))
    blocks.append(Block("resource", ["aws_ecr_lifecycle_policy", "this"], [
        ("repository", Raw("aws_ecr_repository.this.name")),
        ("policy", Raw("jsonencode({\n    rules = [{\n      rulePriority = 1\n      description  = \"keep 30 images\"\n"
                       "      selection    = { tagStatus = \"any\", countType = \"imageCountMoreThan\", countNumber = 30 }\n"
                       "      action       = { type = \"expire\" }\n    }]\n  })"))]))
    env = {"LOG_LEVEL": "info", "TABLE_NAME": Raw("\"${local.name}\""), "POWERTOOLS_SERVICE_NAME": m.service}
    if m.bad_roll(0.4):
        m.bad += 1
        env["SLACK_BOT_TOKEN"] = secret_string(rng, "slack")
    blocks.append(Block("resource", ["aws_lambda_function", "this"], [
        ("function_name", Raw("local.name")), ("role", Raw(f"aws_iam_role.{role}.arn")), ("package_type", "Image"),
        ("image_uri", Raw("\"${aws_ecr_repository.this.repository_url}:${var.image_tag}\"")), ("timeout", 30),
        ("memory_size", rng.choice([256, 512, 1024])), ("architectures", ["arm64"]),
        Block("environment", [], [("variables", env)]),
        Block("tracing_config", [], [("mode", "Active")]), ("tags", m.tags())]))
    blocks.append(Block("resource", ["aws_lambda_permission", "api"], [
        ("statement_id", "AllowApiGateway"), ("action", "lambda:InvokeFunction"),
        ("function_name", Raw("aws_lambda_function.this.function_name")), ("principal", "apigateway.amazonaws.com"),
        ("source_arn", Raw("\"${var.api_execution_arn}/*/*\""))]))
    m.var("api_execution_arn", "string", None, "Execution ARN of the API Gateway", has_default=False)
    blocks.append(Block("resource", ["aws_cloudwatch_log_group", "this"], [
        ("name", Raw("\"/aws/lambda/${local.name}\"")), ("retention_in_days", 30)]))
    m.add("main.tf", "\n".join(render(b) for b in blocks))
    m.plan.append(PlanRes("aws_ecr_repository", "this", {"name": m.prefix, "image_tag_mutability": "IMMUTABLE"}))
    m.plan.append(PlanRes("aws_ecr_repository_policy", "this", {"repository": m.prefix, "policy": json.dumps(doc, separators=(",", ":"), sort_keys=True)}))
    m.plan.append(PlanRes("aws_lambda_function", "this", {"function_name": m.prefix, "timeout": 30,
                                                          "environment": [{"variables": {k: plan_value(v) if not isinstance(v, Raw) else m.prefix for k, v in env.items()}}]},
                          {"environment": [{"variables": {}}]}))
    # A `.tf.json` file, as generators write them.
    j_stmts = statements(rng, m, m.bad_p)
    tfjson = {"resource": {
        "aws_iam_policy": {"events": {"name": f"{m.prefix}-events", "description": "Event processing",
                                      "policy": policy_json(j_stmts, indent=None)}},
        "aws_cloudwatch_event_rule": {"nightly": {"name": f"{m.prefix}-nightly", "schedule_expression": "cron(0 3 * * ? *)"}},
        "aws_cloudwatch_event_target": {"nightly": {"rule": "${aws_cloudwatch_event_rule.nightly.name}",
                                                    "arn": "${aws_lambda_function.this.arn}"}}}}
    m.add("events.tf.json", json.dumps(tfjson, indent=2) + "\n")
    m.plan.append(PlanRes("aws_iam_policy", "events", {"name": f"{m.prefix}-events", "policy": plan_policy(j_stmts)}))


def t_service(m: Module):
    """An application service: roles for the task and CI deploy, a log group, SSM parameters."""
    rng = m.rng
    t_iam(m, "task", "ecs-tasks")
    if rng.random() < 0.6:
        t_iam(m, "deploy", "ec2")
    blocks = [Block("resource", ["aws_cloudwatch_log_group", "this"], [
        ("name", Raw("\"/ecs/${local.name}\"")), ("retention_in_days", rng.choice([14, 30, 90])),
        ("kms_key_id", Raw("var.kms_key_arn"))])]
    m.var("kms_key_arn", "string", None, "KMS key for logs", has_default=True)
    params = {}
    for p in rng.sample(["feature_flags", "upstream_url", "max_connections", "cache_ttl_seconds", "log_level"], 3):
        params[p] = rng.choice(["true", "https://internal.example.com/api", "100", "300", "debug"])
    blocks.append(Block("resource", ["aws_ssm_parameter", "config"], [
        ("for_each", Raw("var.parameters")), ("name", Raw("\"/${var.name}/${each.key}\"")), ("type", "String"),
        ("value", Raw("each.value")), ("tags", m.tags())]))
    m.var("parameters", "map(string)", params, "Plain configuration values")
    secret_names = rng.sample(["api_token", "client_secret", "stripe_api_key", "webhook_signing_secret",
                               "oauth_client_secret", "sendgrid_api_key", "jwt_signing_key"], 2)
    for s in secret_names:
        sensitive = not m.bad_roll()
        if not sensitive:
            m.bad += 1
        m.var(s, "string", None, f"The {s.replace('_', ' ')} used by the service", sensitive=sensitive, has_default=False)
        blocks.append(Block("resource", ["aws_ssm_parameter", s], [
            ("name", Raw(f"\"/${{var.name}}/{s}\"")), ("type", "SecureString"), ("value", Raw(f"var.{s}")),
            ("key_id", Raw("var.kms_key_arn"))]))
        m.plan.append(PlanRes("aws_ssm_parameter", s, {"name": f"/{m.prefix}/{s}", "type": "SecureString", "value": "x"},
                              {"value": True}))
    if m.bad_roll(0.6):
        m.bad += 1
        token = secret_string(rng, rng.choice(["slack", "github"]))
        blocks.append(Block("locals", [], [
            ("alert_channel", f"#{m.service}-alerts"),
            ("ci_env", {"GITHUB_TOKEN" if token.startswith("gh") else "SLACK_BOT_TOKEN": token, "AWS_REGION": Raw("var.region")})]))
    # Harmless names that only mention a secret.
    m.var("secret_name", "string", f"{m.prefix}/app", "Name of the Secrets Manager secret")
    m.var("password_length", "number", 32, "Length of generated passwords")
    m.var("token_ttl", "number", 3600, "Lifetime of issued tokens, in seconds")
    m.add("main.tf", "\n".join(render(b) for b in blocks))
    for k in params:
        m.plan.append(PlanRes("aws_ssm_parameter", "config", {"name": f"/{m.prefix}/{k}", "type": "String",
                                                              "value": params[k]}, {"value": True}, index=k))
    if m.bad_roll(0.3):
        m.bad += 1
        m.tfvars["deploy_access_key_id"] = secret_string(rng, "aws")


TEMPLATES = {"service": t_service, "eks": t_eks, "eks-module": t_eks_module, "compute": t_compute, "data": t_data,
             "helm": t_helm, "edge": t_edge}


def build_module(index, seed, bad_p) -> Module:
    m = Module(index, seed, bad_p)
    t_common(m)
    m.add("main.tf", f"# {m.service}: {m.kind} module, owned by team {m.team}.\n")
    TEMPLATES[m.kind](m)
    if m.kind == "helm":
        t_iam(m, "irsa", "ec2")
    m.add("variables.tf", "\n".join(render(v) for v in m.variables))
    m.add("outputs.tf", "\n".join(render(o) for o in m.outputs))
    return m


def module_files(m: Module) -> dict[str, str]:
    files = {}
    for name, chunks in m.files.items():
        if name == "main.tf":
            # The header comment first.
            chunks = [c for c in chunks if c.startswith("# ")] + [c for c in chunks if not c.startswith("# ")]
        files[name] = "\n".join(chunks)
    tfvars = m.tfvars
    if tfvars:
        width = max(len(k) for k in tfvars)
        name = m.rng.choice(["terraform.tfvars", f"{m.rng.choice(ENVS)}.tfvars", "example.tfvars"])
        files[name] = "".join(f"{k.ljust(width)} = {hcl_value(v, 0)}\n" for k, v in tfvars.items())
    return files


def stack_files(index, seed, modules: list[Module]) -> tuple[str, dict[str, str]]:
    """A root module (`live/<env>/<stack>`) calling a few modules."""
    rng = random.Random(f"{seed}:stack:{index}")
    env = rng.choice(ENVS)
    region = rng.choice(REGIONS)
    path = f"live/{env}/{region}/stack-{index:05d}"
    blocks = [Block("terraform", [], [
        Block("backend", ["s3"], [("bucket", f"acme-terraform-state-{env}"), ("key", f"{path}/terraform.tfstate"),
                                  ("region", "eu-west-1"), ("dynamodb_table", "terraform-locks"), ("encrypt", True)])]),
        Block("provider", ["aws"], [("region", Raw("var.region")), Block("assume_role", [], [
            ("role_arn", f"arn:aws:iam::{ACCOUNT}:role/terraform-{env}")]),
            Block("default_tags", [], [("tags", {"Environment": env, "Repository": "acme/infrastructure"})])])]
    variables = [Block("variable", ["region"], [("type", Raw("string")), ("default", region)])]
    for m in modules:
        inputs = [("source", f"../../../../modules/{m.name}"), BLANK, ("name", m.prefix), ("environment", env),
                  ("region", Raw("var.region"))]
        for v in m.variables:
            vname = v.labels[0]
            has_default = any(isinstance(i, tuple) and i[0] == "default" for i in v.items)
            if not has_default:
                if vname.endswith(("password", "secret", "token", "key")) or "api_key" in vname:
                    inputs.append((vname, Raw(f"var.{vname}")))
                    variables.append(Block("variable", [vname], [("type", Raw("string")), ("sensitive", True)]))
                elif vname.endswith("_ids"):
                    inputs.append((vname, Raw("data.terraform_remote_state.network.outputs.private_subnet_ids")))
                elif vname == "vpc_id":
                    inputs.append((vname, Raw("data.terraform_remote_state.network.outputs.vpc_id")))
                else:
                    inputs.append((vname, Raw(f"data.terraform_remote_state.shared.outputs.{vname}")))
        inputs.append(("tags", {"CostCenter": str(rng.randint(1000, 9999))}))
        blocks.append(Block("module", [m.service.replace("-", "_") + f"_{m.index}"], inputs))
    blocks.append(Block("data", ["terraform_remote_state", "network"], [
        ("backend", "s3"), ("config", {"bucket": f"acme-terraform-state-{env}", "key": f"network/{region}/terraform.tfstate",
                                       "region": "eu-west-1"})]))
    blocks.append(Block("data", ["terraform_remote_state", "shared"], [
        ("backend", "s3"), ("config", {"bucket": f"acme-terraform-state-{env}", "key": "shared/terraform.tfstate",
                                       "region": "eu-west-1"})]))
    seen = set()
    uniq = []
    for v in variables:
        if v.labels[0] not in seen:
            seen.add(v.labels[0])
            uniq.append(v)
    return path, {"main.tf": "\n".join(render(b) for b in blocks), "variables.tf": "\n".join(render(v) for v in uniq),
                  f"{env}.tfvars": f"region = {hstr(region)}\n"}


# --------------------------------------------------------------------------------------------
# Writers


def write_tree(out, size_mb, seed, bad_p, quiet=False):
    target = int(size_mb * 1024 * 1024)
    total = 0
    files = 0
    i = 0
    pending: list[Module] = []
    stack = 0
    bad = 0
    def write(directory, texts):
        """Writes the files of one module or stack; returns their bytes and count."""
        written = 0
        for name, text in texts.items():
            path = os.path.join(out, directory, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            data = text.encode()
            with open(path, "wb") as f:
                f.write(data)
            written += len(data)
        return written, len(texts)

    while total < target:
        m = build_module(i, seed, bad_p)
        bad += m.bad
        written, count = write(os.path.join("modules", m.name), module_files(m))
        total += written
        files += count
        pending.append(m)
        i += 1
        if len(pending) >= m.rng.choice([3, 4, 5]) or total >= target:
            path, sfiles = stack_files(stack, seed, pending)
            written, count = write(path, sfiles)
            total += written
            files += count
            stack += 1
            pending = []
    if not quiet:
        print(f"tree: {out}: {files} files, {i} modules, {stack} stacks, {total / 1e6:.1f} MB, "
              f"~{bad} planted mistakes", file=sys.stderr)
    return i


def type_defaults(rtype):
    return COMPUTED.get(rtype, ["id", "arn", "tags_all"])


def plan_resource_json(res: PlanRes, module_addr, existing=False):
    local = f"{'data.' if res.mode == 'data' else ''}{res.type}.{res.name}"
    if res.index is not None:
        local += f"[{json.dumps(res.index)}]"
    address = f"{module_addr}.{local}" if module_addr else local
    values = dict(res.values)
    for k in EMPTY_BLOCKS.get(res.type, []):
        values.setdefault(k, [])
    sensitive = dict(res.sensitive)
    for k in EMPTY_BLOCKS.get(res.type, []):
        sensitive.setdefault(k, [])
    unknown = {}
    for k in type_defaults(res.type):
        if k not in values:
            unknown[k] = True
    if "tags" in values and isinstance(values["tags"], dict):
        values.setdefault("tags_all", dict(values["tags"], ManagedBy="terraform"))
        sensitive.setdefault("tags_all", {})
        unknown.pop("tags_all", None)
    planned = {"address": address, "mode": res.mode, "type": res.type, "name": res.name}
    if res.index is not None:
        planned["index"] = res.index
    planned.update({"provider_name": provider(res.type), "schema_version": 0, "values": values,
                    "sensitive_values": sensitive})
    change = {"address": address}
    if module_addr:
        change["module_address"] = module_addr
    change.update({"mode": res.mode, "type": res.type, "name": res.name})
    if res.index is not None:
        change["index"] = res.index
    change.update({"provider_name": provider(res.type), "change": {
        "actions": ["update"] if existing else ["create"], "before": values if existing else None, "after": values,
        "after_unknown": unknown, "before_sensitive": sensitive if existing else False, "after_sensitive": sensitive}})
    exprs = {}
    for k, v in res.values.items():
        if isinstance(v, (str, int, bool)) and k not in ("policy", "password", "value"):
            exprs[k] = {"constant_value": v}
        elif k == "policy":
            exprs[k] = {"references": [f"data.aws_iam_policy_document.{res.name}.json",
                                       f"data.aws_iam_policy_document.{res.name}"]}
    config = {"address": local.split("[")[0], "mode": res.mode, "type": res.type, "name": res.name,
              "provider_config_key": provider(res.type).split("/")[-1], "expressions": exprs, "schema_version": 0}
    if res.index is not None:
        config["count_expression" if isinstance(res.index, int) else "for_each_expression"] = {
            "references": ["var.instance_count"] if isinstance(res.index, int) else ["var.parameters"]}
    return planned, change, config


def provider(rtype):
    p = rtype.split("_")[0]
    return f"registry.terraform.io/hashicorp/{ {'aws': 'aws', 'helm': 'helm', 'random': 'random'}.get(p, 'aws') }"


def dumps(v):
    return json.dumps(v, separators=(",", ":"), ensure_ascii=False)


def write_plan(path, size_mb, seed, bad_p, quiet=False, prior_state=False):
    target = int(size_mb * 1024 * 1024)
    children, changes, calls, outputs = [], [], [], []
    root_vars, root_var_cfg = {"region": {"value": "eu-west-1"}}, {"region": {"default": "eu-west-1"}}
    total = 2000
    i = 0
    rng = random.Random(f"{seed}:plan")
    while total < target:
        m = build_module(i, seed, bad_p)
        call = m.service.replace("-", "_") + f"_{m.index}"
        addr = f"module.{call}"
        planned, cfg_res = [], []
        for res in m.plan:
            p, c, cfg = plan_resource_json(res, addr, existing=prior_state)
            planned.append(p)
            changes.append(dumps(c))
            if res.index is None or res.index in (0, next(iter(res.values), None)):
                cfg_res.append(cfg)
        child = dumps({"resources": planned, "address": addr})
        children.append(child)
        # Root variables of the call: the secret-named ones are root variables of the plan.
        call_exprs = {"source": None, "name": {"constant_value": m.prefix}, "region": {"references": ["var.region"]}}
        del call_exprs["source"]
        var_cfg = {}
        for v in m.variables:
            vname = v.labels[0]
            sens = any(isinstance(it, tuple) and it[0] == "sensitive" for it in v.items)
            var_cfg[vname] = {"description": next((it[1] for it in v.items if isinstance(it, tuple) and it[0] == "description"), "")}
            if sens:
                var_cfg[vname]["sensitive"] = True
            if vname.endswith(("password", "secret", "token")) or "api_key" in vname:
                root = f"{call}_{vname}"
                root_vars[root] = {"value": secret_string(rng, "pw")}
                root_var_cfg[root] = {"sensitive": True}
                if m.bad_roll(0.3):
                    root_var_cfg[root] = {"description": f"{vname} of {m.name}"}
                call_exprs[vname] = {"references": [f"var.{root}"]}
        cfg_outputs = {k: {"expression": {"references": []}, **({"sensitive": True} if o["sensitive"] else {})}
                       for k, o in m.plan_outputs.items()}
        calls.append(dumps(call) + ":" + dumps({"source": f"../../modules/{m.name}", "expressions": call_exprs,
                                                "module": {"outputs": cfg_outputs, "resources": cfg_res,
                                                           "variables": var_cfg}}))
        for k, o in m.plan_outputs.items():
            if o["value"] is not None and rng.random() < 0.3:
                outputs.append((f"{call}_{k}", o))
        total += len(child) * (4 if prior_state else 2) + len(calls[-1]) + 200
        i += 1
    out_json = {k: {"sensitive": o["sensitive"], "value": o["value"]} for k, o in outputs}
    head = {"format_version": "1.2", "terraform_version": "1.9.5", "variables": root_vars}
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(dumps(head)[:-1])
        f.write(',"planned_values":{"outputs":' + dumps(out_json) + ',"root_module":{"child_modules":[')
        f.write(",".join(children))
        f.write("]}},\"resource_changes\":[")
        f.write(",".join(changes))
        f.write("],\"output_changes\":" + dumps({k: {"actions": ["create"], "before": None, "after": o["value"],
                                                      "after_unknown": False, "before_sensitive": False,
                                                      "after_sensitive": o["sensitive"]} for k, o in outputs}))
        if prior_state:
            f.write(',"prior_state":{"format_version":"1.0","terraform_version":"1.9.5","values":{"root_module":'
                    '{"child_modules":[' + ",".join(children) + "]}}}")
        f.write(',"configuration":{"provider_config":' + dumps({
            "aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws", "version_constraint": "~> 5.0",
                    "expressions": {"region": {"references": ["var.region"]}}},
            "helm": {"name": "helm", "full_name": "registry.terraform.io/hashicorp/helm"}}))
        f.write(',"root_module":{"outputs":' + dumps({k: {"expression": {"references": [f"module.{k}"]},
                                                          **({"sensitive": True} if o["sensitive"] else {})}
                                                      for k, o in outputs}))
        f.write(',"module_calls":{' + ",".join(calls) + "}")
        f.write(',"variables":' + dumps(root_var_cfg) + "}}")
        f.write(',"relevant_attributes":[],"timestamp":"2025-06-01T12:00:00Z","applyable":true,"complete":true,"errored":false}')
        f.write("\n")
    if not quiet:
        print(f"plan: {path}: {os.path.getsize(path) / 1e6:.1f} MB, {i} modules, {len(changes)} resource changes",
              file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size-mb", type=float, default=5.0, help="size of the tree (bytes of files written), in MiB")
    ap.add_argument("--out", help="directory to write the tree into (created)")
    ap.add_argument("--plan", help="also write a plan JSON here")
    ap.add_argument("--plan-size-mb", type=float, default=10.0, help="approximate size of the plan JSON, in MiB")
    ap.add_argument("--seed", default="fleet-iam", help="random seed (default: fleet-iam)")
    ap.add_argument("--bad-rate", type=float, default=0.6,
                    help="probability of a mistake at each place one can be made (default 0.6: about one "
                         "finding per 60 lines with the strict pack, as in an unaudited code base)")
    ap.add_argument("--prior-state", action="store_true",
                    help="write the plan of an update to existing infrastructure: every resource change an "
                         "update with its `before`, and a prior_state holding every resource, as terraform does")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args()
    if not a.out and not a.plan:
        ap.error("give --out DIR, --plan FILE, or both")
    if a.out:
        write_tree(a.out, a.size_mb, a.seed, a.bad_rate, a.quiet)
    if a.plan:
        write_plan(a.plan, a.plan_size_mb, a.seed, a.bad_rate, a.quiet, a.prior_state)


if __name__ == "__main__":
    main()
