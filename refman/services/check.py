"""Check a bibliography: read it, look each reference up, and collect findings.

Composes the pure audit (``refman.audit``) with the inputs (a ``.bib`` file
through ``refman.bibtex``, or a plain-text reference list through the
parser) and the resolver, which is passed in so tests can use a fake:

1. hygiene needs no lookup (missing fields, checksums, keys, duplicates);
2. an entry with a DOI is compared with the DOI's record;
3. an entry without one is resolved; no match means it may not exist;
4. a title that disagrees with an otherwise agreeing record is searched for:
   when another work owns it, the reference mixes two works.

A lookup that fails because the service cannot be reached leaves the entry
``not_checked`` and marks the report unreachable, so the CLI never reports a
clean run when nothing was checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from refman.audit import (
    DOI_PATTERN,
    Finding,
    Severity,
    Status,
    at_or_above,
    audit_record,
    chimera_finding,
    clean_doi,
    corroborates,
    describe,
    doi_not_found,
    entry_hygiene,
    library_hygiene,
    no_match,
    status_of,
)
from refman.audit.hygiene import FindDuplicate
from refman.config import Settings
from refman.errors import InputError, LibraryFileError, ServiceUnavailableError
from refman.model import CslItem, text_field

if TYPE_CHECKING:
    from refman.services.library import ResolutionLike
    from refman.services.resolve import Resolver

Progress = Callable[[int, int], None]

RESOLVE_BATCH = 24
"""References resolved per call: large enough for the resolver's concurrency, small
enough for the progress bar to move on long lists."""


class Lookup(Protocol):
    """The lookups the check needs: the resolver's, plus a plain search (``search``)."""

    @property
    def unreachable(self) -> bool: ...

    def fetch_doi(self, doi: str) -> CslItem | None: ...
    def search(self, text: str) -> Sequence[CslItem]: ...
    def resolve_items(self, items: Sequence[CslItem]) -> Sequence[ResolutionLike]: ...
    def resolve_texts(self, texts: Sequence[str]) -> Sequence[ResolutionLike]: ...


@dataclass
class Subject:
    """One entry or reference to check, and where it came from."""

    index: int
    entry: CslItem
    key: str | None = None
    reference: str | None = None
    path: str | None = None
    line: int | None = None
    findings: list[Finding] = field(default_factory=list)
    lookup: bool = True

    @property
    def label(self) -> str:
        """How lines name it: the citation key, else the reference number."""
        return self.key or f"[{self.index}]"

    @property
    def status(self) -> Status:
        """``ok``, ``warning`` or ``error`` from its findings."""
        return status_of(self.findings)

    def to_json(self) -> dict[str, Any]:
        """The ``check --format json`` object of this entry."""
        return {
            "index": self.index,
            "key": self.key,
            "reference": self.reference,
            "status": self.status,
            "findings": [f.to_json() for f in self.findings],
        }


@dataclass
class CheckReport:
    """Every checked subject in input order, and whether the service was reachable."""

    subjects: list[Subject]
    unreachable: bool = False

    def exit_code(self, fail_on: Severity | Literal["never"]) -> int:
        """0 clean, 1 findings at or above ``fail_on``, 4 when lookups could not be made."""
        if self.unreachable:
            return 4
        if fail_on == "never":
            return 0
        failing = any(at_or_above(s.findings, fail_on) for s in self.subjects)
        return 1 if failing else 0

    def counts(self) -> dict[str, int]:
        """How many subjects have each status."""
        result = {"ok": 0, "warning": 0, "error": 0}
        for subject in self.subjects:
            result[subject.status] += 1
        return result


# --- reading inputs ---------------------------------------------------------------------------


