"""Parsing speed alone: references per second over PDF-extracted references, finder included.

Run from the project root::

    python benchmarks/parse_speed.py [--file ../shared/data/matching/dev.jsonl] [--count N]

It loads the model on one reference first (start-up is not counted), then splits and
parses ``--count`` references once, cold caches, and prints references per second of CPU
time and of wall time. This VM's speed drifts by a fifth from minute to minute, so to
compare two versions of the code, interleave runs (``PYTHONPATH=<other checkout>``) or
count instructions, which do not drift::

    PYTHONMALLOC=malloc valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
        python benchmarks/parse_speed.py            # minus the same with --count 0
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from parse_accuracy import timed

from refman.parsing import parse_references
from refman.parsing.train import DEFAULT_DATA


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--file",
        type=Path,
        default=DEFAULT_DATA.parent / "matching" / "dev.jsonl",
        help="jsonl with a 'reference' string per line",
    )
    parser.add_argument("--count", type=int, default=3000, help="references to parse")
    args = parser.parse_args()
    if not args.file.is_file():
        print(f"{args.file} not found: pass --file", file=sys.stderr)
        return 2
    with args.file.open(encoding="utf-8") as lines:
        texts = [json.loads(line)["reference"] for line in lines][: args.count]
    parse_references(["Smith J. Loading the model. Nature. 2000;1:2-3."])
    if texts:
        timed(args.file.name, texts, split=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
