"""Polite HTTP for every outside lookup: one ``requests.Session``, limits, retries.

Crossref asks clients to stay inside their pool's limits (requests per second
and requests in flight) and answers 429 with ``Retry-After`` otherwise; 5xx
answers, timeouts, dropped connections and truncated bodies happen and are
worth a retry after an exponential, jittered backoff. A host that cannot be
reached at all (DNS failure, connection refused) is not retried: the first such
failure marks the client *down*, so a thousand references end in a second with
a clear message instead of a thousand timeouts.

Every failure leaves this module as a ``RefmanError`` raised ``from`` the
foreign exception.
"""

from __future__ import annotations

import contextlib
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from refman.errors import ConfigError, RateLimitedError, RefmanError, ServiceUnavailableError

if TYPE_CHECKING:
    import requests

T = TypeVar("T")

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
CONNECT_TIMEOUT = 3.0
"""Seconds to wait for a connection: a host that does not answer by then is not there."""
MAX_RETRY_AFTER = 30.0
"""Longest ``Retry-After`` obeyed; a longer one is treated as a failure to report."""
START_MARGIN = 0.02
"""Seconds added to the rate window at first: covers the send-to-arrival delays measured."""
MARGIN_STEP = 0.05
"""How much a 429 on the rate widens the window."""
MAX_MARGIN = 0.25
"""The widest margin: beyond it a 429 is the server's doing, left to ``Retry-After``."""


class TransientError(Exception):
    """A failure worth retrying (429, 5xx, timeout, dropped connection, cut body)."""

    def __init__(self, message: str, retry_after: float | None = None, *, limited: bool = False):
        super().__init__(message)
        self.retry_after = retry_after
        self.limited = limited


class UnreachableError(Exception):
    """The host cannot be reached at all (DNS failure, connection refused)."""


@dataclass(frozen=True)
class Response:
    """What a lookup returned: status, body, the headers refman reads."""

    status: int
    body: bytes
    headers: Mapping[str, str]


class RateLimiter:
    """At most ``rate`` request starts in any sliding window of ``interval`` seconds.

    A sliding log (not a refilling bucket) because the server counts the same
    way: a burst at the end of one second and the start of the next would be a
    429 there. The log holds the moments requests were sent (``restamp``), but
    the server counts arrivals, a few milliseconds later and not always equally
    late; the ``margin`` added to the window covers that difference. It starts
    small, because every millisecond of it is throughput lost whenever the window
    is full, and ``widen`` grows it when a 429 shows the difference was larger.
    """

    def __init__(self, rate: float, interval: float = 1.0, margin: float = START_MARGIN) -> None:
        self._lock = threading.Lock()
        self.starts: deque[list[float]] = deque()
        self.capacity = max(1, int(rate * interval)) if rate > 0 else 0
        self.interval = interval
        self.margin = margin

    def acquire(self) -> list[float] | None:
        """Block until one more request may start; its entry in the log (None: no limit)."""
        if self.capacity == 0:
            return None
        while True:
            with self._lock:
                now = time.monotonic()
                window = self.interval + self.margin
                while self.starts and now - self.starts[0][0] >= window:
                    self.starts.popleft()
                if len(self.starts) < self.capacity:
                    entry = [now]
                    self.starts.append(entry)
                    return entry
                wait = window - (now - self.starts[0][0])
            time.sleep(max(wait, 0.001))

    def restamp(self, entry: list[float]) -> None:
        """The request of ``entry`` leaves only now: count it from now, not from its token.

        Moves the time in the log closer to the server's arrival time, so the margin
        has only the wire and the server's own delay to cover, not this process's
        (thread scheduling between the token and the socket).
        """
        with self._lock:
            entry[0] = max(entry[0], time.monotonic())

    def widen(self) -> None:
        """The server still saw too many requests: allow for more delay on the way."""
        with self._lock:
            self.margin = min(MAX_MARGIN, self.margin + MARGIN_STEP)

    def tighten(self, limit: int, interval: float) -> None:
        """Obey the server's ``X-Rate-Limit-*`` headers when they are stricter."""
        if limit <= 0 or interval <= 0:
            return
        with self._lock:
            if self.capacity == 0 or limit / interval < self.capacity / self.interval:
                self.capacity = max(1, limit)
                self.interval = interval