def read_subjects(
    paths: Sequence[Path], default: Path, read_stdin: Callable[[], str]
) -> list[Subject]:
    """Subjects from each path (``.bib`` or a plain-text list; ``-`` is stdin), numbered 1..n.

    With no paths, the library file ``default``.
    """
    subjects: list[Subject] = []
    for path in paths or [default]:
        text = read_stdin() if str(path) == "-" else _read(path, is_library=not paths)
        reader = bib_subjects if _is_bibtex(path, text) else text_subjects
        for subject in reader(text, str(path)):
            subject.index = len(subjects) + 1
            subjects.append(subject)
    return subjects


def _read(path: Path, *, is_library: bool) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        if is_library:
            raise LibraryFileError(
                f"library {path} does not exist; add references with 'refman add' or name a file"
            ) from exc
        raise InputError(f"{path} does not exist; check the path") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}; check the file") from exc


_ENTRY_START = re.compile(r"^\s*@\w+\s*[{(]", re.MULTILINE)


def _is_bibtex(path: Path, text: str) -> bool:
    return path.suffix.lower() == ".bib" or bool(_ENTRY_START.search(text))


def bib_subjects(text: str, path: str) -> list[Subject]:
    """One subject per entry, failed block and duplicate-key block, with its line."""
    from refman import bibtex

    blocks = bibtex.split_blocks(text)
    macros = bibtex.string_macros(blocks)
    subjects = []
    for block in blocks:
        if block.kind == "entry":
            entry = bibtex.entry_to_csl(block, macros)
            subjects.append(Subject(0, entry, key=block.key, path=path, line=block.line))
        elif block.kind in ("failed", "duplicate"):
            subjects.append(_broken_block(block.kind, block.key, block.error, path, block.line))
    return subjects


def _broken_block(kind: str, key: str | None, error: str | None, path: str, line: int) -> Subject:
    if kind == "duplicate":
        finding = Finding("key_collision", "error", f"key '{key}' is used twice", "id")
    else:
        finding = Finding(
            "parse_failed", "error", f"this entry cannot be read ({error}); fix its syntax", None
        )
    return Subject(0, {}, key=key, path=path, line=line, findings=[finding], lookup=False)


def text_subjects(text: str, path: str) -> list[Subject]:
    """One subject per reference of a plain-text list, parsed, with its first line."""
    from refman.parsing import parse_references, split_references

    references = split_references(text)
    parsed = parse_references(references)
    return [
        Subject(
            0,
            {k: v for k, v in item.items() if not k.startswith("_")},
            reference=reference,
            path=path,
            line=line,
        )
        for reference, item, line in zip(
            references, parsed, _lines_of(text, references), strict=True
        )
    ]


def _lines_of(text: str, references: Sequence[str]) -> list[int | None]:
    """The line each reference starts on, found in order (two may start with one name)."""
    lines: list[int | None] = []
    cursor = 0
    for reference in references:
        words = reference.split()
        position = text.find(words[0], cursor) if words else -1
        if position < 0:
            lines.append(None)
            continue
        lines.append(text.count("\n", 0, position) + 1)
        cursor = position + len(words[0])
    return lines


# --- checking ---------------------------------------------------------------------------------


def check_subjects(
    subjects: Sequence[Subject],
    lookup: Lookup,
    *,
    find_duplicate: FindDuplicate | None = None,
    jobs: int = 3,
    progress: Progress | None = None,
) -> CheckReport:
    """Run every check on ``subjects`` (findings are appended in place) and report."""
    _hygiene(subjects, find_duplicate)
    report = CheckReport(list(subjects))
    runnable = [s for s in subjects if s.lookup]
    tracker = _Tracker(len(runnable), progress)
    with_doi = [s for s in runnable if _doi_of(s)]
    without = [s for s in runnable if not _doi_of(s)]
    records = _fetch_all(with_doi, lookup, jobs, tracker, report)
    _resolve_all(without, lookup, tracker, report, records)
    _find_chimeras(records, lookup, report)
    return report


