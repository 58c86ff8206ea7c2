"""Cached lookups: ask the cache first, the network second, never the network offline.

The one place that decides between cache and network, shared by the Crossref
adapter and the identifier services so every answer is cached the same way.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from refman.errors import ServiceUnavailableError
from refman.sources.cache import Cache
from refman.sources.http import HttpClient, Response, raise_for_status

CACHEABLE = frozenset({200, 404, 410})


def cache_key(url: str, params: Mapping[str, str] | None, accept: str | None) -> str:
    """A stable key for one request: URL, sorted parameters, accepted type."""
    query = "&".join(f"{k}={v}" for k, v in sorted((params or {}).items()))
    return f"{url}?{query}#{accept or ''}"


class Fetcher:
    """Answers from the cache, else from the network (then stored), else an error."""

    def __init__(self, http: HttpClient, cache: Cache | None, *, offline: bool = False):
        self.http = http
        self.cache = cache
        self.offline = offline
        self.network_requests = 0

    def fetch(self, key: str, produce: Callable[[], Response]) -> Response:
        """The answer for ``key``: cached, or produced by ``produce`` and cached."""
        if self.cache is not None:
            hit = self.cache.get(key)
            if hit is not None:
                return Response(hit[0], hit[1], {})
        if self.offline:
            raise ServiceUnavailableError(
                "offline and this lookup is not in the cache; run without --offline"
            )
        self.network_requests += 1
        response = produce()
        if self.cache is not None and response.status in CACHEABLE:
            self.cache.put(key, response.status, response.body)
        return response

    def get(
        self,
        url: str,
        params: Mapping[str, str] | None = None,
        accept: str | None = None,
        *,
        check: Callable[[bytes], object] | None = None,
    ) -> Response:
        """A cached GET."""
        headers = {"Accept": accept} if accept else None
        return self.fetch(
            cache_key(url, params, accept),
            lambda: self.http.get(url, params, headers, check=check),
        )

    def get_json(
        self, url: str, params: Mapping[str, str] | None = None, accept: str | None = None
    ) -> tuple[int, Any]:
        """A cached GET of JSON: (status, parsed body or None when not 2xx)."""
        response = self.get(url, params, accept, check=json.loads)
        if response.status not in CACHEABLE:
            raise_for_status(response, url)
        if response.status != 200:
            return response.status, None
        return response.status, json.loads(response.body)
