"""The Crossref adapter: search, one record, registration agency.

The hot paths (``/works?query.bibliographic=`` and ``/works/{doi}``) go through
the shared ``requests`` session of ``refman.sources.http``: habanero 2.9.2 opens
a new connection per call and hides the response headers of successful calls,
so it can neither reuse connections nor read ``X-Rate-Limit-*`` (measured in
``docs/benchmarks.md``). habanero serves the rarely used agency lookup, wrapped
in the same throttle, retries and cache, with its exceptions mapped here.

This module owns what habanero leaves to its caller: percent-encoding DOIs,
the polite pool (mailto in the User-Agent), and error mapping.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from refman import __version__
from refman.errors import RefmanError
from refman.sources.http import (
    Response,
    Throttle,
    TransientError,
    UnreachableError,
    is_unreachable,
    unreachable_reason,
)
from refman.sources.lookup import Fetcher

SEARCH_ROWS = 5
SELECT = (
    "DOI,type,title,subtitle,author,editor,container-title,short-container-title,issued,"
    "published-print,published-online,volume,issue,page,article-number,publisher,"
    "publisher-location,ISSN,ISBN,URL,score,updated-by,update-to,relation,language"
)
PROJECT_URL = "https://github.com/refman/refman"


def user_agent(mailto: str) -> str:
    """Crossref's etiquette: tool/version (project URL; mailto:address)."""
    contact = f"; mailto:{mailto}" if mailto else ""
    return f"refman/{__version__} ({PROJECT_URL}{contact})"


def doi_path(doi: str) -> str:
    """A DOI as one URL path segment set (``#``, ``?``, ``;``, ``<``, ``>`` escaped)."""
    return quote(doi, safe="/")


class CrossrefClient:
    """Crossref REST API lookups, cached and throttled."""

    def __init__(
        self, fetcher: Fetcher, base_url: str, *, mailto: str, timeout: float, throttle: Throttle
    ):
        self.fetcher = fetcher
        self.base_url = base_url.rstrip("/")
        self.mailto = mailto
        self.timeout = timeout
        self.throttle = throttle

    def search(self, text: str, rows: int = SEARCH_ROWS) -> list[dict[str, Any]]:
        """Candidate records for a free-text reference, best search score first."""
        params = {"query.bibliographic": text, "rows": str(rows), "select": SELECT}
        _, body = self.fetcher.get_json(f"{self.base_url}/works", params)
        items = (body or {}).get("message", {}).get("items", [])
        return [item for item in items if isinstance(item, dict) and item.get("DOI")]

    def work(self, doi: str) -> dict[str, Any] | None:
        """The Crossref record of ``doi``, or None when Crossref does not know it."""
        _, body = self.fetcher.get_json(f"{self.base_url}/works/{doi_path(doi)}")
        message = (body or {}).get("message")
        return message if isinstance(message, dict) else None

    def agency(self, doi: str) -> str | None:
        """The registration agency of ``doi`` (``crossref``, ``datacite``, ...), None if none."""
        key = f"{self.base_url}/works/{doi_path(doi)}/agency"
        response = self.fetcher.fetch(key, lambda: self.throttle.run(lambda: self._agency(doi)))
        if response.status != 200:
            return None
        label = json.loads(response.body).get("agency")
        return str(label).lower() if label else None

    def _agency(self, doi: str) -> Response:
        # imported here: habanero pulls in httpx2, too slow for every refman start
        import httpx2
        from habanero import Crossref as HabaneroCrossref  # noqa: TID251
        from habanero import RequestError  # noqa: TID251

        client = HabaneroCrossref(
            base_url=self.base_url, mailto=self.mailto or None, timeout=int(self.timeout)
        )
        try:
            labels = client.registration_agency(doi_path(doi))
        except httpx2.HTTPStatusError as exc:
            return _status_response(exc.response.status_code, exc.response.headers)
        except RequestError as exc:
            raise RefmanError(
                f"Crossref rejected the agency lookup of {doi}: {exc}; check the DOI"
            ) from exc
        except (RuntimeError, httpx2.HTTPError) as exc:
            # habanero wraps some transport errors in RuntimeError and lets others through
            cause = exc.__cause__ or exc
            if isinstance(cause, httpx2.ConnectTimeout) or is_unreachable(cause):
                raise UnreachableError(unreachable_reason(cause)) from exc
            raise TransientError(f"agency lookup failed: {exc}") from exc
        except (ValueError, KeyError, TypeError) as exc:
            # a truncated or odd JSON body: worth another try
            raise TransientError(f"unreadable agency answer: {exc!r}") from exc
        label = str(labels[0]) if labels else ""
        return Response(200, json.dumps({"agency": label}).encode("utf-8"), {})


def _status_response(status: int, headers: Mapping[str, str]) -> Response:
    """A habanero HTTP error as a response (404) or a retryable failure (429, 5xx)."""
    if status in (404, 410):
        return Response(status, b"", {})
    if status == 429 or status >= 500:
        seconds = headers.get("Retry-After")
        raise TransientError(
            f"HTTP {status}",
            float(seconds) if seconds and seconds.isdigit() else None,
            limited=status == 429,
        )
    raise RefmanError(f"Crossref answered HTTP {status} to an agency lookup; try again later")
