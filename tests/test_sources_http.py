"""The polite HTTP layer over a local server: retries, Retry-After, limits, unreachable hosts."""

from __future__ import annotations

import json
import socket

import pytest

from refman.errors import ConfigError, RateLimitedError, RefmanError, ServiceUnavailableError
from refman.sources import http as http_module
from refman.sources.http import (
    MARGIN_STEP,
    MAX_MARGIN,
    HttpClient,
    RateLimiter,
    RetryPolicy,
    Throttle,
    TransientError,
    is_unreachable,
    raise_for_status,
    retry_after,
)
from tests.conftest import CannedResponse, LocalServer

OK = CannedResponse(200, {"status": "ok", "message": {}})


def client(attempts: int = 3) -> HttpClient:
    policy = RetryPolicy(attempts=attempts, backoff=0.0, max_backoff=0.0)
    throttle = Throttle(rate=1000, concurrency=2, policy=policy, service="Test API")
    return HttpClient(user_agent="refman-test (mailto:t@example.org)", timeout=5, throttle=throttle)


def closed_port() -> int:
    """A loopback port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.mark.parametrize(
    "first",
    [
        pytest.param(CannedResponse(500, "<h1>500</h1>", content_type="text/html"), id="500"),
        pytest.param(CannedResponse(503, "busy", {"Retry-After": "0"}, "text/plain"), id="503"),
        pytest.param(
            CannedResponse(429, "slow down", {"Retry-After": "0"}, "text/plain"), id="429"
        ),
        pytest.param(CannedResponse(200, '{"status": "ok", "mess'), id="truncated-json"),
    ],
)
def test_transient_failure_is_retried(http_server: LocalServer, first: CannedResponse) -> None:
    http_server.route("/works", [first, OK])
    response = client().get(f"{http_server.url}/works", check=json.loads)
    assert response.status == 200
    assert len(http_server.requests) == 2


def test_attempts_are_bounded_and_429_maps_to_rate_limited(http_server: LocalServer) -> None:
    http_server.route("/works", CannedResponse(429, "no", {"Retry-After": "0"}, "text/plain"))
    with pytest.raises(RateLimitedError, match="kept failing after 3 attempts"):
        client(attempts=3).get(f"{http_server.url}/works")
    assert len(http_server.requests) == 3


def test_5xx_after_all_attempts_is_service_unavailable(http_server: LocalServer) -> None:
    http_server.route("/works", CannedResponse(500, "x", content_type="text/plain"))
    with pytest.raises(ServiceUnavailableError) as caught:
        client(attempts=2).get(f"{http_server.url}/works")
    assert not isinstance(caught.value, RateLimitedError)
    assert isinstance(caught.value.__cause__, TransientError)


def test_404_and_400_come_back_unretried(http_server: LocalServer) -> None:
    http_server.route("/works/10.1/x", CannedResponse(404, "Resource not found.", {}, "text/plain"))
    http_server.route("/works", CannedResponse(400, {"status": "failed"}))
    http = client()
    assert http.get(f"{http_server.url}/works/10.1/x").status == 404
    bad = http.get(f"{http_server.url}/works")
    assert bad.status == 400
    with pytest.raises(RefmanError, match="rejected the request"):
        raise_for_status(bad, "Test API")
    assert len(http_server.requests) == 2


def test_user_agent_carries_the_mailto(http_server: LocalServer) -> None:
    http_server.route("/works", OK)
    client().get(f"{http_server.url}/works")
    assert "mailto:t@example.org" in http_server.requests[0].headers["user-agent"]


def test_refused_connection_fails_fast_and_marks_the_service_down() -> None:
    http = client(attempts=5)
    url = f"http://127.0.0.1:{closed_port()}/works"
    with pytest.raises(ServiceUnavailableError, match=r"could not be reached.*connection refused"):
        http.get(url)
    assert http.throttle.down is not None
    assert http.throttle.requests == 1  # not retried
    with pytest.raises(ServiceUnavailableError):
        http.get(url)
    assert http.throttle.requests == 1  # the second call did not even try


@pytest.mark.parametrize(
    ("url", "attempts"),
    [
        pytest.param("api.example.org/works", 0, id="no-scheme"),
        pytest.param("http:///works", 0, id="no-host"),
        pytest.param("gopher://example.org/works", 1, id="unsupported-scheme"),
    ],
)
def test_an_invalid_url_is_a_config_error_not_retried(url: str, attempts: int) -> None:
    http = client(attempts=5)
    with pytest.raises(ConfigError, match=r"cannot request .*check the service's base URL"):
        http.get(url)
    assert http.throttle.requests == attempts


def test_server_rate_limit_header_tightens_the_limiter(http_server: LocalServer) -> None:
    http_server.route(
        "/works",
        CannedResponse(200, {}, {"X-Rate-Limit-Limit": "5", "X-Rate-Limit-Interval": "1s"}),
    )
    http = client()
    http.get(f"{http_server.url}/works")
    limiter = http.throttle.limiter
    assert (limiter.capacity, limiter.interval) == (5, 1.0)


def test_a_429_widens_the_rate_window(http_server: LocalServer) -> None:
    http_server.route(
        "/works", [CannedResponse(429, "slow down", {"Retry-After": "0"}, "text/plain"), OK]
    )
    http = client()
    before = http.throttle.limiter.margin
    assert http.get(f"{http_server.url}/works").status == 200
    assert http.throttle.limiter.margin == pytest.approx(before + MARGIN_STEP)


class FakeClock:
    """``time`` for the limiter: sleeping moves the clock, nothing waits."""

    def __init__(self) -> None:
        self.now = 100.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.mark.parametrize(
    ("restamp_after", "margin", "next_start"),
    [
        pytest.param(None, 0.0, 101.0, id="counted-from-the-token"),
        pytest.param(0.5, 0.0, 101.5, id="counted-from-departure"),
        pytest.param(None, 0.25, 101.25, id="margin-widens-the-window"),
    ],
)
def test_rate_window(
    monkeypatch: pytest.MonkeyPatch, restamp_after: float | None, margin: float, next_start: float
) -> None:
    clock = FakeClock()
    monkeypatch.setattr(http_module, "time", clock)
    limiter = RateLimiter(rate=1, margin=margin)
    entry = limiter.acquire()
    assert entry is not None
    if restamp_after is not None:
        clock.now += restamp_after
        limiter.restamp(entry)
    limiter.acquire()
    assert clock.now == pytest.approx(next_start)


def test_requests_are_restamped_as_they_leave(
    http_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    http_server.route("/works", OK)
    http = client()
    stamped: list[list[float]] = []
    written: list[bool] = []
    stamp_departure = http_module.stamp_departure

    def stamp_once_written() -> None:
        written.append(True)
        stamp_departure()

    monkeypatch.setattr(http.throttle.limiter, "restamp", stamped.append)
    monkeypatch.setattr(http_module, "stamp_departure", stamp_once_written)
    http.get(f"{http_server.url}/works")
    assert written == [True]  # by the connection, not by the fallback at return
    assert stamped == [http.throttle.limiter.starts[-1]]
    assert stamped[0] is http.throttle.limiter.starts[-1]


def test_https_connections_are_stamped_too() -> None:
    from urllib3.connection import HTTPSConnection

    session = http_module._stamping_session()
    pools = session.get_adapter("https://api.crossref.org").poolmanager.pool_classes_by_scheme
    connection = pools["https"].ConnectionCls
    assert issubclass(connection, HTTPSConnection)
    assert connection.request is not HTTPSConnection.request


def test_a_request_sent_unseen_counts_from_its_return(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeClock()
    monkeypatch.setattr(http_module, "time", clock)
    throttle = Throttle(rate=10, concurrency=1)

    def slow_foreign_client() -> str:
        clock.now += 0.3  # e.g. habanero importing itself, then its request
        return "answer"

    assert throttle.run(slow_foreign_client) == "answer"
    assert [entry[0] for entry in throttle.limiter.starts] == [pytest.approx(100.3)]


def test_the_widened_margin_is_bounded() -> None:
    limiter = RateLimiter(rate=10)
    for _ in range(20):
        limiter.widen()
    assert limiter.margin == MAX_MARGIN


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        pytest.param({"Retry-After": "2"}, 2.0, id="seconds"),
        pytest.param({"retry-after": "0"}, 0.0, id="lower-case"),
        pytest.param({}, None, id="absent"),
        pytest.param({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, None, id="http-date"),
    ],
)
def test_retry_after(headers: dict[str, str], expected: float | None) -> None:
    assert retry_after(headers) == expected


def test_retry_after_too_long_is_reported_not_obeyed() -> None:
    with pytest.raises(RateLimitedError, match="wait 3600 s"):
        retry_after({"Retry-After": "3600"})


def test_rate_limiter_admits_up_to_capacity_without_waiting() -> None:
    limiter = RateLimiter(rate=4, interval=1)
    for _ in range(4):
        limiter.acquire()
    assert limiter.capacity == 4
    assert len(limiter.starts) == 4


@pytest.mark.parametrize(
    "op_fails", [pytest.param(False, id="answer"), pytest.param(True, id="failure")]
)
def test_a_freed_slot_is_handed_over_at_once(
    monkeypatch: pytest.MonkeyPatch, op_fails: bool
) -> None:
    """After the slot is released, the thread yields (sleep(0)) so a waiter can send now."""
    policy = RetryPolicy(attempts=1, backoff=0.0, max_backoff=0.0)
    throttle = Throttle(rate=0, concurrency=1, policy=policy)
    yields: list[bool] = []

    def sleep(seconds: float) -> None:
        if seconds == 0:
            free = throttle._slots.acquire(blocking=False)
            yields.append(free)
            if free:
                throttle._slots.release()

    def op() -> str:
        if op_fails:
            raise TransientError("HTTP 503")
        return "answer"

    monkeypatch.setattr(http_module.time, "sleep", sleep)
    if op_fails:
        with pytest.raises(ServiceUnavailableError):
            throttle.run(op)
    else:
        assert throttle.run(op) == "answer"
    assert yields == [True]


@pytest.mark.parametrize(
    ("attempt", "retry", "low", "high"),
    [
        pytest.param(0, None, 0.25, 0.5, id="first-backoff"),
        pytest.param(3, None, 2.0, 4.0, id="exponential"),
        pytest.param(10, None, 4.0, 8.0, id="capped"),
        pytest.param(0, 1.0, 1.0, 1.2, id="retry-after-wins"),
    ],
)
def test_backoff_delay(attempt: int, retry: float | None, low: float, high: float) -> None:
    delay = RetryPolicy(backoff=0.5, max_backoff=8.0).delay(attempt, retry)
    assert low <= delay <= high


@pytest.mark.parametrize(
    ("message", "unreachable"),
    [
        pytest.param(
            "NameResolutionError: Failed to resolve 'api.crossref.org' ([Errno -3] Temporary "
            "failure in name resolution)",
            True,
            id="dns-failure",
        ),
        pytest.param("[Errno -2] Name or service not known", True, id="unknown-host"),
        pytest.param("[Errno 111] Connection refused", True, id="refused"),
        pytest.param("RemoteDisconnected('Remote end closed connection')", False, id="dropped"),
        pytest.param("Read timed out. (read timeout=10)", False, id="read-timeout"),
    ],
)
def test_which_failures_mean_unreachable(message: str, unreachable: bool) -> None:
    assert is_unreachable(OSError(message)) is unreachable
