"""Library use cases: add, import, list, search, show, remove, edit, load_items.

Each function opens the library, does one job and returns what happened; the
CLI prints it. The resolver is passed in as a factory (``resolver_factory``) so
tests can run every path with a fake one and no server. Interaction (which
candidate to keep) is a ``chooser`` callback: the CLI prompts in a terminal,
``None`` means follow the thresholds and say so.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from refman import bibtex
from refman.config import Settings
from refman.dedup import DuplicateIndex, fold_ascii
from refman.errors import (
    InputError,
    ServiceUnavailableError,
    UsageError,
)
from refman.keys import make_key
from refman.library import Document, Library, Problem, Stored
from refman.model import (
    ET_AL,
    CslItem,
    family_name,
    first_author,
    issued_year,
    listed_names,
    text_field,
)

Source = str
"""Where a stored record came from: ``crossref``, another DOI agency (``datacite``,
``medra``, ...), ``arxiv``, ``openlibrary``, or ``parsed`` / ``user`` / ``imported``."""
ListFormat = Literal["table", "keys", "json", "bibtex"]
SortKey = Literal["key", "year", "author", "added"]
ImportFormat = Literal["auto", "bibtex", "ris", "csl-json", "text"]


# --- the resolver seam ---------------------------------------------------------------------


class CandidateLike(Protocol):
    """What a resolver offers for an ambiguous reference."""

    @property
    def doi(self) -> str | None: ...
    @property
    def confidence(self) -> float: ...
    @property
    def title(self) -> str: ...
    @property
    def item(self) -> CslItem: ...
    @property
    def source(self) -> str: ...


class ResolutionLike(Protocol):
    """One reference looked up (``refman.services.resolve.Resolution``)."""

    @property
    def input(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def doi(self) -> str | None: ...
    @property
    def confidence(self) -> float: ...
    @property
    def item(self) -> CslItem: ...
    @property
    def parsed(self) -> CslItem: ...
    @property
    def message(self) -> str | None: ...
    @property
    def candidates(self) -> Sequence[CandidateLike]: ...
    @property
    def source(self) -> str: ...


class ResolverLike(Protocol):
    """The part of ``refman.services.resolve.Resolver`` the library uses."""

    @property
    def unreachable(self) -> bool: ...

    def close(self) -> None: ...

    def resolve_texts(self, texts: Sequence[str]) -> Sequence[ResolutionLike]: ...

    def resolve_items(self, items: Sequence[CslItem]) -> Sequence[ResolutionLike]: ...


ResolverFactory = Callable[..., ResolverLike]
Progress = Callable[[int, int], None]


def default_resolver(settings: Settings, **options: Any) -> ResolverLike:
    """The real resolver (Crossref and friends); imported late, it is heavy."""
    from refman.services.resolve import Resolver

    resolver: ResolverLike = Resolver(settings, **options)
    return resolver


@dataclass(frozen=True)
class Choice:
    """What the user picked for an uncertain match."""

    action: Literal["candidate", "parsed", "skip"]
    candidate: int = 0


Chooser = Callable[[ResolutionLike], Choice]


# --- opening the library -------------------------------------------------------------------


def open_library(settings: Settings) -> Library:
    """The library of the settings, its parsed-entry index kept in the cache dir."""
    return Library(settings.library_path, index_dir=settings.cache_path / "library-index")


def read_library(settings: Settings) -> Document:
    """The library for a read command; a missing file is an error with a hint."""
    return open_library(settings).read()


def load_items(settings: Settings, keys: Sequence[str] | None = None) -> list[CslItem]:
    """Entries as CSL items (``id`` = key) in file order, or those of ``keys`` in that order."""
    document = read_library(settings)
    if keys is None:
        return [entry.item for entry in document.entries]
    return [document.find(key).item for key in keys]


# --- add -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AddOptions:
    """The switches of ``refman add`` / ``refman import``."""

    key: str | None = None
    dry_run: bool = False
    min_confidence: float | None = None
    merge: bool = False


@dataclass
class Outcome:
    """What happened to one reference."""

    input: str
    action: Literal["added", "duplicate", "merged", "skipped", "failed"]
    note: str
    key: str | None = None
    item: CslItem | None = None
    resolution: ResolutionLike | None = None
    duplicate_of: str | None = None
    merged_fields: list[str] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        """True when the stored record was confirmed by a lookup service."""
        return bool(self.item and self.item.get("_refman", {}).get("verified"))


@dataclass
class AddReport:
    """Everything ``add`` or ``import`` did, for the summary."""

    outcomes: list[Outcome] = field(default_factory=list)
    unreachable: bool = False
    dry_run: bool = False
    problems: list[Problem] = field(default_factory=list)

    def count(self, action: str) -> int:
        """How many references ended with ``action``."""
        return sum(1 for o in self.outcomes if o.action == action)

    @property
    def unverified(self) -> int:
        """Stored references no service confirmed."""
        return sum(1 for o in self.outcomes if o.action == "added" and not o.verified)

    def summary(self) -> str:
        """One line: added, duplicates skipped, merged, unverified, errors."""
        verb = "would add" if self.dry_run else "added"
        return (
            f"{verb} {self.count('added')}, duplicates skipped {self.count('duplicate')}, "
            f"merged {self.count('merged')}, unverified {self.unverified}, "
            f"skipped {self.count('skipped')}, errors {self.count('failed')}"
        )


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def clean_item(item: CslItem) -> CslItem:
    """A copy without transient keys (``_warnings``, ``id``) and empty values."""
    return {
        k: v
        for k, v in item.items()
        if k not in {"_warnings", "id", "_refman"} and v not in (None, "", [])
    }


def with_provenance(
    item: CslItem, source: Source, *, verified: bool, confidence: float | None, **extra: str
) -> CslItem:
    """``item`` with ``_refman`` saying where it came from, when, and how sure we are."""
    provenance: dict[str, Any] = {"source": source, "verified": verified, "added": _now()}
    if confidence is not None:
        provenance["confidence"] = round(confidence, 3)
    provenance.update({k: v for k, v in extra.items() if v})
    return {**clean_item(item), "_refman": provenance}


def decide(
    resolution: ResolutionLike,
    min_confidence: float,
    chooser: Chooser | None,
    *,
    unreachable: bool = False,
) -> tuple[CslItem | None, str]:
    """The record to store for one resolution and a sentence saying why.

    When the service was unreachable the reason is said once by the caller, so
    each reference only says what was stored.
    """
    confidence = resolution.confidence
    if resolution.status == "matched" and confidence >= min_confidence:
        item = with_provenance(
            resolution.item, resolution.source, verified=True, confidence=confidence
        )
        return item, f"matched {resolution.doi} (confidence {confidence:.2f})"
    uncertain = resolution.status == "ambiguous" or (
        resolution.status == "matched" and confidence < min_confidence
    )
    if uncertain and chooser is not None:
        return _chosen(resolution, chooser(resolution))
    parsed = with_provenance(resolution.parsed, "parsed", verified=False, confidence=confidence)
    if uncertain:
        best = resolution.doi or (resolution.candidates[0].doi if resolution.candidates else None)
        return parsed, (
            f"best match {best} has confidence {confidence:.2f} < {min_confidence:.2f}: "
            "kept the parsed fields, marked unverified"
        )
    if resolution.status == "unmatched":
        reason = resolution.message or "no match found"
    else:
        reason = "not looked up" if unreachable else (resolution.message or "lookup failed")
    return parsed, f"{reason}: stored the parsed fields, marked unverified"


@dataclass(frozen=True)
class _Offer:
    """The resolver's best record offered as a candidate when it listed none."""

    doi: str | None
    confidence: float
    title: str
    item: CslItem
    source: str


