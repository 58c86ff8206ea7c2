"""Benchmark ``refman resolve`` against the Crossref simulator on the dev references.

    python benchmarks/resolve.py [--half B] [--limit 1000] [--fault-rate 0.1] [--fast]
                                 [--other N]

Follows ``../shared/data/matching/README.md``: builds the simulator's index,
starts ``server.py`` on a free loopback port (defaults: 300 ms latency,
3 concurrent, 10 requests/s), writes the references separated by one blank
line and runs ``refman resolve --file REFS --format jsonl --crossref-url URL``
with ``REFMAN_MAILTO`` set and a fresh ``REFMAN_CACHE_DIR``. Then a second run
over the same cache, and a run against a server that fails ``--fault-rate``
of its requests. Deterministic split of dev.jsonl: half A = even lines (used to
tune the matcher), half B = odd lines (held out from tuning).

``--fast`` runs the simulator without latency or limits (and refman with a
high rate limit), for quality numbers on many references in little time.
``--other N`` adds N references of kinds the index has no record of (books,
chapters, theses, web pages, other fields: the labelled references of
``../shared/data/parsing``), whose right answer is ``unmatched``, as the hidden
acceptance split does; they are reported as variant ``other``.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from children import child_env

from refman.parsing import dataset
from refman.parsing.identifiers import extract_identifiers

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"
SIM = SHARED / "crossref-sim"
DATA = SHARED / "data" / "matching"
PARSING = SHARED / "data" / "parsing"
LOOKED_UP = {"DOI", "ISBN", "arXiv", "PMID", "PMCID"}
"""Identifiers refman looks up outside Crossref (doi.org, arXiv, NCBI, Open Library)."""
BINS = (0.0, 0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 1.01)


def other_references(count: int) -> list[dict[str, Any]]:
    """References of other kinds, with no record in the simulator's index: every
    n-th labelled reference of ``../shared/data/parsing`` (books, chapters, theses,
    web pages, papers from the humanities and computer science), right answer
    ``unmatched``. Those with a DOI, ISBN, arXiv id or PMID are left out: their
    look-ups would go to services the simulator does not stand in for."""
    if count <= 0:
        return []
    sequences = [s for p in dataset.data_files(PARSING) for s in dataset.read_sequences(p)]
    texts = [s.text for s in sequences if not LOOKED_UP & extract_identifiers(s.text).keys()]
    step = max(1, len(texts) // count)
    return [{"reference": t, "doi": None, "variant": "other"} for t in texts[::step][:count]]


def load_references(half: str, limit: int | None) -> list[dict[str, Any]]:
    """Dev references of one deterministic half (A even lines, B odd lines) or all."""
    lines = (DATA / "dev.jsonl").read_text("utf-8").splitlines()
    chosen = [
        json.loads(line)
        for number, line in enumerate(lines)
        if half == "all" or (number % 2 == 0) == (half == "A")
    ]
    return chosen[:limit] if limit else chosen


class Simulator:
    """The Crossref simulator as a subprocess on a free port."""

    def __init__(self, index: Path, workdir: Path, options: list[str]) -> None:
        port_file = workdir / f"port-{time.monotonic_ns()}"
        command = [sys.executable, str(SIM / "server.py"), "--index", str(index), "--port", "0"]
        self.process = subprocess.Popen(
            [*command, "--port-file", str(port_file), *options],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            if time.monotonic() > deadline:
                raise RuntimeError("the simulator did not start")
            time.sleep(0.05)
        self.url = f"http://127.0.0.1:{port_file.read_text().strip()}"

    def stats(self) -> dict[str, Any]:
        """The server's counters."""
        with urllib.request.urlopen(f"{self.url}/_stats") as reply:
            data: dict[str, Any] = json.load(reply)
        return data

    def stop(self) -> None:
        """Terminate the server process."""
        self.process.terminate()
        self.process.wait(timeout=10)


def run_refman(
    refs_file: Path, url: str, cache: Path, extra_env: dict[str, str]
) -> tuple[list[dict[str, Any]], float]:
    """Run the CLI as the README describes; return its JSON lines and the wall time."""
    env = {**child_env(), "REFMAN_MAILTO": "bench@example.org"}
    env["REFMAN_CACHE_DIR"] = str(cache)
    env |= {"REFMAN_CROSSREF_URL": url, "REFMAN_CONFIG": str(cache / "none.toml"), **extra_env}
    command = [sys.executable, "-m", "refman", "resolve", "--file", str(refs_file)]
    command += ["--format", "jsonl", "--crossref-url", url]
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 4):
        sys.stderr.write(done.stderr[-3000:])
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    return lines, elapsed


