"""How well ``refman check`` tells fabricated references from real ones.

Run from the project root (starts the Crossref simulator unless --url is given)::

    python benchmarks/check.py [--n 300] [--seed 7] [--latency-ms 0 --rate 1000 --max-concurrent 20]

The labelled set is built from ``../shared/data/matching/dev.jsonl`` (references
as printed) and the simulator's index (their records):

real (must not be flagged)
    ``plain`` and ``translated`` references whose record is in the index,
    once with their DOI appended (``doi: ...``) and once as printed;
fabricated (must be flagged)
    made from other real references: the title of one work with the authors
    and numbers of another, the year or volume shifted, the first author
    replaced by an invented name (each with the real DOI appended and
    without), an invented DOI, a real DOI attached to another reference, and
    the ``chimera`` references of dev.jsonl.

A reference is *flagged* when its check status is ``error``. Reported: the
detection rate on fabricated references and the false-alarm rate on real ones,
per kind, and references per second.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from refman.config import Settings
from refman.parsing import parse_references
from refman.services.check import CheckReport, ResolverLookup, Subject, check_subjects
from refman.services.resolve import Resolver

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEV = SHARED / "data" / "matching" / "dev.jsonl"
INDEX = SHARED / "data" / "matching" / "index-dev.jsonl"
SIM = SHARED / "crossref-sim"
SYLLABLES = ("ka", "lo", "ver", "min", "tas", "qu", "ren", "dol", "fi", "zak", "bru", "ol")


@dataclass(frozen=True)
class Case:
    """One labelled reference."""

    text: str
    kind: str
    fabricated: bool


def flat(text: str) -> str:
    """A reference on one line (hyphenation at line ends joined), as the parser sees it."""
    return re.sub(r"\s*\n\s*", " ", re.sub(r"(\w)-\n(\w)", r"\1\2", text)).strip()


def with_doi(text: str, doi: str) -> str:
    return f"{text} doi: {doi}"


def invented_name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()


def shift_year(text: str, record: dict[str, Any], rng: random.Random) -> str | None:
    parts = (record.get("issued") or {}).get("date-parts") or [[None]]
    year = str(parts[0][0])
    if not year.isdigit() or not re.search(rf"(?<!\d){year}(?!\d)", text):
        return None
    new = str(int(year) + rng.choice((-3, -2, -1, 1, 2, 3)))
    return re.sub(rf"(?<!\d){year}(?!\d)", new, text)


def shift_volume(text: str, record: dict[str, Any], rng: random.Random) -> str | None:
    volume = str(record.get("volume") or "")
    pattern = rf"(?<![\d.]){re.escape(volume)}(?=\s*[(:,;])"
    if not volume.isdigit() or not re.search(pattern, text):
        return None
    new = str(max(1, int(volume) + rng.choice((-5, -2, -1, 1, 2, 5))))
    return re.sub(pattern, new, text, count=1)


def invent_author(text: str, record: dict[str, Any], rng: random.Random) -> str | None:
    authors = record.get("author") or []
    family = authors[0].get("family", "") if authors else ""
    if len(family) < 3 or family.lower() not in text.lower():
        return None
    return re.sub(re.escape(family), invented_name(rng), text, count=1, flags=re.IGNORECASE)


def swap_title(text: str, record: dict[str, Any], other: dict[str, Any]) -> str | None:
    title = str((record.get("title") or [""])[0])
    theirs = str((other.get("title") or [""])[0])
    start = text.lower().find(title.lower())
    if len(title) < 20 or not theirs or start < 0:
        return None
    return text[:start] + theirs + text[start + len(title) :]


def build_cases(n: int, seed: int) -> list[Case]:
    """The labelled set: ``n`` real references (with and without DOI) and their fakes."""
    rng = random.Random(seed)
    index = {}
    with INDEX.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            index[record["DOI"].lower()] = record
    dev = [json.loads(line) for line in DEV.open(encoding="utf-8")]
    real = [r for r in dev if r["variant"] in ("plain", "translated") and r["doi"].lower() in index]
    rng.shuffle(real)
    chosen = real[:n]
    cases: list[Case] = []
    for row in chosen:
        text, doi = flat(row["reference"]), row["doi"]
        cases.append(Case(with_doi(text, doi), f"real_{row['variant']}_doi", False))
        cases.append(Case(text, f"real_{row['variant']}", False))
    plain = [r for r in chosen if r["variant"] == "plain"]
    for position, row in enumerate(plain):
        cases.extend(_fakes(row, plain[(position + 1) % len(plain)], index, rng))
    chimeras = [r for r in dev if r["variant"] == "chimera"]
    cases.extend(Case(flat(r["reference"]), "chimera_dev", True) for r in chimeras[:n])
    return cases


def _fakes(
    row: dict[str, Any], other_row: dict[str, Any], index: dict[str, Any], rng: random.Random
) -> Iterator[Case]:
    text, doi = flat(row["reference"]), row["doi"]
    record, other = index[doi.lower()], index[other_row["doi"].lower()]
    mutations: dict[str, Callable[[], str | None]] = {
        "year_shifted": lambda: shift_year(text, record, rng),
        "volume_shifted": lambda: shift_volume(text, record, rng),
        "invented_author": lambda: invent_author(text, record, rng),
        "title_of_another": lambda: swap_title(text, record, other),
    }
    for kind, mutate in mutations.items():
        fake = mutate()
        if fake is not None and fake != text:
            yield Case(with_doi(fake, doi), f"{kind}_doi", True)
            yield Case(fake, kind, True)
    invented = f"10.{rng.randint(1000, 9999)}/{invented_name(rng).lower()}.{rng.randint(1, 999)}"
    yield Case(with_doi(text, invented), "invented_doi", True)
    yield Case(with_doi(text, other_row["doi"]), "doi_of_another", True)


@contextmanager
def simulator(args: argparse.Namespace) -> Iterator[str]:
    """The simulator's URL: the given one, or a fresh server on a free port."""
    if args.url:
        yield args.url
        return
    with tempfile.TemporaryDirectory() as tmp:
        database, port_file = Path(tmp) / "index.sqlite", Path(tmp) / "port"
        subprocess.run(
            [
                sys.executable,
                str(SIM / "build_index.py"),
                "--input",
                str(INDEX),
                "--output",
                str(database),
            ],
            check=True,
            capture_output=True,
        )
        server = subprocess.Popen(
            [
                sys.executable,
                str(SIM / "server.py"),
                "--index",
                str(database),
                "--port",
                "0",
                "--port-file",
                str(port_file),
                "--latency-ms",
                str(args.latency_ms),
                "--rate",
                str(args.rate),
                "--max-concurrent",
                str(args.max_concurrent),
            ],
        )
        try:
            while not port_file.exists():
                if server.poll() is not None:
                    raise SystemExit("the simulator did not start")
                time.sleep(0.05)
            yield f"http://127.0.0.1:{port_file.read_text().strip()}"
        finally:
            server.terminate()
            server.wait()