def offered(resolution: ResolutionLike) -> list[CandidateLike]:
    """The records the user can pick from: the candidates, else the best match."""
    if resolution.candidates:
        return list(resolution.candidates)
    if resolution.status == "matched":
        item = resolution.item
        title = text_field(item, "title")
        return [_Offer(resolution.doi, resolution.confidence, title, item, resolution.source)]
    return []


def _chosen(resolution: ResolutionLike, choice: Choice) -> tuple[CslItem | None, str]:
    if choice.action == "skip":
        return None, "skipped at your request"
    if choice.action == "parsed":
        item = with_provenance(resolution.parsed, "user", verified=False, confidence=None)
        return item, "kept the parsed fields at your request, marked unverified"
    candidates = offered(resolution)
    if not 0 <= choice.candidate < len(candidates):
        raise UsageError(f"there is no candidate {choice.candidate + 1}")
    picked = candidates[choice.candidate]
    item = with_provenance(
        picked.item, picked.source, verified=True, confidence=picked.confidence, chosen="user"
    )
    return item, f"picked {picked.doi} (confidence {picked.confidence:.2f}) at your request"


def add_references(
    settings: Settings,
    texts: Sequence[str],
    options: AddOptions,
    *,
    resolver_factory: ResolverFactory | None = None,
    chooser: Chooser | None = None,
    progress: Progress | None = None,
) -> AddReport:
    """Resolve each text, decide what to store, and add the new ones to the library."""
    if options.key is not None and len(texts) != 1:
        raise UsageError("--key names one entry; give one reference with it")
    minimum = settings.min_confidence if options.min_confidence is None else options.min_confidence
    resolutions, unreachable = _resolve_texts(settings, texts, minimum, resolver_factory, progress)
    decided = [
        (resolution, *decide(resolution, minimum, chooser, unreachable=unreachable))
        for resolution in resolutions
    ]
    report = _store(settings, decided, options)
    report.unreachable = unreachable
    return report