class _Tracker:
    """Counts finished lookups and tells the progress callback."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total = total
        self.done = 0
        self.progress = progress

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self.progress is not None:
            self.progress(self.done, self.total)


def _hygiene(subjects: Sequence[Subject], find_duplicate: FindDuplicate | None) -> None:
    """Lookup-free findings: every rule for .bib entries; DOI form and duplicates for text."""
    readable = [s for s in subjects if s.entry]
    for subject in readable:
        found = entry_hygiene(subject.entry)
        if subject.reference is not None:
            found = [f for f in found if f.field == "DOI"]
        subject.findings.extend(found)
    duplicate = find_duplicate or _library_dedup()
    entries = [s.entry for s in readable]
    for subject, findings in zip(readable, library_hygiene(entries, duplicate), strict=True):
        subject.findings.extend(findings)


def _library_dedup() -> FindDuplicate:
    """The library's dedup rules, kept linear for ``library_hygiene``'s growing prefixes.

    ``library_hygiene`` asks about each entry against the entries before it, in
    order; an index that grows by one entry per question answers that without
    re-indexing the prefix every time. Any other call falls back to the plain rule.
    """
    from refman.dedup import DuplicateIndex, find_duplicate

    index = DuplicateIndex()
    seen: list[CslItem] = []

    def find(item: CslItem, existing: Sequence[CslItem]) -> CslItem | None:
        if len(existing) != len(seen) or (seen and existing[-1] is not seen[-1]):
            return find_duplicate(item, existing)
        found = index.duplicate(item)
        index.add(item)
        seen.append(item)
        return found[0] if found else None

    return find


def _doi_of(subject: Subject) -> str | None:
    """The entry's DOI when it is well formed enough to look up."""
    doi = clean_doi(text_field(subject.entry, "DOI"))
    for written in _RAW_DOI.findall(subject.reference or "") if doi else ():
        whole = written.rstrip(".,;") if "<" in written else written.rstrip(".,;>")
        if len(whole) > len(doi) and whole.lower().startswith(doi.lower()):
            doi = whole
    return doi if DOI_PATTERN.match(doi) else None


_RAW_DOI = re.compile(r"10\.\d{4,9}/\S+")
"""A DOI as written in a reference; SICI DOIs hold ``<`` and ``>``, which parsers cut."""


def _fetch_all(
    subjects: Sequence[Subject],
    lookup: Lookup,
    jobs: int,
    tracker: _Tracker,
    report: CheckReport,
) -> dict[int, CslItem]:
    """Fetch the record of each DOI (each distinct DOI once) and compare."""
    spellings = {str(_doi_of(s)).lower(): str(_doi_of(s)) for s in reversed(subjects)}
    fetched: dict[str, CslItem | ServiceUnavailableError | None] = {}

    def fetch(doi: str) -> tuple[str, CslItem | ServiceUnavailableError | None]:
        try:
            return doi, lookup.fetch_doi(doi)
        except ServiceUnavailableError as exc:
            return doi, exc

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for doi, answer in pool.map(fetch, spellings.values()):
            fetched[doi.lower()] = answer
            tracker.advance(sum(1 for s in subjects if str(_doi_of(s)).lower() == doi.lower()))
    records: dict[int, CslItem] = {}
    for subject in subjects:
        doi = str(_doi_of(subject))
        answer = fetched[doi.lower()]
        if isinstance(answer, ServiceUnavailableError):
            _not_checked(subject, str(answer), report)
        elif answer is None:
            subject.findings.append(doi_not_found(doi))
        else:
            subject.findings.extend(audit_record(subject.entry, answer, subject.reference))
            records[subject.index] = answer
    return records


def _not_checked(subject: Subject, why: str, report: CheckReport) -> None:
    report.unreachable = True
    subject.findings.append(Finding("not_checked", "error", f"could not be checked: {why}", None))