class _Leaving(threading.local):
    """Per thread: how to re-stamp the request this thread is about to send."""

    stamp: Callable[[], None] | None = None


_leaving = _Leaving()


@dataclass
class _Departure:
    """One request's entry in the rate log, stamped when it leaves.

    A request sent by a client refman cannot hook (habanero's own HTTP client,
    which may even import itself first) is stamped when it returns: it cannot
    have reached the server later than that.
    """

    limiter: RateLimiter
    entry: list[float] | None
    stamped: bool = False

    def stamp(self) -> None:
        """The request has just been written to the socket."""
        if self.entry is not None:
            self.limiter.restamp(self.entry)
        self.stamped = True

    def settle(self) -> None:
        """After the call: stamp it now if it left unseen."""
        if not self.stamped:
            self.stamp()


def stamp_departure() -> None:
    """Called once a request is written to its socket (``requests`` connection pools)."""
    if _leaving.stamp is not None:
        _leaving.stamp()


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry a transient failure."""

    attempts: int = 5
    backoff: float = 0.5
    max_backoff: float = 8.0

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before attempt ``attempt + 1``: Retry-After, else jittered backoff."""
        if retry_after is not None:
            return retry_after + random.uniform(0, 0.2)
        ceiling = min(self.max_backoff, self.backoff * 2**attempt)
        return random.uniform(ceiling / 2, ceiling)


class Throttle:
    """Concurrency semaphore + rate limiter + retries around any request function.

    Shared by the ``requests`` path and the habanero path, so both obey the
    same pool limits.
    """

    def __init__(
        self,
        *,
        rate: float,
        concurrency: int,
        policy: RetryPolicy | None = None,
        service: str = "the service",
    ) -> None:
        self.limiter = RateLimiter(rate)
        self._slots = threading.BoundedSemaphore(max(1, concurrency))
        self.policy = policy or RetryPolicy()
        self.service = service
        self.down: str | None = None
        self.requests = 0

    def run(self, op: Callable[[], T]) -> T:
        """Run ``op`` under the limits, retrying ``TransientError``; map failures."""
        if self.down is not None:
            raise ServiceUnavailableError(self.down)
        last: TransientError | None = None
        for attempt in range(self.policy.attempts):
            if attempt:
                time.sleep(self.policy.delay(attempt - 1, last.retry_after if last else None))
            try:
                with self._slot():
                    departure = _Departure(self.limiter, self.limiter.acquire())
                    outer, _leaving.stamp = _leaving.stamp, departure.stamp
                    self.requests += 1
                    try:
                        return op()
                    finally:
                        _leaving.stamp = outer
                        departure.settle()
            except TransientError as exc:
                last = exc
                if exc.limited:
                    self.limiter.widen()
            except UnreachableError as exc:
                self.down = (
                    f"{self.service} could not be reached ({exc}); check the network "
                    "connection or the URL, or use --offline to work from the cache"
                )
                raise ServiceUnavailableError(self.down) from exc
        raise self._give_up(last)

    @contextlib.contextmanager
    def _slot(self) -> Iterator[None]:
        """Hold one of the concurrency slots; on leaving, hand the freed slot over at once.

        The thread waiting for the slot wakes, but needs the interpreter lock to send
        its request, and this thread goes on (reading the answer, scoring, caching)
        until it blocks or its 5 ms switch interval ends: measured against the
        simulator, 2.5-3 ms of every slot's turn-over, about 1% of the slots' time.
        ``sleep(0)`` releases the lock now, so the next request leaves within 0.2 ms.
        """
        self._slots.acquire()
        try:
            yield
        finally:
            self._slots.release()
            time.sleep(0)

    def _give_up(self, last: TransientError | None) -> ServiceUnavailableError:
        message = (
            f"{self.service} kept failing after {self.policy.attempts} attempts ({last}); "
            "try again later"
        )
        error = RateLimitedError if last is not None and last.limited else ServiceUnavailableError
        failure = error(message)
        failure.__cause__ = last
        return failure