def _resolve_texts(
    settings: Settings,
    texts: Sequence[str],
    minimum: float,
    resolver_factory: ResolverFactory | None,
    progress: Progress | None,
) -> tuple[Sequence[ResolutionLike], bool]:
    factory = resolver_factory or default_resolver
    try:
        with closing(factory(settings, min_confidence=minimum, progress=progress)) as resolver:
            resolutions = resolver.resolve_texts(texts)
            return resolutions, bool(resolver.unreachable)
    except ServiceUnavailableError as exc:
        from refman.parsing import parse_references

        parsed = parse_references(texts)
        message = f"not looked up: {exc}"
        pairs = zip(texts, parsed, strict=True)
        return [_Parsed(t, p, status="error", message=message) for t, p in pairs], True


def _store(
    settings: Settings,
    decided: Iterable[tuple[ResolutionLike | None, CslItem | None, str]],
    options: AddOptions,
) -> AddReport:
    """Dedup, key and append under the lock; in a dry run the file is not written."""
    report = AddReport(dry_run=options.dry_run)
    with open_library(settings).transaction() as document:
        report.problems = document.problems
        index = DuplicateIndex.of(entry.item for entry in document.entries)
        taken = set(document.keys)
        for resolution, item, note in decided:
            text = resolution.input if resolution is not None else ""
            if item is None:
                report.outcomes.append(Outcome(text, "skipped", note, resolution=resolution))
                continue
            outcome = _store_one(settings, document, index, taken, item, options)
            outcome.input, outcome.resolution = text, resolution
            outcome.note = f"{note}; {outcome.note}" if outcome.note else note
            report.outcomes.append(outcome)
        if options.dry_run:
            document.discard()
    return report


def _store_one(
    settings: Settings,
    document: Document,
    index: DuplicateIndex,
    taken: set[str],
    item: CslItem,
    options: AddOptions,
) -> Outcome:
    found = index.duplicate(item)
    if found is not None:
        existing, why = found
        key = str(existing.get("id"))
        if options.merge:
            filled = _merge_into(settings, document, existing, item)
            note = f"filled {', '.join(filled)}" if filled else "nothing to fill"
            return Outcome(
                "", "merged", note, key, existing, duplicate_of=key, merged_fields=filled
            )
        note = f"already in the library as {key} (same {why}); use --merge to fill missing fields"
        return Outcome("", "duplicate", note, key, item, duplicate_of=key)
    key = _new_key(item, taken, options.key, settings.key_pattern)
    item.pop("id", None)
    related = index.related(item)
    if related is not None:
        item["_refman"]["related"] = str(related.get("id"))
    item["id"] = key
    document.append(bibtex.csl_to_bibtex(item, key, ascii=settings.ascii))
    taken.add(key)
    index.add(item)
    note = f"linked to {related.get('id')} (preprint/published pair)" if related else ""
    return Outcome("", "added", note, key, item)