def _resolve_all(
    subjects: Sequence[Subject],
    lookup: Lookup,
    tracker: _Tracker,
    report: CheckReport,
    records: dict[int, CslItem],
) -> None:
    """Resolve entries without a DOI: text as written, library entries from their fields."""
    texts = [s for s in subjects if s.reference is not None]
    items = [s for s in subjects if s.reference is None]
    for start in range(0, len(texts), RESOLVE_BATCH):
        batch = texts[start : start + RESOLVE_BATCH]
        answers = lookup.resolve_texts([str(s.reference) for s in batch])
        _judge_all(batch, answers, tracker, report, records)
    for start in range(0, len(items), RESOLVE_BATCH):
        batch = items[start : start + RESOLVE_BATCH]
        _judge_all(batch, lookup.resolve_items([s.entry for s in batch]), tracker, report, records)


def _judge_all(
    subjects: Sequence[Subject],
    answers: Sequence[ResolutionLike],
    tracker: _Tracker,
    report: CheckReport,
    records: dict[int, CslItem],
) -> None:
    for subject, resolution in zip(subjects, answers, strict=True):
        _judge_resolution(subject, resolution, report, records)
    tracker.advance(len(subjects))


def _judge_resolution(
    subject: Subject, resolution: ResolutionLike, report: CheckReport, records: dict[int, CslItem]
) -> None:
    if resolution.status == "error":
        _not_checked(subject, resolution.message or "the lookup failed", report)
    elif resolution.status == "matched":
        subject.findings.extend(audit_record(subject.entry, resolution.item, subject.reference))
        message = f"found DOI {resolution.doi} (confidence {resolution.confidence:.2f}); add it"
        subject.findings.append(Finding("doi_found", "info", message, "DOI"))
        records[subject.index] = resolution.item
    else:
        subject.findings.extend(_unsure(subject, resolution))


def _unsure(subject: Subject, resolution: ResolutionLike) -> list[Finding]:
    """Findings for an unmatched or ambiguous entry: a corroborating candidate, or none."""
    record = _corroborated(subject, resolution)
    if record is not None:
        message = (
            f"not matched with confidence, but {describe(record)} agrees with it: "
            f"check it and add DOI {record.get('DOI')}"
        )
        unsure = Finding("unsure_match", "warning", message, "DOI")
        return [*audit_record(subject.entry, record, subject.reference), unsure]
    if resolution.status == "unmatched":
        return [no_match()]
    dois = ", ".join(str(c.item.get("DOI")) for c in resolution.candidates[:3])
    message = f"several records could be this reference ({dois}); add the right DOI"
    return [Finding("ambiguous", "warning", message, "DOI")]


def _corroborated(subject: Subject, resolution: ResolutionLike) -> CslItem | None:
    """The one candidate that agrees with the entry on every core field, if exactly one does."""
    agreeing = [
        c.item
        for c in resolution.candidates
        if corroborates(subject.entry, c.item, subject.reference)
    ]
    return agreeing[0] if len(agreeing) == 1 else None


def _find_chimeras(records: dict[int, CslItem], lookup: Lookup, report: CheckReport) -> None:
    """Search each title that alone disagrees with its record; another owner makes an error."""
    suspects = [
        s
        for s in report.subjects
        if s.index in records
        and any(f.code == "title_mismatch" for f in s.findings)
        and not any(f.code == "wrong_record" for f in s.findings)
    ]
    if not suspects:
        return
    for subject in suspects:
        title = text_field(subject.entry, "title")
        try:
            others = lookup.search(title)
        except ServiceUnavailableError as exc:
            _not_checked(subject, str(exc), report)
            continue
        finding = chimera_finding(subject.entry, records[subject.index], others)
        if finding is not None:
            subject.findings[:] = _replace_code(subject.findings, "title_mismatch", finding)


def _replace_code(findings: Iterable[Finding], code: str, new: Finding) -> list[Finding]:
    return [new if f.code == code else f for f in findings]


# --- running and reporting --------------------------------------------------------------------


