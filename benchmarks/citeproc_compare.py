"""How often refman's styled output equals citeproc-js's, style by style.

citeproc-js (Zotero's and Mendeley's engine) is the reference the export issue
holds refman to. It is a JavaScript library, so this script is not a test: it
needs Node.js and the ``citeproc`` npm package, and a folder of CSL locale
files (``locales-en-US.xml``, ...), both outside the project:

    npm install --prefix /tmp/cjs citeproc
    python benchmarks/citeproc_compare.py --engine /tmp/cjs/node_modules/citeproc \\
        --locales /path/to/locales [--sample 200]

Items: the article's four references and a dozen others
(``tests/data/export-references.json``), plus ``--sample`` Crossref-shaped records
from ``../shared/data/matching/index-dev.jsonl`` (every n-th line, mapped with
refman's own Crossref-to-CSL mapping). Each style renders every item in one
run of each engine; entries are compared after collapsing white space. The
script prints a table of equal entries per style and, with ``--show``, the
entries that differ.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(__file__).resolve().with_name("citeproc_js.js")
OWN_ITEMS = ROOT / "tests" / "data" / "export-references.json"
INDEX = ROOT.parent / "shared" / "data" / "matching" / "index-dev.jsonl"
STYLES = ("apa", "vancouver", "chicago", "ieee", "harvard", "nature", "mla", "ama")

sys.path.insert(0, str(ROOT))

from refman.crossref_csl import crossref_to_csl  # noqa: E402
from refman.services.export import format_bibliography  # noqa: E402
from refman.styles import resolve_style  # noqa: E402


def load_items(sample: int) -> list[dict[str, Any]]:
    """Our own test references, then every n-th record of the shared index."""
    items: list[dict[str, Any]] = json.loads(OWN_ITEMS.read_text("utf-8"))
    if sample and INDEX.exists():
        lines = INDEX.read_text("utf-8").splitlines()
        step = max(1, len(lines) // sample)
        for number, line in enumerate(lines[::step][:sample]):
            item = crossref_to_csl(json.loads(line))
            item["id"] = f"crossref{number}"
            items.append(item)
    elif sample:
        print(f"note: {INDEX} is absent; comparing the project's own items only", file=sys.stderr)
    return items


def citeproc_js(request: dict[str, Any]) -> list[str]:
    """The bibliography entries citeproc-js makes for ``request``."""
    node = shutil.which("node")
    if node is None:
        raise SystemExit("Node.js is needed: install it (e.g. apt install nodejs)")
    done = subprocess.run(
        [node, str(SCRIPT)], input=json.dumps(request), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"citeproc-js failed: {done.stderr[-2000:]}")
    entries: list[str] = json.loads(done.stdout)["bibliography"]
    return entries


def compare_style(
    style: str, items: list[dict[str, Any]], engine: str, locales: str
) -> tuple[int, int, list[tuple[str, str]]]:
    """(equal entries, entries, [(refman, citeproc-js) pairs that differ])."""
    ours = [" ".join(line.split()) for line in format_bibliography(items, style).splitlines()]
    request = {
        "engine": engine,
        "locales": locales,
        "style": resolve_style(style).read_text("utf-8"),
        "items": items,
    }
    theirs = citeproc_js(request)
    width = max(len(ours), len(theirs))
    ours += [""] * (width - len(ours))
    theirs += [""] * (width - len(theirs))
    differing = [(a, b) for a, b in zip(ours, theirs, strict=True) if a != b]
    return width - len(differing), width, differing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", required=True, help="path to the citeproc npm package")
    parser.add_argument("--locales", required=True, help="folder of locales-xx-XX.xml files")
    parser.add_argument("--sample", type=int, default=200, help="records from the shared index")
    parser.add_argument("--styles", nargs="*", default=list(STYLES))
    parser.add_argument("--show", action="store_true", help="print the entries that differ")
    args = parser.parse_args()
    items = load_items(args.sample)
    total_equal = total = 0
    print(f"{len(items)} items\n\n| style | equal to citeproc-js |\n|---|---|")
    for style in args.styles:
        equal, count, differing = compare_style(style, items, args.engine, args.locales)
        total_equal, total = total_equal + equal, total + count
        print(f"| {style} | {equal} / {count} |")
        if args.show:
            for ours, theirs in differing:
                print(f"  refman:      {ours}\n  citeproc-js: {theirs}\n", file=sys.stderr)
    print(f"| all | {total_equal} / {total} ({total_equal / max(total, 1):.1%}) |")


if __name__ == "__main__":
    main()