def is_unreachable(exc: BaseException) -> bool:
    """True for failures to connect at all: DNS failure or connection refused."""
    text = repr(exc).lower()
    markers = (
        "name or service not known",
        "nodename nor servname",
        "failed to resolve",
        "temporary failure in name resolution",
        "connection refused",
        "getaddrinfo",
    )
    return any(marker in text for marker in markers)


def unreachable_reason(exc: BaseException) -> str:
    """A short human reason for a failure to connect."""
    return "connection refused" if "refused" in repr(exc).lower() else "host name not found"


def retry_after(headers: Mapping[str, str]) -> float | None:
    """``Retry-After`` in seconds (integer form; HTTP dates are rare for APIs)."""
    value = headers.get("Retry-After") or headers.get("retry-after")
    try:
        seconds = float(value) if value is not None else None
    except ValueError:
        return None
    if seconds is None:
        return None
    if seconds > MAX_RETRY_AFTER:
        raise RateLimitedError(
            f"the service asked to wait {seconds:.0f} s before trying again; try again later"
        )
    return max(seconds, 0.0)


class HttpClient:
    """One ``requests.Session`` (connection reuse) behind a ``Throttle``.

    ``requests`` is imported, and the session opened, on the first request: a
    run answered from the cache never pays for them.
    """

    def __init__(
        self,
        *,
        user_agent: str,
        timeout: float,
        throttle: Throttle,
        parent: HttpClient | None = None,
    ) -> None:
        self.user_agent = user_agent
        self.timeout = timeout
        self._timeouts = (min(CONNECT_TIMEOUT, timeout), timeout)
        self.throttle = throttle
        self._parent = parent
        self._session: requests.Session | None = None
        self._lock = threading.Lock()

    @property
    def session(self) -> requests.Session:
        """The pooled session (the parent's when this client shares one)."""
        if self._parent is not None:
            return self._parent.session
        with self._lock:
            if self._session is None:
                self._session = _stamping_session()
            return self._session

    def get(
        self,
        url: str,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        *,
        check: Callable[[bytes], object] | None = None,
    ) -> Response:
        """GET ``url``; 2xx and 4xx (other than 429) come back, the rest is retried.

        ``check`` validates a 200 body (e.g. ``json.loads``); when it raises
        ``ValueError`` the body was cut short and the request is retried.
        """
        session = self.session  # opened (and requests imported) before a rate token is taken
        outgoing = self._prepare(session, url, params, headers)
        return self.throttle.run(lambda: self._once(session, outgoing, check))

    def _prepare(
        self,
        session: requests.Session,
        url: str,
        params: Mapping[str, str] | None,
        headers: Mapping[str, str] | None,
    ) -> _Outgoing:
        """Build the request before taking a slot and a token, as ``Session.get`` would:
        the slot then only covers the exchange, and an invalid URL is reported at
        once instead of being retried."""
        import requests

        sent = {"User-Agent": self.user_agent, **(headers or {})}
        try:
            prepared = session.prepare_request(
                requests.Request("GET", url, params=params, headers=sent)
            )
        except requests.RequestException as exc:
            raise _bad_url(url, exc) from exc
        settings = session.merge_environment_settings(prepared.url, {}, None, None, None)
        return _Outgoing(prepared, url, settings)

    def _once(
        self,
        session: requests.Session,
        outgoing: _Outgoing,
        check: Callable[[bytes], object] | None,
    ) -> Response:
        import requests

        url = outgoing.url
        try:
            reply = session.send(outgoing.request, timeout=self._timeouts, **outgoing.settings)
            body = reply.content
        except requests.ConnectTimeout as exc:
            host = urlsplit(url).netloc
            raise UnreachableError(f"{host}: no connection within {self._timeouts[0]:g} s") from exc
        except requests.Timeout as exc:
            raise TransientError(f"no answer within {self.timeout:g} s") from exc
        except requests.ConnectionError as exc:
            if is_unreachable(exc):
                raise UnreachableError(
                    f"{urlsplit(url).netloc}: {unreachable_reason(exc)}"
                ) from exc
            raise TransientError(f"connection dropped: {_short(exc)}") from exc
        except (requests.exceptions.InvalidSchema, requests.exceptions.InvalidURL) as exc:
            raise _bad_url(url, exc) from exc
        except requests.RequestException as exc:
            raise TransientError(_short(exc)) from exc
        self._obey_limits(reply.headers)
        if reply.status_code in RETRY_STATUSES:
            raise TransientError(
                f"HTTP {reply.status_code}",
                retry_after(reply.headers),
                limited=reply.status_code == 429,
            )
        if reply.status_code == 200 and check is not None:
            try:
                check(body)
            except ValueError as exc:
                raise TransientError("the answer was cut short") from exc
        return Response(reply.status_code, body, reply.headers)

    def _obey_limits(self, headers: Mapping[str, str]) -> None:
        limit = headers.get("X-Rate-Limit-Limit")
        interval = headers.get("X-Rate-Limit-Interval", "1s").rstrip("s")
        try:
            if limit is not None:
                self.throttle.limiter.tighten(int(limit), float(interval))
        except ValueError:
            return

    def close(self) -> None:
        """Close pooled connections (when a session was opened)."""
        if self._session is not None:
            self._session.close()


