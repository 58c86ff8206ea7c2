"""Read anystyle-format labelled references and split them for training and testing.

The files are ``<dataset><sequence><author>..</author><title>..</title>...``;
the reference string is the children's text joined by single spaces. Only
the trainer and the accuracy benchmark read them; parsing never does.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from refman.errors import InputError
from refman.parsing.tokens import tokenize

LABEL_MAP: dict[str, str] = {
    "container-title": "container",
    "journal": "journal",
    "director": "author",
    "producer": "author",
    "source": "note",
    "medium": "note",
    "dataset": "note",
}
"""anystyle labels folded into ours; the rest keep their name (``author``, ``date``...)."""

_YEAR_FIRST = re.compile(r"((?:1[6-9]|20)\d\d[a-z]?;)\s*(?=\S)")

HELD_OUT_BUCKETS = 10
"""One reference in this many (by a hash of its text) is held out for the benchmark."""
_HELD_OUT_BUCKET = 0
DEV_BUCKETS = range(1, HELD_OUT_BUCKETS)
"""The other tenths, inside the training portion: each can be a dev split (for error
analysis and for choosing features and parameters, by cross-validation over a few of
them), so that the held-out split is only ever measured."""


@dataclass(frozen=True)
class Sequence:
    """One labelled reference: its fields in order, as ``(label, text)`` pairs."""

    fields: tuple[tuple[str, str], ...]

    @property
    def text(self) -> str:
        """The reference string, as anystyle defines it: fields joined by spaces."""
        return " ".join(text for _, text in self.fields)

    def tokens_and_labels(self) -> tuple[list[str], list[str]]:
        """Every token of the reference with the label of the field it belongs to."""
        tokens: list[str] = []
        labels: list[str] = []
        for label, text in self.fields:
            words = tokenize(text)
            tokens.extend(words)
            labels.extend([label] * len(words))
        return tokens, labels

    def first(self, label: str) -> str | None:
        """The text of the first field with this label, if any."""
        return next((text for name, text in self.fields if name == label), None)


def read_sequences(path: Path) -> list[Sequence]:
    """All labelled references in one anystyle XML file."""
    try:
        root = ElementTree.parse(path).getroot()
    except (OSError, ElementTree.ParseError) as exc:
        raise InputError(f"cannot read training data {path}: {exc}; pass --data DIR") from exc
    sequences = []
    for node in root.iter("sequence"):
        fields = tuple(
            (LABEL_MAP.get(child.tag, child.tag), " ".join((child.text or "").split()))
            for child in node
        )
        fields = _split_vancouver_dates(tuple((lab, text) for lab, text in fields if text))
        if fields:
            sequences.append(Sequence(fields))
    return sequences


def _split_vancouver_dates(fields: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """``<volume>2013;124:</volume>`` -> ``<date>2013;</date><volume>124:</volume>``.

    The data labels Vancouver's ``year;volume`` both ways; one consistent way
    teaches the CRF that the year is a date.
    """
    repaired: list[tuple[str, str]] = []
    for label, text in fields:
        match = _YEAR_FIRST.match(text)
        if label == "volume" and match:
            repaired.extend([("date", match.group(1)), ("volume", text[match.end() :])])
        else:
            repaired.append((label, text))
    return tuple(repaired)


def _bucket(sequence: Sequence) -> int:
    """A fixed hash of the text, so reruns agree and duplicated references land on the
    same side."""
    return zlib.crc32(sequence.text.encode("utf-8")) % HELD_OUT_BUCKETS


def is_held_out(sequence: Sequence) -> bool:
    """Whether a reference belongs to the benchmark split."""
    return _bucket(sequence) == _HELD_OUT_BUCKET


def split(
    sequences: Iterable[Sequence], *, dev: int | None = None
) -> tuple[list[Sequence], list[Sequence]]:
    """``(training, held_out)``; with ``dev`` (one of ``DEV_BUCKETS``), ``(training without
    that dev split, dev split)``: the held-out split is left out of both."""
    wanted = _HELD_OUT_BUCKET if dev is None else dev
    train: list[Sequence] = []
    test: list[Sequence] = []
    for sequence in sequences:
        bucket = _bucket(sequence)
        if bucket == wanted:
            test.append(sequence)
        elif bucket != _HELD_OUT_BUCKET:
            train.append(sequence)
    return train, test


def data_files(directory: Path) -> Iterator[Path]:
    """The XML files of a data directory, in name order; InputError when there are none."""
    files = sorted(directory.glob("*.xml"))
    if not files:
        raise InputError(f"no *.xml training files in {directory}; pass --data DIR")
    yield from files
