"""Field accuracy and speed of ``refman.parsing`` on the held-out split of the anystyle data.

Run from the project root::

    python benchmarks/parse_accuracy.py [--data ../shared/data/parsing] [--errors FIELD]
    python benchmarks/parse_accuracy.py --dev 1 --model /tmp/dev1.crfsuite  # choices
    python benchmarks/parse_accuracy.py --dev 4 --model /tmp/dev4.crfsuite --ablate

``--dev N`` measures dev split N (another tenth, inside the training portion) with a
model trained by ``python -m refman.parsing.train --dev N --output /tmp/devN.crfsuite``:
use it (over a few N) for error analysis and choosing features, so that the held-out
split is only reported. ``--ablate`` prints what each label repair is worth on the
split, per field: (right - wrong) with it minus (right - wrong) without it, so +2 is a
reference it fixes and +1 a value it stops inventing; the CRF's labels computed once.

Gold values come from the labelled fields of the held-out references (one in
ten, by a fixed hash: ``refman.parsing.dataset.is_held_out``), read with the
same normalisers refman applies to its own output, so the numbers measure
segmentation. Three rates per field: "strict" counts a reference
when gold or prediction has the field (a value invented where the gold has
none is an error); "on gold" is the share of references whose gold has the
field that got it right; "lenient" also counts references where both lack it
as correct.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from anyascii import anyascii
from rapidfuzz import fuzz

from refman.model import CslItem, family_name, first_author, first_page, issued_year
from refman.parsing import (
    cleaners,
    crf,
    dataset,
    identifiers,
    label_reference,
    names,
    parse_references,
    record,
    repairs,
    split_references,
    values,
)
from refman.parsing.train import DEFAULT_DATA

FIELDS = ("author", "title", "container", "year", "volume", "issue", "page", "DOI", "URL")


def _norm(value: str | None) -> str:
    return re.sub(r"[^a-z0-9]", "", anyascii(value or "").lower())


def gold_fields(seq: dataset.Sequence) -> dict[str, str]:
    """The fields the labelled reference says it has."""
    gold: dict[str, str] = {}
    author = seq.first("author")
    people = names.parse_names(author) if author else []
    if people:
        gold["author"] = family_name(people[0])
    if title := seq.first("title"):
        gold["title"] = cleaners.clean_title(title)
    container = seq.first("journal") or seq.first("container")
    if container:
        gold["container"] = cleaners.clean_container(container)
    date = values.parse_date(seq.first("date") or "")
    if date:
        gold["year"] = str(date["date-parts"][0][0])
    volume, issue = values.parse_volume(seq.first("volume") or "")
    gold.update({k: v for k, v in (("volume", volume), ("issue", issue)) if v})
    pages = values.parse_pages(seq.first("pages") or "")
    if pages:
        gold["page"] = pages.split("-")[0]
    url_text = seq.first("url") or ""
    url = next(iter(identifiers.find_urls(url_text)), identifiers.strip_trailing(url_text))
    doi = identifiers.find_doi((seq.first("doi") or "") + " " + url)
    if doi:
        gold["DOI"] = doi
    if url and not identifiers.is_doi_url(url):
        gold["URL"] = url
    return gold


def predicted_fields(item: CslItem) -> dict[str, str]:
    """The same fields from refman's CSL output."""
    found: dict[str, str] = {}
    person = first_author(item) if item.get("author") else None
    if person:
        found["author"] = family_name(person)
    for key, csl in (
        ("title", "title"),
        ("container", "container-title"),
        ("volume", "volume"),
        ("issue", "issue"),
        ("DOI", "DOI"),
        ("URL", "URL"),
    ):
        if item.get(csl):
            found[key] = str(item[csl])
    year = issued_year(item)
    if year:
        found["year"] = str(year)
    page = first_page({"page": item["page"]}) if item.get("page") else None
    if page:  # the ``page`` field only, as the acceptance reads it (not a report number)
        found["page"] = page
    return found


def _same(field: str, gold: str, guess: str) -> bool:
    if field == "title":
        return fuzz.ratio(_norm(gold), _norm(guess)) >= 90
    if field in {"DOI", "URL"}:
        return gold.lower() == guess.lower()
    return _norm(gold) == _norm(guess)


@dataclass(frozen=True)
class FieldScore:
    """Counts for one field over the held-out references."""

    correct: int  # gold and prediction present and equal
    with_gold: int  # references whose gold has the field
    either: int  # references where gold or prediction has the field
    total: int  # all references

    def rates(self) -> tuple[float, float, float]:
        """(strict, recall on gold, lenient) accuracy."""
        strict = self.correct / self.either if self.either else 1.0
        recall = self.correct / self.with_gold if self.with_gold else 1.0
        lenient = (self.correct + self.total - self.either) / self.total
        return strict, recall, lenient


