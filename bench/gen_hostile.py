#!/usr/bin/env python3
"""Writes hostile inputs for the memory benchmark (bench/memory.sh): shapes under the size limits
that cost far more memory than their bytes if a parser keeps one node per token.

    python3 bench/gen_hostile.py --out /tmp/hostile                 # every shape, full size
    python3 bench/gen_hostile.py --out /tmp/hostile --scale 0.01    # the same shapes, small
    python3 bench/gen_hostile.py --out /tmp/hostile --only tf-traversal plan-numbers

Shapes (file name: what it is):
  tf-traversal.tf   one attribute `a = b.c.c.c...`            (19 MiB)
  tf-index.tf       one attribute `a = x[0][0][0]...`         (19 MiB)
  tf-splat.tf       one attribute `a = x[*].c[*].c...`        (19 MiB)
  tf-binary.tf      one attribute `a = 1 + 1 + 1 ...`         (19 MiB)
  tf-list.tf        one attribute `a = [1, 1, 1, ...]`        (19 MiB)
  tf-lists.tf       blocks `locals { aN = [1, 1, ...] }`, each under the limit on one (19 MiB)
  plan-numbers.json a plan whose one resource holds a list of numbers, in resource_changes,
                    planned_values and prior_state alike      (50 MB)

The realistic plan of the benchmark comes from bench/gen_corpus.py (`--prior-state`).

Python 3 standard library only; the output depends only on the scale.
"""

from __future__ import annotations

import argparse
import json
import os

MIB = 1 << 20


def chain(path, head, link, size):
    """`a = HEAD LINK LINK ...` on one line, about `size` bytes."""
    count = max(1, (size - len(head) - 8) // len(link))
    with open(path, "w", encoding="ascii") as f:
        f.write("a = " + head)
        block = link * 4096
        for _ in range(count // 4096):
            f.write(block)
        f.write(link * (count % 4096))
        f.write("\n")


def tf_list(path, size):
    count = max(1, (size - 8) // 3)
    with open(path, "w", encoding="ascii") as f:
        f.write("a = [1")
        block = ", 1" * 4096
        for _ in range(count // 4096):
            f.write(block)
        f.write("]\n")


def tf_lists(path, size):
    """Blocks `locals { aN = [1, 1, ...] }` of 180,000 numbers each, under the limit on one."""
    line = "[1" + ", 1" * 179_999 + "] }\n"
    with open(path, "w", encoding="ascii") as f:
        for n in range(max(1, size // (len(line) + 16))):
            f.write(f"locals {{ a{n} = " + line)


def plan_numbers(path, size):
    """One `aws_s3_bucket` whose `data` attribute is a list of numbers, three times over."""
    count = max(1, size // 3 // 2)
    numbers = ",".join(str(i % 10) for i in range(count))
    resource = {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b",
                "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0}
    values = '{"bucket":"b","data":[' + numbers + "]}"
    state = json.dumps(resource)[:-1] + ',"values":' + values + ',"sensitive_values":{}}'
    change = (json.dumps(resource)[:-1] + ',"change":{"actions":["update"],"before":{"bucket":"b"},"after":'
              + values + ',"after_unknown":{},"before_sensitive":{},"after_sensitive":{}}}')
    with open(path, "w", encoding="ascii") as f:
        f.write('{"format_version":"1.2","terraform_version":"1.9.5",')
        f.write('"planned_values":{"root_module":{"resources":[' + state + "]}},")
        f.write('"resource_changes":[' + change + "],")
        f.write('"prior_state":{"format_version":"1.0","terraform_version":"1.9.5","values":{"root_module":'
                '{"resources":[' + state + "]}}},")
        f.write('"configuration":{"root_module":{"resources":[{"address":"aws_s3_bucket.b","mode":"managed",'
                '"type":"aws_s3_bucket","name":"b","expressions":{"bucket":{"constant_value":"b"}}}]}}}\n')


SHAPES = {
    "tf-traversal.tf": lambda p, s: chain(p, "b", ".c", s),
    "tf-index.tf": lambda p, s: chain(p, "x", "[0]", s),
    "tf-splat.tf": lambda p, s: chain(p, "x", "[*].c", s),
    "tf-binary.tf": lambda p, s: chain(p, "1", " + 1", s),
    "tf-list.tf": tf_list,
    "tf-lists.tf": tf_lists,
    "plan-numbers.json": plan_numbers,
}
SIZES = {"plan-numbers.json": 50 * 1000 * 1000}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="directory to write into (created)")
    ap.add_argument("--scale", type=float, default=1.0, help="size factor (default 1: 19 MiB trees, 50 MB plan)")
    ap.add_argument("--only", nargs="*", help="shape names (file names without extension)")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for name, write in SHAPES.items():
        if args.only and name.rsplit(".", 1)[0] not in args.only:
            continue
        path = os.path.join(args.out, name)
        write(path, int(SIZES.get(name, 19 * MIB) * args.scale))
        print(f"{path}: {os.path.getsize(path) / MIB:.1f} MiB")


if __name__ == "__main__":
    main()