def quality(
    refs: list[dict[str, Any]], out: list[dict[str, Any]], decoys: set[str]
) -> dict[str, Any]:
    """Precision, recall, F1, FP rate on unmatched-gold, per variant, decoys returned."""
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for ref, result in zip(refs, out, strict=True):
        gold = (ref["doi"] or "").lower()
        doi = (result.get("doi") or "").lower() if result["status"] == "matched" else ""
        counts = per[ref["variant"]]
        counts["n"] += 1
        counts["gold"] += bool(gold)
        counts["tp"] += bool(doi) and doi == gold
        counts["fp"] += bool(doi) and doi != gold
        counts["fp_null"] += bool(doi) and not gold
        counts["decoys"] += doi in decoys
        counts["errors"] += result["status"] == "error"
    total: Counter[str] = sum(per.values(), Counter())
    return {"all": _rates(total), **{v: _rates(c) for v, c in sorted(per.items())}}


def _rates(c: Counter[str]) -> dict[str, Any]:
    precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
    recall = c["tp"] / c["gold"] if c["gold"] else None
    nulls = c["n"] - c["gold"]
    f1 = 2 * precision * recall / (precision + recall) if recall else None
    fp_nulls = c["fp_null"] / nulls if nulls else None
    return {
        "n": c["n"],
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "fp_rate_nulls": fp_nulls,
        "decoys": c["decoys"],
        "errors": c["errors"],
    }


def calibration(
    refs: list[dict[str, Any]], out: list[dict[str, Any]]
) -> list[tuple[str, int, int]]:
    """Per confidence bin: how many top candidates, and how many were the right DOI."""
    rows: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for ref, result in zip(refs, out, strict=True):
        candidates = result.get("candidates") or []
        if not candidates:
            continue
        top = candidates[0]
        index = next(i for i in range(len(BINS) - 1) if BINS[i] <= top["confidence"] < BINS[i + 1])
        rows[index][0] += 1
        rows[index][1] += (top["doi"] or "").lower() == (ref["doi"] or "").lower()
    return [
        (f"[{BINS[i]:.2f}, {min(BINS[i + 1], 1.0):.2f}{']' if BINS[i + 1] > 1 else ')'}", n, right)
        for i, (n, right) in sorted(rows.items())
    ]


def compare_clients(url: str, dois: list[str], work: Path) -> dict[str, float]:
    """Milliseconds per lookup: habanero (a new connection per call) vs the requests Session."""
    from refman.sources.cache import Cache
    from refman.sources.crossref import CrossrefClient, user_agent
    from refman.sources.http import HttpClient, Throttle
    from refman.sources.lookup import Fetcher

    throttle = Throttle(rate=10_000, concurrency=1)
    http = HttpClient(user_agent=user_agent("bench@example.org"), timeout=10, throttle=throttle)
    client = CrossrefClient(
        Fetcher(http, Cache(work / "compare-cache")),
        url,
        mailto="bench@example.org",
        timeout=10,
        throttle=throttle,
    )
    timings = {}
    for name, call in (("habanero_ms", client.agency), ("requests_session_ms", client.work)):
        start = time.perf_counter()
        for doi in dois:
            call(doi)
        timings[name] = 1000 * (time.perf_counter() - start) / len(dois)
    return timings


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=("A", "B", "all"), default="B")
    parser.add_argument("--limit", type=int, default=1000, help="0: the whole half")
    parser.add_argument("--fault-rate", type=float, default=0.1)
    parser.add_argument("--fast", action="store_true")
    parser.add_argument("--no-fault-run", action="store_true")
    parser.add_argument(
        "--other",
        type=int,
        default=0,
        metavar="N",
        help="add N references of other kinds (books, theses, ...) that must stay unmatched",
    )
    parser.add_argument(
        "--compare-clients",
        type=int,
        default=0,
        metavar="N",
        help="also time N DOI lookups through habanero and through requests",
    )
    return parser.parse_args()


def build_index(work: Path) -> Path:
    index = work / "index.sqlite"
    command = [sys.executable, str(SIM / "build_index.py"), "--input"]
    command += [str(DATA / "index-dev.jsonl"), "--output", str(index)]
    subprocess.run(command, check=True, capture_output=True)
    return index


