"""Library benchmark: `refman add` / `list` / `search` on a generated 10,000-entry library.

    python benchmarks/library.py [--entries 10000] [--runs 3] [--no-pyc]

Targets (issue 5): `refman add` of a cached reference takes at most 1.5x what
bibtexparser alone needs to parse and write the same file; `refman list` and
`refman search` take under 1 s. Every refman number is the wall time of a real
`python -m refman ...` process (interpreter start-up included). "No index" means the
first command on a file refman never read (every entry is parsed); "stale
index" means the first command after one entry was edited outside refman (the
index is rebuilt, reusing the items of unchanged entries); "warm" means the
index is current.

The refman processes may write refman's bytecode (``benchmarks/children.py``), as
an installed package has its ``.pyc`` files; ``--no-pyc`` keeps the caller's
``PYTHONDONTWRITEBYTECODE`` instead, so every process compiles refman's modules
again (about 0.1 s more).

The reference is "cached": a first `refman add` of its DOI against a local
Crossref-shaped server (one recorded work from ../shared/fixtures) fills the
lookup cache, and the measured runs use `--offline`, so no network is involved.
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
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import bibtexparser  # noqa: TID251 - the baseline the target is defined against
from children import child_env

from refman.bibscan import scan_blocks
from refman.bibtex import csl_to_bibtex, split_blocks
from refman.model import date_parts

PROJECT = Path(__file__).resolve().parent.parent
FIXTURE = (
    PROJECT.parent / "shared/fixtures/crossref/work_journal_article_plos_updated_by_correction.json"
)
WORDS = [
    "magnesium",
    "sleep",
    "quality",
    "insomnia",
    "adults",
    "randomized",
    "trial",
    "effect",
    "supplementation",
    "older",
    "cohort",
    "study",
    "dietary",
    "intake",
    "muscle",
    "cramps",
    "review",
    "meta",
    "analysis",
    "risk",
    "blood",
    "pressure",
    "vitamin",
    "zinc",
    "calcium",
    "children",
    "depression",
    "anxiety",
    "stress",
    "cortisol",
]
FAMILIES = [
    "Smith",
    "Müller",
    "García",
    "Nguyen",
    "Kowalski",
    "Rossi",
    "Jensen",
    "Gröber",
    "Abbasi",
    "Tanaka",
    "Ivanov",
]


def generate(entries: int) -> str:
    """A deterministic library in refman's own format (with provenance fields)."""
    rng = random.Random(5)
    blocks = []
    for n in range(entries):
        item: dict[str, Any] = {
            "type": "article-journal",
            "title": " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 12))).capitalize(),
            "author": [
                {"family": rng.choice(FAMILIES), "given": f"{chr(65 + rng.randint(0, 25))}."}
                for _ in range(rng.randint(1, 6))
            ],
            "container-title": f"Journal of {rng.choice(WORDS).capitalize()} Research",
            "volume": str(rng.randint(1, 60)),
            "issue": str(rng.randint(1, 12)),
            "page": f"{(p := rng.randint(1, 900))}-{p + rng.randint(3, 20)}",
            "issued": date_parts(rng.randint(1980, 2025), rng.randint(1, 12)),
            "DOI": f"10.{rng.randint(1000, 9999)}/bench.{n}",
            "_refman": {"source": "crossref", "verified": True, "confidence": 0.95},
        }
        blocks.append(csl_to_bibtex(item, f"entry{n}"))
    return "\n".join(blocks)


@contextmanager
def crossref_server() -> Iterator[tuple[str, str]]:
    """A loopback server answering /works/{doi} with one recorded Crossref work."""
    body = FIXTURE.read_bytes()
    doi = json.loads(body)["message"]["DOI"]

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            found = doi.lower() in self.path.lower().replace("%2f", "/")
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", "application/json")
            payload = body if found else b"Resource not found."
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", doi
    finally:
        server.shutdown()


@dataclass
class Timing:
    """Wall and CPU (user+sys) seconds of one run."""

    wall: float
    cpu: float


CHILD_ENV: dict[str, str] = {}
"""The environment of the measured processes (set in ``main``, see ``--no-pyc``)."""