@dataclass(frozen=True)
class _Outgoing:
    """A request ready to send (again, on a retry) and the transport settings it needs."""

    request: requests.PreparedRequest
    url: str
    settings: Mapping[str, Any]


def _stamping_session() -> requests.Session:
    """A session whose connections re-stamp a request's rate token once it is written.

    Stamped after the write, not before the send: a pause in between (a garbage
    collection, another thread holding the interpreter) once delayed a request
    93 ms past an earlier stamp, and the server counted it inside the next window
    (a 429). Behind a proxy the pools are not these, and the request counts from
    its return, which is later still.
    """
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

    class StampingHTTPConnection(HTTPConnection):
        def request(self, *args: Any, **kwargs: Any) -> None:
            super().request(*args, **kwargs)
            stamp_departure()

    class StampingHTTPSConnection(HTTPSConnection):
        def request(self, *args: Any, **kwargs: Any) -> None:
            super().request(*args, **kwargs)
            stamp_departure()

    class StampingHTTPPool(HTTPConnectionPool):
        ConnectionCls = StampingHTTPConnection

    class StampingHTTPSPool(HTTPSConnectionPool):
        ConnectionCls = StampingHTTPSConnection

    class StampingAdapter(HTTPAdapter):
        def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = {
                "http": StampingHTTPPool,
                "https": StampingHTTPSPool,
            }

    session = requests.Session()
    for prefix in ("http://", "https://"):
        session.mount(prefix, StampingAdapter())
    return session


def _bad_url(url: str, exc: BaseException) -> ConfigError:
    """A URL no request can be made to: a setting to fix, not a failure to retry."""
    return ConfigError(f"cannot request {url}: {_short(exc)}; check the service's base URL setting")


def _short(exc: BaseException) -> str:
    text = str(exc)
    return text if len(text) <= 160 else text[:157] + "..."


def raise_for_status(response: Response, service: str) -> None:
    """Map a 4xx/5xx that was not retried to a ``RefmanError`` telling what to do."""
    if response.status < 400:
        return
    detail = response.body[:200].decode("utf-8", "replace").strip()
    raise RefmanError(
        f"{service} rejected the request (HTTP {response.status}: {detail}); "
        "this is likely a bug in refman, please report it"
    )