class ResolverLookup:
    """The resolver plus a plain search by title, which the resolver does not offer.

    The resolver ranks candidates as matches for a whole reference; the chimera
    check needs the works that carry a given title, which Crossref's own
    ranking of a title query gives directly.
    """

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver

    @property
    def unreachable(self) -> bool:
        """True when the service could not be reached during the run."""
        return self.resolver.unreachable

    def fetch_doi(self, doi: str) -> CslItem | None:
        """The record of ``doi``, None when it does not exist."""
        return self.resolver.fetch_doi(doi)

    def search(self, text: str) -> list[CslItem]:
        """Records found by a bibliographic search for ``text``, best first."""
        return self.resolver.search(text)

    def resolve_items(self, items: Sequence[CslItem]) -> Sequence[ResolutionLike]:
        """The resolver's answer for each structured entry."""
        return self.resolver.resolve_items(items)

    def resolve_texts(self, texts: Sequence[str]) -> Sequence[ResolutionLike]:
        """The resolver's answer for each free-text reference."""
        return self.resolver.resolve_texts(texts)


@contextmanager
def open_lookup(settings: Settings) -> Iterator[Lookup]:
    """The real resolver (Crossref and the other agencies, through the cache)."""
    from refman.services.resolve import Resolver

    with Resolver(settings) as resolver:
        yield ResolverLookup(resolver)


LookupFactory = Callable[[Settings], AbstractContextManager[Lookup]]


def run_check(
    settings: Settings,
    paths: Sequence[Path],
    *,
    read_stdin: Callable[[], str],
    progress: Progress | None = None,
    lookup_factory: LookupFactory | None = None,
) -> CheckReport:
    """Check the given files (the library when none) and return the report.

    ``lookup_factory`` opens the resolver (default: ``open_lookup``, looked up at
    call time so tests of the CLI can replace it).
    """
    subjects = read_subjects(paths, settings.library_path, read_stdin)
    if not subjects:
        names = ", ".join(str(p) for p in paths) or str(settings.library_path)
        raise InputError(f"{names} holds no entries or references to check")
    with (lookup_factory or open_lookup)(settings) as lookup:
        report = check_subjects(subjects, lookup, jobs=settings.jobs or 3, progress=progress)
        report.unreachable = report.unreachable or bool(lookup.unreachable)
    return report


def render_json(report: CheckReport) -> str:
    """One JSON array, one object per checked entry or reference, in input order."""
    import json

    return json.dumps([s.to_json() for s in report.subjects], ensure_ascii=False, indent=2)


def render_text(report: CheckReport) -> str:
    """One line per finding, then a summary line."""
    lines = [
        f"{_where(subject)}{subject.label}: {finding.severity}: {finding.message}"
        for subject in report.subjects
        for finding in subject.findings
    ]
    lines.append(summary(report))
    return "\n".join(lines)


def _where(subject: Subject) -> str:
    if subject.path is None:
        return ""
    return f"{subject.path}:{subject.line}: " if subject.line else f"{subject.path}: "


def summary(report: CheckReport) -> str:
    """``checked 12 entries: 9 ok, 2 with warnings, 1 with errors`` (+ unreachable note)."""
    counts = report.counts()
    total = len(report.subjects)
    text = (
        f"checked {total} {'entry' if total == 1 else 'entries'}: {counts['ok']} ok, "
        f"{counts['warning']} with warnings, {counts['error']} with errors"
    )
    if report.unreachable:
        missed = sum(1 for s in report.subjects if any(f.code == "not_checked" for f in s.findings))
        text += f"; the lookup service could not be reached, {missed} not checked: try again later"
    return text


_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def render_github(report: CheckReport) -> str:
    """GitHub Actions workflow annotations (``::error file=...,line=...::message``)."""
    lines = []
    for subject in report.subjects:
        for finding in subject.findings:
            properties = [f"title={_escape_property(f'{subject.label} {finding.code}')}"]
            if subject.path is not None:
                properties.insert(0, f"file={_escape_property(subject.path)}")
                if subject.line:
                    properties.insert(1, f"line={subject.line}")
            level = _GITHUB_LEVEL[finding.severity]
            lines.append(f"::{level} {','.join(properties)}::{_escape_data(finding.message)}")
    return "\n".join(lines)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