def run(
    cases: list[Case], url: str, cache: Path, rate: float
) -> tuple[list[str], float, CheckReport]:
    """Check every case through the real resolver; the status of each, and the seconds taken."""
    settings = Settings(
        crossref_url=url, mailto="bench@example.org", cache_dir=str(cache), rate_limit=rate
    )
    parsed = parse_references([c.text for c in cases])
    subjects = [
        Subject(i + 1, {k: v for k, v in item.items() if not k.startswith("_")}, reference=c.text)
        for i, (c, item) in enumerate(zip(cases, parsed, strict=True))
    ]
    started = time.perf_counter()
    with Resolver(settings) as resolver:
        report = check_subjects(
            subjects, ResolverLookup(resolver), find_duplicate=lambda item, seen: None
        )
    elapsed = time.perf_counter() - started
    return [s.status for s in report.subjects], elapsed, report


def summarise(cases: list[Case], statuses: list[str]) -> None:
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    for case, status in zip(cases, statuses, strict=True):
        by_kind[case.kind][status] += 1
    print(f"{'kind':<24} {'n':>5} {'error':>6} {'warn':>5} {'ok':>5}  flagged")
    for kind in sorted(by_kind):
        counts = by_kind[kind]
        total = sum(counts.values())
        print(
            f"{kind:<24} {total:>5} {counts['error']:>6} {counts['warning']:>5} {counts['ok']:>5}"
            f"  {counts['error'] / total:7.1%}"
        )
    for label, fabricated in (("fabricated detected", True), ("real false alarms", False)):
        group = [s for c, s in zip(cases, statuses, strict=True) if c.fabricated is fabricated]
        flagged = sum(s == "error" for s in group)
        print(f"{label}: {flagged}/{len(group)} = {flagged / len(group):.2%}")
    with_doi = [
        s
        for c, s in zip(cases, statuses, strict=True)
        if not c.fabricated and c.kind.endswith("_doi")
    ]
    print(f"real with DOI false alarms: {sum(s == 'error' for s in with_doi)}/{len(with_doi)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="real references to sample")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--url", help="a running simulator (default: start one)")
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--rate", type=int, default=1000)
    parser.add_argument("--max-concurrent", type=int, default=20)
    parser.add_argument(
        "--client-rate", type=float, default=0.0, help="refman's requests/s (0: Crossref's limit)"
    )
    parser.add_argument("--show", help="print the findings of cases of this kind")
    args = parser.parse_args()
    cases = build_cases(args.n, args.seed)
    with simulator(args) as url, tempfile.TemporaryDirectory() as cache:
        statuses, elapsed, report = run(cases, url, Path(cache), args.client_rate)
    summarise(cases, statuses)
    print(f"{len(cases)} references in {elapsed:.1f} s = {len(cases) / elapsed:.1f} references/s")
    if args.show:
        for case, subject in zip(cases, report.subjects, strict=True):
            wrong = (subject.status == "error") != case.fabricated
            if case.kind in args.show.split(",") and wrong:
                print("\n" + case.text)
                for finding in subject.findings:
                    print(f"   {finding.severity}: {finding.message}")


if __name__ == "__main__":
    main()