def _new_key(item: CslItem, taken: set[str], wanted: str | None, pattern: str) -> str:
    """``--key`` when given (must be free), else the imported key when free, else a new one."""
    if wanted is None:
        imported = str(item.get("id") or "")
        free = imported and imported.lower() not in {k.lower() for k in taken}
        return imported if free and _KEY.fullmatch(imported) else make_key(item, taken, pattern)
    if not _KEY.fullmatch(wanted):
        raise UsageError(f"--key {wanted!r} cannot be a BibTeX key; use letters, digits, -_:.")
    if wanted.lower() in {k.lower() for k in taken}:
        raise UsageError(f"key {wanted!r} is already in the library; choose another --key")
    return wanted


_KEY = re.compile(r"[^\s,{}()=#%\"'@]+")


def _merge_into(
    settings: Settings, document: Document, existing: CslItem, new: CslItem
) -> list[str]:
    """Fill fields the stored entry lacks from ``new``; the key and existing values stay."""
    source = str(new.get("_refman", {}).get("source", "user"))
    filled = [k for k, v in clean_item(new).items() if k not in existing and k != "type" and v]
    if not filled:
        return []
    merged = {**existing, **{k: new[k] for k in filled}}
    provenance = dict(merged.get("_refman") or {})
    fields = dict(provenance.get("fields") or {})
    fields.update(dict.fromkeys(filled, source))
    provenance["fields"] = fields
    provenance["merged"] = _now()
    merged["_refman"] = provenance
    key = str(existing["id"])
    document.replace(key, bibtex.csl_to_bibtex(merged, key, ascii=settings.ascii))
    existing.update(merged)
    return filled


# --- field-by-field comparison for the display -----------------------------------------------

COMPARED_FIELDS = ("author", "title", "container-title", "issued", "volume", "issue", "page", "DOI")


def display_value(item: CslItem, name: str) -> str:
    """A field as one line of text for the terminal."""
    if name in {"author", "editor"}:
        listed = item.get(name) or []
        people = listed_names(listed)
        cut_short = len(people) > 3 or ET_AL in listed
        return ", ".join(family_name(n) for n in people[:3]) + (" et al." if cut_short else "")
    if name == "issued":
        year = issued_year(item)
        return str(year) if year is not None else ""
    return text_field(item, name)


def field_diff(parsed: CslItem, matched: CslItem) -> list[tuple[str, str, str]]:
    """(field, parsed value, matched value) for the fields where the two differ."""
    rows = []
    for name in COMPARED_FIELDS:
        left, right = display_value(parsed, name), display_value(matched, name)
        if _fold(left) != _fold(right):
            rows.append((name, left, right))
    return rows