def decoy_dois() -> set[str]:
    """Index DOIs that are no dev reference's answer (decoys, or works of the hidden split)."""
    with (DATA / "index-dev.jsonl").open(encoding="utf-8") as lines:
        dois = {json.loads(line)["DOI"].lower() for line in lines}
    return dois - {(r["doi"] or "").lower() for r in load_references("all", None)}


def fresh_run(
    refs: list[dict[str, Any]], refs_file: Path, sim: Simulator, cache: Path, env: dict[str, str]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """One run on an empty cache: its answers and the common measurements."""
    out, elapsed = run_refman(refs_file, sim.url, cache, env)
    stats = sim.stats()
    _check(out, refs)
    return out, {
        "errors": sum(r["status"] == "error" for r in out),
        "quality": quality(refs, out, decoy_dois()),
        "refs_per_s": len(refs) / elapsed,
        "requests_per_ref": stats["requests"] / len(refs),
        "server_429": stats["rate_limited_429"],
        "server_429_concurrency": stats["rate_limited_concurrency"],
        "server_429_rate": stats["rate_limited_rate"],
        "server_max_in_flight": stats["max_in_flight"],
        "server_faults": stats["faults"],
    }


def main_runs(
    refs: list[dict[str, Any]], refs_file: Path, sim: Simulator, work: Path, env: dict[str, str]
) -> dict[str, Any]:
    """The fresh run and a second run over the same cache."""
    out, report = fresh_run(refs, refs_file, sim, work / "cache", env)
    cached, cached_elapsed = run_refman(refs_file, sim.url, work / "cache", env)
    report["calibration"] = calibration(refs, out)
    report["cached_refs_per_s"] = len(refs) / cached_elapsed
    report["cached_same_answers"] = [r["doi"] for r in cached] == [r["doi"] for r in out]
    return report


def fault_run(
    refs: list[dict[str, Any]], refs_file: Path, sim: Simulator, work: Path, env: dict[str, str]
) -> dict[str, Any]:
    """A fresh run against a server that fails some requests."""
    return fresh_run(refs, refs_file, sim, work / "cache-fault", env)[1]


def main() -> None:
    args = parse_args()
    refs = load_references(args.half, args.limit or None) + other_references(args.other)
    fast = ["--latency-ms", "0", "--rate", "1000", "--max-concurrent", "20"]
    sim_options = fast if args.fast else []
    env = {"REFMAN_RATE_LIMIT": "1000"} if args.fast else {}
    report: dict[str, Any] = {"half": args.half, "references": len(refs), "fast": args.fast}
    with tempfile.TemporaryDirectory(prefix="refman-bench-") as tmp:
        work = Path(tmp)
        index = build_index(work)
        refs_file = work / "refs.txt"
        refs_file.write_text("\n\n".join(r["reference"] for r in refs) + "\n", "utf-8")
        runs = [("main", sim_options, main_runs)]
        if not args.no_fault_run:
            runs.append(("fault", [*sim_options, "--fault-rate", str(args.fault_rate)], fault_run))
        for name, options, measure in runs:
            sim = Simulator(index, work, options)
            try:
                report[name] = measure(refs, refs_file, sim, work, env)
            finally:
                sim.stop()
        if args.compare_clients:
            sim = Simulator(
                index, work, ["--latency-ms", "0", "--rate", "0", "--max-concurrent", "0"]
            )
            try:
                gold = [r["doi"] for r in load_references("all", None) if r["doi"]]
                report["clients"] = compare_clients(sim.url, gold[: args.compare_clients], work)
            finally:
                sim.stop()
    print(json.dumps(report, indent=1))


def _check(out: list[dict[str, Any]], refs: list[dict[str, Any]]) -> None:
    if len(out) != len(refs) or any(
        not _same(o["input"], r["reference"]) for o, r in zip(out, refs, strict=False)
    ):
        raise SystemExit(f"refman answered {len(out)} of {len(refs)} references or out of order")


def _same(answered: str, given: str) -> bool:
    """The same reference once the finder has joined wrapped lines, hyphens (soft ones too),
    numbering and bullets."""
    return _bare(answered) == _bare(given)


def _bare(reference: str) -> str:
    unnumbered = re.sub(r"^\s*(\[\d+\]|\(\d+\)|\d+[.)]|[•·*])", "", reference)
    return re.sub(r"[\s\u00ad-]", "", unnumbered)


if __name__ == "__main__":
    main()
