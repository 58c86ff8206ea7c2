"""The test infrastructure itself: the network guard and the local HTTP server."""

from __future__ import annotations

import socket
import urllib.request

import pytest

from tests.conftest import CannedResponse, LocalServer, NetworkAccessError, Request


def test_network_guard_refuses_public_addresses() -> None:
    with (
        socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock,
        pytest.raises(NetworkAccessError, match=r"192\.0\.2\.1"),
    ):
        sock.connect(("192.0.2.1", 80))


def test_network_guard_refuses_connect_ex() -> None:
    with (
        socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock,
        pytest.raises(NetworkAccessError),
    ):
        sock.connect_ex(("198.51.100.7", 443))


def test_local_server_serves_routes_and_records_requests(http_server: LocalServer) -> None:
    http_server.route("/works/10.1000/x", CannedResponse(body={"status": "ok"}))
    with urllib.request.urlopen(f"{http_server.url}/works/10.1000%2Fx?mailto=a%40b.org") as reply:
        assert reply.status == 200
        assert reply.read() == b'{"status": "ok"}'
    assert http_server.requests[0].path == "/works/10.1000/x"
    assert http_server.requests[0].query == {"mailto": ["a@b.org"]}


def test_local_server_sequences_and_handlers(http_server: LocalServer) -> None:
    http_server.route(
        "/busy",
        [CannedResponse(429, "slow down", {"Retry-After": "1"}, "text/plain"), CannedResponse()],
    )
    http_server.route("/echo", lambda req: CannedResponse(body={"q": req.query.get("q", [])}))
    with pytest.raises(urllib.error.HTTPError) as first:
        urllib.request.urlopen(f"{http_server.url}/busy")
    assert first.value.code == 429
    assert first.value.headers["Retry-After"] == "1"
    with urllib.request.urlopen(f"{http_server.url}/busy") as second:
        assert second.status == 200
    with urllib.request.urlopen(f"{http_server.url}/echo?q=x") as echo:
        assert echo.read() == b'{"q": ["x"]}'
    assert isinstance(http_server.requests[-1], Request)


def test_unknown_route_is_crossref_404(http_server: LocalServer) -> None:
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"{http_server.url}/works/10.1000/none")
    assert missing.value.code == 404
    assert missing.value.read() == b"Resource not found."
