"""Export benchmark: styled bibliographies, data formats, and `refman cite` start-up.

    python benchmarks/export.py [--entries 1000] [--runs 5] [--no-pyc]

Targets (issue 6): a styled bibliography of 1,000 entries in < 2 s; a single
`refman cite` in < 0.5 s wall time, interpreter start-up included.

The entries are the 13 references of tests/data/export-references.json, repeated
with distinct ids, years and titles, their first authors drawn from a pool of
``--authors`` invented names (``--authors 0``: the 13 originals, a worst case for
same-author-same-year disambiguation). Styled timings call
``refman.services.export.format_bibliography`` (one pandoc process per call);
data formats call their codecs. `refman cite` is timed as a real
``refman --library ... cite KEY --style apa`` process, next to ``refman --version``
(the start-up every command pays) for comparison. Each number is the median of
``--runs`` runs, wall time and CPU time (this process plus pandoc/refman children:
on a busy machine the CPU column is what an idle one would take). The refman
processes may write refman's bytecode (``benchmarks/children.py``), as an
installed package has its ``.pyc`` files; ``--no-pyc`` keeps the caller's
``PYTHONDONTWRITEBYTECODE``, if set, so every process compiles refman's modules
again.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from children import child_env

from refman import bibtex, csljson, ris
from refman.model import CslItem
from refman.services.export import format_bibliography

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "export-references.json"


def entries(count: int, authors: int = 0, seed: int = 6) -> list[CslItem]:
    """``count`` distinct entries made from the test references.

    ``authors`` > 0 gives the first authors family names drawn from a pool of that
    many invented names (a library's spread of authors); 0 keeps the 13 originals,
    which makes far more same-author-same-year pairs than a real library has.
    """
    base: list[CslItem] = json.loads(DATA.read_text("utf-8"))
    chooser = random.Random(seed)
    pool = [_invented_name(chooser) for _ in range(authors)]
    made = []
    for number in range(count):
        item = dict(base[number % len(base)])
        item["id"] = f"{item['id']}x{number}"
        item["title"] = f"{item['title']} part {number}"
        item["issued"] = {"date-parts": [[1950 + number % 75]]}
        if pool and item.get("author"):
            first = {"family": chooser.choice(pool), "given": chooser.choice("ABCDEHJKLMS") + "."}
            item["author"] = [first, *item["author"][1:]]
        made.append(item)
    return made


def _invented_name(chooser: random.Random) -> str:
    syllables = [chooser.choice("bdfghklmnprstvwz") + chooser.choice("aeiou") for _ in range(3)]
    return "".join(syllables).title()


def _cpu() -> float:
    """CPU seconds used so far by this process and its finished children (pandoc, refman)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def median_seconds(action: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``action`` (CPU shows the cost on a busy machine)."""
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), _cpu()
        action()
        walls.append(time.perf_counter() - start)
        cpus.append(_cpu() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def show(label: str, seconds: tuple[float, float]) -> None:
    print(f"{label:<34} {seconds[0]:6.3f} s wall  {seconds[1]:6.3f} s cpu")


def refman_seconds(args: list[str], runs: int, env: dict[str, str]) -> tuple[float, float]:
    """Median wall time of a `refman` process (start-up included)."""
    command = [shutil.which("refman") or sys.executable, *args]
    if command[0] == sys.executable:
        command[1:1] = ["-m", "refman"]

    def run() -> None:
        subprocess.run(command, check=True, capture_output=True, env=env)

    run()  # warm the OS file cache (and write the bytecode cache)
    return median_seconds(run, runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--authors", type=int, default=800, help="size of the first-author pool (0: 13 names)"
    )
    parser.add_argument("--no-pyc", action="store_true", help="keep PYTHONDONTWRITEBYTECODE")
    options = parser.parse_args()
    items = entries(options.entries, options.authors)
    print(
        f"{options.entries} entries, {options.authors or 13} first authors, "
        f"median of {options.runs} runs"
    )
    for style in ("apa", "vancouver", "ieee", "chicago"):
        for fmt in ("text", "html"):
            seconds = median_seconds(
                lambda s=style, f=fmt: format_bibliography(items, s, fmt=f),
                options.runs,
            )
            show(f"styled {style} {fmt}", seconds)
    writers: dict[str, Callable[[list[CslItem]], str]] = {
        "bibtex": bibtex.dumps,
        "csl-json": csljson.dumps,
        "ris": ris.dumps,
    }
    for name, write in writers.items():
        show(f"data {name}", median_seconds(lambda w=write: w(items), options.runs))
    with tempfile.TemporaryDirectory() as tmp:
        library = Path(tmp) / "library.bib"
        library.write_text(bibtex.dumps(entries(13)), "utf-8")
        cache = ["--cache-dir", str(Path(tmp) / "cache")]
        env = child_env(no_pyc=options.no_pyc)
        version = refman_seconds(["--version"], options.runs, env)
        cite = refman_seconds(
            [*cache, "--library", str(library), "cite", "grober2015x2", "--style", "apa"],
            options.runs,
            env,
        )
        show("refman --version (start-up)", version)
        show("refman cite KEY --style apa", cite)


if __name__ == "__main__":
    main()
