"""Is this reference already in the library? Identifiers first, then the work itself.

Two records are the same work when they share a DOI (case-insensitive), an arXiv
id (version ignored), a PMID, or a book ISBN (ISBN-10 and -13 compared as one);
failing identifiers, when normalised title, first author's family name and year
agree. Normalising drops case, accents, punctuation and a subtitle after ``:``,
so ``Magnesium in Prevention and Therapy`` matches ``Magnesium in prevention &
therapy: a review``.

A preprint and its published version are the same work but not duplicates: the
user wants both linked, not one dropped. :func:`find_related` finds that pair.

Pure: no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from anyascii import anyascii

from refman.model import CslItem, family_name, first_author, issued_year, text_field

PREPRINT_DOI_PREFIXES = ("10.48550/", "10.1101/", "10.20944/", "10.21203/", "10.31219/")
PREPRINT_SERVERS = ("arxiv", "biorxiv", "medrxiv", "ssrn", "preprints", "research square")
_SHARED_ISBN_TYPES = frozenset({"chapter", "paper-conference", "entry-encyclopedia"})
_MIN_TITLE_WORDS = 3


_COMBINING = re.compile(r"[\u0300-\u036f]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def fold_ascii(text: str) -> str:
    """Lower-case ASCII for matching: accents dropped, other letters transliterated.

    Same result as ``anyascii(text).lower()`` for Latin text, but only what is
    left after stripping accents goes through ``anyascii`` (which works character
    by character), so indexing or searching 10,000 entries stays fast.
    """
    if text.isascii():
        return text.lower()
    stripped = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return _NON_ASCII.sub(lambda m: anyascii(m.group(0)), stripped).lower()


def normalize_title(title: str) -> str:
    """Lower-case ASCII words of a title, punctuation and ``&``/``and`` differences gone."""
    text = fold_ascii(title).replace("&", " and ")
    return " ".join(re.findall(r"[a-z0-9]+", text))


def main_title(title: str) -> str:
    """The normalised title without its subtitle (text after ``:``, `` - `` or ``?``)."""
    head = re.split(r":|\s[-–—]\s|\?|\.\s", title, maxsplit=1)[0]
    return normalize_title(head)


def normalize_isbn(isbn: str) -> str:
    """An ISBN as 13 digits (ISBN-10 converted), so both forms compare equal."""
    digits = re.sub(r"[^0-9Xx]", "", isbn).upper()
    if len(digits) == 10:
        core = "978" + digits[:9]
        check = (10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(core)) % 10) % 10
        return core + str(check)
    return digits


def _arxiv(item: CslItem) -> str:
    raw = text_field(item, "arXiv")
    doi = text_field(item, "DOI").lower()
    if not raw and doi.startswith("10.48550/arxiv."):
        raw = doi.removeprefix("10.48550/arxiv.")
    return re.sub(r"(?i)^arxiv:|v\d+$", "", raw.strip()).lower()


def identifiers(item: CslItem) -> list[tuple[str, str]]:
    """The identifiers that make two records the same work, as (kind, normalised value)."""
    ids = []
    doi = text_field(item, "DOI").strip().lower()
    if doi:
        ids.append(("doi", doi))
    arxiv = _arxiv(item)
    if arxiv:
        ids.append(("arxiv", arxiv))
    pmid = re.sub(r"\D", "", text_field(item, "PMID"))
    if pmid:
        ids.append(("pmid", pmid))
    if item.get("type") not in _SHARED_ISBN_TYPES:
        isbn = normalize_isbn(text_field(item, "ISBN").split(",")[0].split(" ")[0])
        if len(isbn) == 13:
            ids.append(("isbn", isbn))
    return ids


def work_signature(item: CslItem) -> tuple[str, str] | None:
    """Main title + first author's family name: the work, regardless of year."""
    title = main_title(text_field(item, "title"))
    if len(title.split()) < _MIN_TITLE_WORDS:
        title = normalize_title(text_field(item, "title"))
    author = first_author(item)
    if not title or author is None:
        return None
    family = normalize_title(family_name(author)).replace(" ", "")
    return title, family


def is_preprint(item: CslItem) -> bool:
    """A preprint: arXiv/bioRxiv-style DOI or container, or CSL ``article`` (posted content)."""
    doi = text_field(item, "DOI").lower()
    container = text_field(item, "container-title").lower()
    publisher = text_field(item, "publisher").lower()
    return (
        item.get("type") == "article"
        or doi.startswith(PREPRINT_DOI_PREFIXES)
        or (bool(text_field(item, "arXiv")) and not doi)
        or any(server in f"{container} {publisher}" for server in PREPRINT_SERVERS)
    )


@dataclass
class DuplicateIndex:
    """Lookup tables over a library, so importing many references stays linear."""

    by_id: dict[tuple[str, str], CslItem] = field(default_factory=dict)
    by_work: dict[tuple[str, str], list[CslItem]] = field(default_factory=dict)

    @classmethod
    def of(cls, items: Iterable[CslItem]) -> DuplicateIndex:
        """An index over ``items`` (earlier items win when two share an identifier)."""
        index = cls()
        for item in items:
            index.add(item)
        return index

    def add(self, item: CslItem) -> None:
        """Make ``item`` findable (after it was stored)."""
        for ident in identifiers(item):
            self.by_id.setdefault(ident, item)
        signature = work_signature(item)
        if signature is not None:
            self.by_work.setdefault(signature, []).append(item)

    def duplicate(self, item: CslItem) -> tuple[CslItem, str] | None:
        """The stored record of the same work and why (``doi``, ``title+author+year``...)."""
        for ident in identifiers(item):
            if ident in self.by_id:
                return self.by_id[ident], ident[0]
        for other in self._same_work(item):
            if issued_year(other) == issued_year(item) and is_preprint(other) == is_preprint(item):
                if _conflicting_ids(item, other):
                    continue
                return other, "title+author+year"
        return None

    def related(self, item: CslItem) -> CslItem | None:
        """The stored preprint of a published work, or the published version of a preprint."""
        if self.duplicate(item) is not None:
            return None
        year = issued_year(item)
        for other in self._same_work(item):
            other_year = issued_year(other)
            close = year is None or other_year is None or abs(year - other_year) <= 3
            if close and is_preprint(other) != is_preprint(item):
                return other
        return None

    def _same_work(self, item: CslItem) -> list[CslItem]:
        signature = work_signature(item)
        return self.by_work.get(signature, []) if signature is not None else []


def _conflicting_ids(a: CslItem, b: CslItem) -> bool:
    """Both records carry a DOI and the DOIs differ: two works with one title (errata...)."""
    doi_a, doi_b = text_field(a, "DOI").lower(), text_field(b, "DOI").lower()
    return bool(doi_a and doi_b and doi_a != doi_b)


def find_duplicate(item: CslItem, existing: Sequence[CslItem]) -> CslItem | None:
    """The entry of ``existing`` that is the same work as ``item``, or None."""
    found = DuplicateIndex.of(existing).duplicate(item)
    return found[0] if found else None


def find_related(item: CslItem, existing: Sequence[CslItem]) -> CslItem | None:
    """The preprint (or published version) of ``item`` in ``existing``, or None."""
    return DuplicateIndex.of(existing).related(item)