def score(golds: list[dict[str, str]], guesses: list[dict[str, str]]) -> dict[str, FieldScore]:
    """Per field counts; see ``FieldScore``."""
    table: dict[str, FieldScore] = {}
    for field in FIELDS:
        pairs = list(zip(golds, guesses, strict=True))
        correct = sum(
            field in g and field in p and _same(field, g[field], p[field]) for g, p in pairs
        )
        with_gold = sum(field in g for g, _ in pairs)
        either = sum(field in g or field in p for g, p in pairs)
        table[field] = FieldScore(correct, with_gold, either, len(pairs))
    return table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--errors", choices=FIELDS, help="print the wrong cases of one field")
    parser.add_argument(
        "--speed-file",
        type=Path,
        default=DEFAULT_DATA.parent / "matching" / "dev.jsonl",
        help="jsonl of unlabelled references, timed as a larger batch",
    )
    parser.add_argument("--dev", type=int, choices=dataset.DEV_BUCKETS, metavar="N")
    parser.add_argument("--model", type=Path, help="model file (default: the shipped one)")
    parser.add_argument("--ablate", action="store_true", help="what each label repair is worth")
    args = parser.parse_args()
    if args.model:
        crf.use_model(args.model)
    sequences = [s for p in dataset.data_files(args.data) for s in dataset.read_sequences(p)]
    _, held_out = dataset.split(sequences, dev=args.dev)
    name = "held-out" if args.dev is None else f"dev {args.dev}"
    texts = [seq.text for seq in held_out]
    parse_references(["Smith J. Loading the model. Nature. 2000;1:2-3."])  # start-up
    items = timed(f"{name} split", texts)
    golds = [gold_fields(seq) for seq in held_out]
    guesses = [predicted_fields(item) for item in items]
    table = score(golds, guesses)
    print(f"{name} references: {len(texts)} of {len(sequences)}")
    print(f"{'field':<10} {'strict':>7} {'on gold':>8} {'lenient':>8} {'n gold':>7}")
    rows = {field: counts.rates() for field, counts in table.items()}
    for field, (strict, recall, lenient) in rows.items():
        n_gold = table[field].with_gold
        print(f"{field:<10} {strict:7.3f} {recall:8.3f} {lenient:8.3f} {n_gold:7d}")
    means = [sum(rates[i] for rates in rows.values()) / len(rows) for i in range(3)]
    print(f"{'mean':<10} {means[0]:7.3f} {means[1]:8.3f} {means[2]:8.3f}")
    if args.speed_file.is_file():
        lines = [json.loads(line)["reference"] for line in args.speed_file.open(encoding="utf-8")]
        timed(f"{args.speed_file.name} (PDF-extracted, finder included)", lines, split=True)
    if args.errors:
        _show_errors(args.errors, texts, golds, guesses, _same)
    if args.ablate:
        _ablate(texts, golds)
    return 0


def _ablate(texts: list[str], golds: list[dict[str, str]]) -> None:
    """Each repair's worth per field: (right - wrong) with it minus without it."""
    labelled = [label_reference(text) for text in texts]

    def net(chain: tuple[tuple[object, object], ...]) -> dict[str, int]:
        with mock.patch.object(repairs, "REPAIRS", chain):
            items = (
                record.build_item(clean, words[: len(tags)], tags)
                for clean, words, tags in labelled
            )
            table = score(golds, [predicted_fields(item) for item in items])
        return {field: counts.correct * 2 - counts.either for field, counts in table.items()}

    full = net(repairs.REPAIRS)
    print("\nrepair                                   worth per field (+2 = one reference fixed)")
    for entry in repairs.REPAIRS:
        without = net(tuple(other for other in repairs.REPAIRS if other is not entry))
        worth = {f: full[f] - without[f] for f in FIELDS if full[f] != without[f]}
        print(f"{entry[0].__name__:<40} {worth or '-'}")


def timed(name: str, texts: list[str], *, split: bool = False) -> list[CslItem]:
    """Parse a batch and print references per second (wall clock and CPU time), model
    already loaded; each batch is parsed once, so the per-token feature cache is cold."""
    wall, cpu = time.perf_counter(), time.process_time()
    if split:
        texts = split_references("\n\n".join(texts))
    items = parse_references(texts)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"speed on {name}: {len(texts) / wall:.0f} references/s wall, "
        f"{len(texts) / cpu:.0f} references/s CPU ({len(texts)} references, {wall:.2f} s)"
    )
    return items


def _show_errors(
    field: str,
    texts: list[str],
    golds: list[dict[str, str]],
    guesses: list[dict[str, str]],
    same: Callable[[str, str, str], bool],
) -> None:
    for text, gold, guess in zip(texts, golds, guesses, strict=True):
        if field not in gold and field not in guess:
            continue
        if field in gold and field in guess and same(field, gold[field], guess[field]):
            continue
        print(f"\n{text}\n  gold={gold.get(field)!r}\n  got ={guess.get(field)!r}")


if __name__ == "__main__":
    sys.exit(main())