def refman(library: Path, cache: Path, *args: str, url: str = "http://127.0.0.1:9") -> Timing:
    """Wall and CPU time of one `python -m refman` process; fails loudly if it fails."""
    command = [sys.executable, "-m", "refman", "--library", str(library), "--cache-dir", str(cache)]
    command += ["--crossref-url", url, *args]
    before = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=CHILD_ENV)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}): {done.stderr}")
    return Timing(elapsed, _children_cpu() - before)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def best(times: list[Timing]) -> str:
    wall = statistics.median(t.wall for t in times)
    cpu = statistics.median(t.cpu for t in times)
    return f"wall median {wall:.2f} s, CPU median {cpu:.2f} s (n={len(times)})"


def baseline(text: str, runs: int) -> list[Timing]:
    """bibtexparser alone, in-process: parse_string + write_string of the whole file."""
    times = []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        library = bibtexparser.parse_string(text)
        bibtexparser.write_string(library)
        times.append(Timing(time.perf_counter() - start, time.process_time() - cpu))
    return times


def readers(text: str, runs: int) -> None:
    """In-process: refman's scanner against bibtexparser's splitter on the same text."""
    for name, read in (
        ("refman.bibscan.scan_blocks", scan_blocks),
        ("refman.bibtex.split_blocks (bibtexparser)", split_blocks),
    ):
        times = []
        for _ in range(runs):
            start, cpu = time.perf_counter(), time.process_time()
            blocks = read(text)
            times.append(Timing(time.perf_counter() - start, time.process_time() - cpu))
        if blocks is None:
            raise SystemExit("the scanner declined the generated library")
        print(f"{name} (in-process): {best(times)}")


def measure(runs: int, action: Callable[[], Timing], prepare: Callable[[], object]) -> list[Timing]:
    times = []
    for _ in range(runs):
        prepare()
        times.append(action())
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-pyc", action="store_true", help="keep PYTHONDONTWRITEBYTECODE")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="refman-bench-"))
    CHILD_ENV.update(child_env(no_pyc=args.no_pyc))
    big, library, cache = work / "big.bib", work / "library.bib", work / "cache"
    text = generate(args.entries)
    big.write_text(text, "utf-8")
    print(f"library: {args.entries} entries, {len(text.encode()) / 1e6:.1f} MB")
    base = baseline(text, args.runs)
    print(f"bibtexparser parse_string + write_string: {best(base)}")
    readers(text, args.runs)

    with crossref_server() as (url, doi):
        refman(work / "warmup.bib", cache, "add", "--yes", doi, url=url)

    def fresh() -> None:
        """The 10,000-entry file never read by refman: no index at all."""
        shutil.rmtree(cache / "library-index", ignore_errors=True)
        shutil.copyfile(big, library)

    cold_add = measure(
        args.runs, lambda: refman(library, cache, "--offline", "add", "--yes", doi), fresh
    )
    print(f"refman add (cached DOI, no index): {best(cold_add)}")
    if "refman-verified = {true}" not in library.read_text("utf-8")[-2000:]:
        raise SystemExit("the added entry is not verified: the lookup was not served from cache")

    def warm() -> None:
        fresh()
        refman(library, cache, "list", "--format", "keys")

    warm_add = measure(
        args.runs, lambda: refman(library, cache, "--offline", "add", "--yes", doi), warm
    )
    print(f"refman add (cached DOI, warm index): {best(warm_add)}")
    for name, times in (("no index", cold_add), ("warm", warm_add)):
        wall = statistics.median(t.wall for t in times) / statistics.median(t.wall for t in base)
        cpu = statistics.median(t.cpu for t in times) / statistics.median(t.cpu for t in base)
        print(f"ratio add({name})/bibtexparser: wall {wall:.2f}, CPU {cpu:.2f}  (target <= 1.5)")

    def edited() -> None:
        """The file read by refman once, then one entry edited outside refman (stale index)."""
        warm()
        text = library.read_text("utf-8")
        library.write_text(text.replace("title = {", "title = {Edited: ", 1), "utf-8")

    for name, query in (
        ("list", ["list"]),
        ("search", ["search", "author:gröber magnesium year:2000..2020"]),
    ):
        for state, prepare in (("no index", fresh), ("stale index", edited), ("warm", warm)):
            times = measure(args.runs, lambda q=query: refman(library, cache, *q), prepare)
            print(f"refman {name}, {state}: {best(times)}  (target < 1 s)")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