def _fold(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", fold_ascii(text)))


# --- import --------------------------------------------------------------------------------


def detect_format(path: Path, text: str) -> ImportFormat:
    """The format of an input file, by extension, else by its first characters."""
    suffix = path.suffix.lower()
    by_suffix: dict[str, ImportFormat] = {
        ".bib": "bibtex",
        ".ris": "ris",
        ".json": "csl-json",
        ".txt": "text",
        ".md": "text",
    }
    if suffix in by_suffix:
        return by_suffix[suffix]
    head = text.lstrip()[:20]
    if head.startswith("@"):
        return "bibtex"
    if re.match(r"TY {2}- ", head):
        return "ris"
    if head.startswith(("[", "{")):
        return "csl-json"
    return "text"


def read_input(path: Path) -> str:
    """An input file's text; ``InputError`` when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError(f"input file {path} does not exist; check the path") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path} as UTF-8 text: {exc}") from exc


def structured_items(fmt: ImportFormat, text: str) -> list[CslItem]:
    """The records of a BibTeX, RIS or CSL-JSON file as CSL items."""
    if fmt == "bibtex":
        return bibtex.loads(text)
    if fmt == "ris":
        from refman import ris

        return ris.loads(text)
    from refman import csljson

    return csljson.loads(text)


def import_files(
    settings: Settings,
    paths: Sequence[Path],
    fmt: ImportFormat,
    options: AddOptions,
    *,
    resolve: bool = True,
    resolver_factory: ResolverFactory | None = None,
    progress: Progress | None = None,
) -> AddReport:
    """Add every reference of the files; text files go through the reference finder."""
    minimum = settings.min_confidence if options.min_confidence is None else options.min_confidence
    decided: list[tuple[ResolutionLike | None, CslItem | None, str]] = []
    failures: list[Outcome] = []
    unreachable = False
    for path in paths:
        text = read_input(path)
        kind = detect_format(path, text) if fmt == "auto" else fmt
        if kind == "bibtex":
            failures.extend(
                Outcome(path.name, "failed", f"{path.name} {problem}")
                for problem in Document(text, quick=True).problems
            )
        if kind == "text":
            found, down = _import_text(settings, text, minimum, resolve, resolver_factory, progress)
        else:
            found, down = _import_structured(
                settings, structured_items(kind, text), path, minimum, resolve, resolver_factory
            )
        decided.extend(found)
        unreachable = unreachable or down
    report = _store(settings, decided, options)
    report.outcomes.extend(failures)
    report.unreachable = unreachable
    return report


@dataclass
class _Parsed:
    """A reference parsed locally, in the resolver's shape, when no lookup runs."""

    input: str
    parsed: CslItem
    status: str = "unmatched"
    doi: str | None = None
    confidence: float = 0.0
    message: str | None = "not looked up (--no-resolve)"
    candidates: list[CandidateLike] = field(default_factory=list)
    source: str = "parsed"

    @property
    def item(self) -> CslItem:
        return self.parsed


def _import_text(
    settings: Settings,
    text: str,
    minimum: float,
    resolve: bool,
    resolver_factory: ResolverFactory | None,
    progress: Progress | None,
) -> tuple[list[tuple[ResolutionLike | None, CslItem | None, str]], bool]:
    from refman.parsing import parse_references, split_references

    references = split_references(text)
    if resolve:
        resolutions, down = _resolve_texts(
            settings, references, minimum, resolver_factory, progress
        )
    else:
        parsed = parse_references(references)
        resolutions, down = [_Parsed(t, p) for t, p in zip(references, parsed, strict=True)], False
    return [(r, *decide(r, minimum, None, unreachable=down)) for r in resolutions], down


def _import_structured(
    settings: Settings,
    items: list[CslItem],
    path: Path,
    minimum: float,
    resolve: bool,
    resolver_factory: ResolverFactory | None,
) -> tuple[list[tuple[ResolutionLike | None, CslItem | None, str]], bool]:
    """Keep the user's records; look up those without a DOI and fill what Crossref adds."""
    stored = [
        with_provenance(item, "imported", verified=False, confidence=None, file=path.name)
        for item in items
    ]
    for original, item in zip(items, stored, strict=True):
        if original.get("id"):
            item["id"] = str(original["id"])
    lookups = [i for i, item in enumerate(stored) if not item.get("DOI")]
    down = False
    if resolve and lookups:
        factory = resolver_factory or default_resolver
        with closing(factory(settings, min_confidence=minimum)) as resolver:
            resolutions = resolver.resolve_items([items[i] for i in lookups])
            down = bool(resolver.unreachable)
        for i, resolution in zip(lookups, resolutions, strict=True):
            if resolution.status == "matched" and resolution.confidence >= minimum:
                _fill_from(stored[i], resolution)
    notes = ["imported, verified" if item["_refman"]["verified"] else "imported" for item in stored]
    return [
        (_Parsed(path.name, item), item, note) for item, note in zip(stored, notes, strict=True)
    ], down


def _fill_from(item: CslItem, resolution: ResolutionLike) -> None:
    filled = [k for k, v in clean_item(resolution.item).items() if k not in item and v]
    item.update({k: resolution.item[k] for k in filled})
    item["_refman"].update(
        verified=True,
        confidence=round(resolution.confidence, 3),
        fields=dict.fromkeys(filled, resolution.source),
    )


# --- list, search, show --------------------------------------------------------------------


def _sort_value(entry: Stored, how: SortKey) -> tuple[Any, ...]:
    item = entry.item
    if how == "year":
        return (issued_year(item) or 0, entry.key.lower())
    if how == "author":
        author = first_author(item)
        return (fold_ascii(family_name(author) if author else ""), entry.key.lower())
    if how == "added":
        return (str(item.get("_refman", {}).get("added", "")), entry.start)
    return (entry.key.lower(),)


def list_entries(settings: Settings, sort: SortKey = "key") -> tuple[Document, list[Stored]]:
    """The library and its entries in the requested order."""
    document = read_library(settings)
    return document, sorted(document.entries, key=lambda e: _sort_value(e, sort))


_FIELD_QUERY = re.compile(r'(\w+):("[^"]*"|\S+)|"([^"]*)"|(\S+)')


@dataclass(frozen=True)
class Term:
    """One condition of a search query: ``field`` (or None for anywhere) contains ``value``."""

    field: str | None
    value: str


def parse_query(query: str) -> list[Term]:
    """``author:grober year:2015..2020 "exact words" free`` -> terms (all must hold)."""
    terms = []
    for given, field_value, quoted, word in _FIELD_QUERY.findall(query):
        if given:
            name = given.lower()
            if name not in _SEARCH_FIELDS:
                known = ", ".join(f"{f}:" for f in _SEARCH_FIELDS)
                raise UsageError(f"unknown search field {given!r}; use {known} or free words")
            terms.append(Term(name, field_value.strip('"')))
        else:
            terms.append(Term(None, quoted or word))
    if not terms:
        raise UsageError("the search query is empty; e.g. refman search author:grober magnesium")
    return terms


def _authors_text(item: CslItem) -> str:
    names = (item.get("author") or []) + (item.get("editor") or [])
    return " ".join(" ".join(str(v) for v in n.values()) for n in names if isinstance(n, dict))


_SEARCH_FIELDS: dict[str, Callable[[CslItem], str]] = {
    "author": _authors_text,
    "title": lambda item: text_field(item, "title"),
    "doi": lambda item: text_field(item, "DOI"),
    "type": lambda item: str(item.get("type", "")),
    "journal": lambda item: text_field(item, "container-title"),
    "key": lambda item: str(item.get("id", "")),
    "year": lambda item: str(issued_year(item) or ""),
}


def _matches(entry: Stored, terms: Sequence[Term]) -> bool:
    """Every term holds; the all-fields text is built once, and only if a free word needs it."""
    everything: str | None = None
    for term in terms:
        if term.field == "year":
            found = _year_matches(term.value, issued_year(entry.item))
        elif term.field is None:
            everything = _haystack(entry) if everything is None else everything
            found = fold_ascii(term.value) in everything
        else:
            found = fold_ascii(term.value) in fold_ascii(_SEARCH_FIELDS[term.field](entry.item))
        if not found:
            return False
    return True


def _year_matches(spec: str, year: int | None) -> bool:
    low, _, high = spec.partition("..")
    try:
        first = int(low) if low else None
        last = int(high) if high else (None if _ else first)
    except ValueError as exc:
        raise UsageError(f"year:{spec} is not a year or range like 2015..2020") from exc
    if year is None:
        return False
    return (first is None or year >= first) and (last is None or year <= last)


def _haystack(entry: Stored) -> str:
    return fold_ascii(" ".join([entry.key, *(f(entry.item) for f in _SEARCH_FIELDS.values())]))


def search_entries(
    settings: Settings, query: str, sort: SortKey = "key"
) -> tuple[Document, list[Stored]]:
    """Entries matching every term of the query (case- and accent-insensitive)."""
    cheap_first = sorted(parse_query(query), key=lambda t: (t.field != "year", t.field is None))
    document, entries = list_entries(settings, sort)
    found = [entry for entry in entries if _matches(entry, cheap_first)]
    return document, found


def format_entries(document: Document, entries: Sequence[Stored], fmt: ListFormat) -> str:
    """Entries as a table, keys, CSL-JSON or their BibTeX text exactly as stored."""
    if fmt == "keys":
        return "".join(f"{entry.key}\n" for entry in entries)
    if fmt == "bibtex":
        return "\n".join(document.raw(entry).rstrip("\n") + "\n" for entry in entries)
    if fmt == "json":
        from refman import csljson

        return csljson.dumps([entry.item for entry in entries])
    return "".join(_table_row(entry) + "\n" for entry in entries)


def _table_row(entry: Stored) -> str:
    item = entry.item
    author = first_author(item)
    who = family_name(author) if author else ""
    flag = "" if item.get("_refman", {}).get("verified", True) else " [unverified]"
    title = text_field(item, "title")
    title = title if len(title) <= 70 else title[:69] + "…"
    return f"{entry.key:<28} {issued_year(item) or '':<4}  {who[:20]:<20}  {title}{flag}"


def show_entry(
    settings: Settings, key: str, fmt: Literal["bibtex", "csl-json", "text"], style: str | None
) -> str:
    """One entry as stored (BibTeX), as CSL-JSON, or formatted in a citation style."""
    document = read_library(settings)
    entry = document.find(key)
    if fmt == "bibtex":
        return document.raw(entry).rstrip("\n") + "\n"
    if fmt == "csl-json":
        from refman import csljson

        return csljson.dumps([entry.item])
    from refman.services.export import format_bibliography

    return (
        format_bibliography([entry.item], style or settings.style, settings.locale).rstrip() + "\n"
    )


# --- remove and edit -----------------------------------------------------------------------


def remove_entries(settings: Settings, keys: Sequence[str]) -> list[str]:
    """Remove the entries (all or none: an unknown key changes nothing); their keys."""
    library = open_library(settings)
    library.read()
    with library.transaction() as document:
        return [document.remove(key).key for key in keys]


def run_editor(path: Path) -> None:
    """Open ``path`` in ``$VISUAL``/``$EDITOR`` (else ``vi``) and wait for it to close."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        completed = subprocess.run([*shlex.split(editor), str(path)], check=False)
    except OSError as exc:
        raise UsageError(f"cannot start the editor {editor!r}: {exc}; set $EDITOR") from exc
    if completed.returncode != 0:
        raise UsageError(f"the editor {editor!r} exited with {completed.returncode}; nothing saved")


def validate_entry(text: str, key: str) -> CslItem:
    """The edited text must be one well-formed entry that keeps its key."""
    blocks = bibtex.split_blocks(text)
    failed = [b for b in blocks if b.kind in {"failed", "duplicate"}]
    entries = [b for b in blocks if b.kind == "entry"]
    if failed:
        raise InputError(f"the edited entry does not parse: {failed[0].error}")
    if len(entries) != 1:
        raise InputError(f"the edit must hold exactly one entry, found {len(entries)}")
    if entries[0].key != key:
        raise InputError(
            f"the key must stay {key!r} (keys never change); you wrote {entries[0].key!r}"
        )
    return bibtex.entry_to_csl(entries[0])


def edit_entry(
    settings: Settings, key: str, editor: Callable[[Path], None] = run_editor
) -> list[str]:
    """Let the user edit one entry; validate, record edited fields as ``user``; their names."""
    library = open_library(settings)
    document = library.read()
    entry = document.find(key)
    original = document.raw(entry)
    with tempfile.TemporaryDirectory(prefix="refman-edit-") as folder:
        path = Path(folder) / f"{entry.key}.bib"
        path.write_text(original.rstrip("\n") + "\n", encoding="utf-8")
        editor(path)
        edited = path.read_text(encoding="utf-8")
    if edited.strip() == original.strip():
        return []
    try:
        item = validate_entry(edited, entry.key)
    except InputError as exc:
        kept = Path(tempfile.gettempdir()) / f"refman-edit-{entry.key}.bib"
        kept.write_text(edited, encoding="utf-8")
        raise InputError(f"{exc}; nothing saved, your text is in {kept}") from exc
    changed = sorted(
        k
        for k in set(item) | set(entry.item)
        if item.get(k) != entry.item.get(k) and not k.startswith("_refman")
    )
    provenance = dict(item.get("_refman") or entry.item.get("_refman") or {})
    fields = dict(provenance.get("fields") or {})
    fields.update(dict.fromkeys(changed, "user"))
    provenance.update(fields=fields, edited=_now())
    item["_refman"] = provenance
    with library.transaction() as current:
        if current.raw(current.find(key)) != original:
            raise InputError(f"entry {key!r} changed in the file while you edited it; edit again")
        current.replace(entry.key, bibtex.csl_to_bibtex(item, entry.key, ascii=settings.ascii))
    return changed
