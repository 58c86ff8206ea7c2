"""Resolve references to DOIs: identifiers first, then search + validation.

Composes the parser, the pure matcher and the lookup adapters. Every input
gets exactly one ``Resolution``, in input order: a failure after retries is
that reference's ``error`` and the others go on. Identical inputs are looked
up once; lookups run on a small thread pool bounded by the pool's limits.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from types import TracebackType
from typing import Any, Literal

from refman import __version__
from refman.config import Settings
from refman.crossref_csl import crossref_to_csl
from refman.errors import Interrupted, RefmanError
from refman.matching import Reference, Scored, decide, score_candidates
from refman.matching.decide import TITLE_PIVOT, veto
from refman.matching.query import item_text, query_text
from refman.model import CslItem
from refman.parsing.identifiers import extract_identifiers, normalize_doi
from refman.sources.cache import Cache
from refman.sources.crossref import CrossrefClient, user_agent
from refman.sources.http import HttpClient, Throttle
from refman.sources.identifiers import IdentifierClient
from refman.sources.lookup import Fetcher

ResolutionStatus = Literal["matched", "ambiguous", "unmatched", "error"]

POLITE = (10.0, 3)
PUBLIC = (5.0, 1)
IDENTIFIER_LIMITS = (3.0, 1)
STATED_DOI_CONFIDENCE = 0.97
"""A DOI written in the reference that exists and does not contradict it."""
MAX_CANDIDATES_SHOWN = 3
IDENTIFIER_KEYS = ("DOI", "PMID", "PMCID", "arXiv", "ISBN")


@dataclass(frozen=True)
class Candidate:
    """One record considered for a reference."""

    doi: str
    confidence: float
    title: str
    why: dict[str, Any] | str
    item: CslItem
    source: str = "crossref"
    """Where ``item`` came from: ``crossref``, another DOI agency, ``arxiv``, ``openlibrary``."""

    def to_json(self) -> dict[str, Any]:
        """The output shape (without the full item)."""
        return {
            "doi": self.doi,
            "confidence": self.confidence,
            "title": self.title,
            "why": self.why,
        }


@dataclass
class Resolution:
    """What refman decided for one input reference."""

    input: str
    status: ResolutionStatus
    doi: str | None = None
    confidence: float = 0.0
    item: CslItem = field(default_factory=dict)
    parsed: CslItem = field(default_factory=dict)
    candidates: list[Candidate] = field(default_factory=list)
    message: str | None = None
    source: str = "crossref"
    """Where ``item`` came from when matched (as :attr:`Candidate.source`)."""

    def to_json(self) -> dict[str, Any]:
        """One line of ``refman resolve --format jsonl``."""
        data: dict[str, Any] = {
            "input": self.input,
            "status": self.status,
            "doi": self.doi,
            "confidence": self.confidence,
            "item": self.item,
            "candidates": [c.to_json() for c in self.candidates],
        }
        if self.message is not None:
            data["message"] = self.message
        return data

    def to_dict(self) -> dict[str, Any]:
        """Everything, for the cache (candidates with their items, parsed fields)."""
        return {**asdict(self), "candidates": [asdict(c) for c in self.candidates]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Resolution:
        """The inverse of ``to_dict``."""
        candidates = [Candidate(**c) for c in data.get("candidates", [])]
        return cls(**{**data, "candidates": candidates})


def _public(item: CslItem) -> CslItem:
    """A parsed item without parser-internal keys."""
    return {k: v for k, v in item.items() if k != "_warnings"}


_PARSE_LOCK = threading.Lock()


def _parse(text: str) -> CslItem:
    """The parser's fields, one reference at a time: the CRF tagger is one shared object
    whose thread-safety python-crfsuite does not promise (parsing is CPU-bound anyway)."""
    from refman.parsing import parse_reference

    with _PARSE_LOCK:
        return parse_reference(text)


def _candidate(scored: Scored) -> Candidate:
    item = crossref_to_csl(scored.record)
    return Candidate(scored.doi, scored.confidence, str(item.get("title", "")), scored.why(), item)


class Resolver:
    """Resolves references through Crossref and identifier services (a context manager)."""

    def __init__(
        self,
        settings: Settings,
        *,
        refresh: bool = False,
        jobs: int | None = None,
        min_confidence: float | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.settings = settings
        self.min_confidence = settings.min_confidence if min_confidence is None else min_confidence
        self.progress = progress
        rate, concurrency = POLITE if settings.mailto else PUBLIC
        self.pool_warning = (
            None
            if settings.mailto
            else "no contact e-mail configured: Crossref's public pool is slower "
            f"({PUBLIC[0]:g} requests/s); set --mailto or REFMAN_MAILTO"
        )
        self.jobs = jobs or settings.jobs or concurrency * 2
        self.cache = Cache(settings.cache_path, settings.cache_days, refresh=refresh)
        self.throttle = Throttle(
            rate=settings.rate_limit or rate, concurrency=concurrency, service="Crossref"
        )
        self._http = HttpClient(
            user_agent=user_agent(settings.mailto), timeout=settings.timeout, throttle=self.throttle
        )
        self.crossref = CrossrefClient(
            Fetcher(self._http, self.cache, offline=settings.offline),
            settings.crossref_url,
            mailto=settings.mailto,
            timeout=settings.timeout,
            throttle=self.throttle,
        )
        self.identifiers = self._identifier_client()
        self._stop = threading.Event()

    def _identifier_client(self) -> IdentifierClient:
        """doi.org, arXiv, NCBI and Open Library: the shared session, their own modest limits."""
        settings = self.settings
        http = HttpClient(
            user_agent=user_agent(settings.mailto),
            timeout=settings.timeout,
            throttle=Throttle(
                rate=IDENTIFIER_LIMITS[0],
                concurrency=IDENTIFIER_LIMITS[1],
                service="the identifier service",
            ),
            parent=self._http,
        )
        return IdentifierClient(
            Fetcher(http, self.cache, offline=settings.offline),
            doi_url=settings.doi_url,
            arxiv_url=settings.arxiv_url,
            ncbi_url=settings.ncbi_url,
            openlibrary_url=settings.openlibrary_url,
            mailto=settings.mailto,
        )

    # --- context manager ----------------------------------------------------------------------

    def __enter__(self) -> Resolver:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP session and the cache."""
        self._http.close()
        self.cache.close()

    @property
    def unreachable(self) -> bool:
        """True when Crossref could not be reached at all during this resolver's life."""
        return self.throttle.down is not None

    @property
    def unreachable_reason(self) -> str:
        """Why Crossref could not be reached, and what to do ('' when it could)."""
        return self.throttle.down or ""

    # --- public API ---------------------------------------------------------------------------

    def resolve_texts(self, texts: Sequence[str]) -> list[Resolution]:
        """One resolution per text, in order."""
        return list(self.iter_texts(texts))

    def resolve_items(self, items: Sequence[CslItem]) -> list[Resolution]:
        """One resolution per structured item (e.g. a .bib entry without DOI), in order."""
        jobs = [(item_text(item), item) for item in items]
        return list(self._run(jobs, {}))

    def iter_texts(self, texts: Sequence[str]) -> Iterator[Resolution]:
        """Resolutions in input order as they become available (for streaming output).

        Each text is parsed on the worker that resolves it, so parsing overlaps the
        network waits instead of delaying the first request.
        """
        unique = dict.fromkeys(texts)
        known = {text: found for text in unique if (found := self._cached(text)) is not None}
        return self._run([(text, None) for text in texts], known)

    def search(self, text: str) -> list[CslItem]:
        """Crossref's records for a bibliographic search of ``text``, best first, unvalidated."""
        return [crossref_to_csl(record) for record in self.crossref.search(text)]

    def fetch_doi(self, doi: str) -> CslItem | None:
        """The record of ``doi`` as CSL-JSON from Crossref, else from its own agency."""
        record = self.crossref.work(doi)
        if record is not None:
            return crossref_to_csl(record)
        found = self._from_agency(doi)
        return found[0] if found is not None else None

    def _from_agency(self, doi: str) -> tuple[CslItem, str] | None:
        """The record of a DOI Crossref does not hold, from its own agency, and that agency."""
        agency = self.crossref.agency(doi)
        if agency is None:
            return None
        item = self.identifiers.doi_csl(doi)
        return (item, agency) if item is not None else None

    # --- machinery ----------------------------------------------------------------------------

    def _cached(self, text: str) -> Resolution | None:
        """A resolution made before for this exact text (same version and threshold)."""
        hit = self.cache.get(self._key(text))
        return Resolution.from_dict(json.loads(hit[1])) if hit is not None else None

    def _remember(self, result: Resolution) -> Resolution:
        if result.status != "error":
            body = json.dumps(result.to_dict()).encode("utf-8")
            self.cache.put(self._key(result.input), 200, body)
        return result

    def _key(self, text: str) -> str:
        where = self.settings.crossref_url
        return f"resolution:{__version__}:{where}:{self.min_confidence}:{text}"

    def _run(
        self, jobs: Sequence[tuple[str, CslItem | None]], known: dict[str, Resolution]
    ) -> Iterator[Resolution]:
        futures: dict[str, Future[Resolution]] = {}
        done = 0
        pool = ThreadPoolExecutor(max_workers=self.jobs)
        try:
            for text, parsed in jobs:
                if text not in futures and text not in known:
                    futures[text] = pool.submit(self._safe_resolve, text, parsed)
            for text, _ in jobs:
                yield known[text] if text in known else futures[text].result()
                done += 1
                if self.progress is not None:
                    self.progress(done, len(jobs))
        except KeyboardInterrupt as exc:
            raise Interrupted(
                f"interrupted after {done} of {len(jobs)} references; "
                "the finished ones were printed"
            ) from exc
        finally:
            # on Ctrl-C or when the caller stops early: drop what has not started
            self._stop.set()
            pool.shutdown(wait=True, cancel_futures=True)
            self._stop.clear()

    def _safe_resolve(self, text: str, given: CslItem | None) -> Resolution:
        parsed = _parse(text) if given is None else given
        if self._stop.is_set():
            return Resolution(text, "error", parsed=_public(parsed), message="interrupted")
        try:
            return self._remember(self._resolve(text, parsed))
        except RefmanError as exc:
            return Resolution(
                text, "error", item=_public(parsed), parsed=_public(parsed), message=str(exc)
            )

    def _resolve(self, text: str, parsed: CslItem) -> Resolution:
        ids = {**extract_identifiers(text)}
        ids |= {k: str(parsed[k]) for k in IDENTIFIER_KEYS if parsed.get(k) and k not in ids}
        bare = any(_is_bare(text, value) for value in ids.values())
        reference = Reference(text, parsed)
        doi = normalize_doi(ids.get("DOI", "")) or self._doi_of(ids)
        if doi:
            found = self._by_doi(doi, text, reference, parsed, bare=bare)
            if found is not None:
                return found
        if "arXiv" in ids and not doi:
            preprint = self.identifiers.arxiv(ids["arXiv"])
            if preprint is not None:
                published = preprint.get("DOI")
                found = published and self._by_doi(published, text, reference, parsed, bare=True)
                via = f"arXiv {ids['arXiv']}"
                return found or self._identified(text, parsed, preprint, via, "arxiv")
        if "ISBN" in ids and bare:
            book = self.identifiers.isbn(ids["ISBN"])
            if book is not None:
                return self._identified(text, parsed, book, f"ISBN {ids['ISBN']}", "openlibrary")
        return self._search(text, reference, parsed)

    def _doi_of(self, ids: dict[str, str]) -> str | None:
        """A DOI reached through another identifier (PMID/PMCID, a published arXiv paper)."""
        for key in ("PMID", "PMCID"):
            if key in ids:
                return self.identifiers.pmid_doi(ids[key])
        return None

    def _by_doi(
        self, doi: str, text: str, reference: Reference, parsed: CslItem, *, bare: bool
    ) -> Resolution | None:
        """Check a stated DOI: it must exist and its record must not contradict the text."""
        record = self.crossref.work(doi)
        if record is None:
            found = self._from_agency(doi)
            if found is None:
                return None
            item, agency = found
            return self._identified(
                text, parsed, {**item, "DOI": item.get("DOI", doi)}, doi, agency
            )
        scored = score_candidates(reference, [record])[0]
        # a title unlike the record's may be another paper's: let the search decide
        if bare or (not veto(scored.evidence) and scored.evidence.title >= TITLE_PIVOT):
            return Resolution(
                text,
                "matched",
                doi=scored.doi,
                confidence=max(scored.confidence, STATED_DOI_CONFIDENCE),
                item=crossref_to_csl(record),
                parsed=_public(parsed),
                candidates=[_candidate(scored)],
            )
        return None

    def _identified(
        self, text: str, parsed: CslItem, item: CslItem, via: str, source: str
    ) -> Resolution:
        """A record found directly by identifier (another DOI agency, arXiv, ISBN)."""
        doi = item.get("DOI")
        return Resolution(
            text,
            "matched",
            doi=str(doi) if doi else None,
            confidence=STATED_DOI_CONFIDENCE,
            item=item,
            parsed=_public(parsed),
            candidates=[
                Candidate(
                    str(doi or ""),
                    STATED_DOI_CONFIDENCE,
                    str(item.get("title", "")),
                    f"found by {via}",
                    item,
                    source,
                )
            ],
            source=source,
        )

    def _search(self, text: str, reference: Reference, parsed: CslItem) -> Resolution:
        query = query_text(text)
        if len(query) < 10:
            return Resolution(
                text,
                "unmatched",
                item=_public(parsed),
                parsed=_public(parsed),
                message="too short to search for",
            )
        scored = score_candidates(reference, self.crossref.search(query))
        status, best = decide(scored, self.min_confidence)
        shown = [_candidate(s) for s in scored[:MAX_CANDIDATES_SHOWN]]
        if status == "matched" and best is not None:
            return Resolution(
                text,
                status,
                doi=best.doi,
                confidence=best.confidence,
                item=crossref_to_csl(best.record),
                parsed=_public(parsed),
                candidates=shown,
            )
        top = scored[0].confidence if scored else 0.0
        return Resolution(
            text,
            status,
            confidence=top,
            item=_public(parsed),
            parsed=_public(parsed),
            candidates=shown,
        )


def _is_bare(text: str, identifier: str) -> bool:
    """The input is just the identifier (maybe as a URL or with a ``doi:``-like prefix)."""
    rest = text.lower().replace(identifier.lower(), " ")
    for noise in ("https://", "http://", "doi.org/", "dx.", "doi", "isbn", "arxiv", "pmid", ":"):
        rest = rest.replace(noise, " ")
    return not rest.strip()
