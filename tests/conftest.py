"""Shared test infrastructure.

- ``no_network`` (autouse): any connection to a non-loopback address fails the test.
- ``http_server``: a local HTTP server on 127.0.0.1 (ephemeral port) that serves
  canned responses, so adapters are tested over real HTTP.
- ``cli``: runs the typer app in-process with an isolated environment.
- ``SHARED``: the read-only ``../shared`` folder beside the project, when present.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from typer.testing import CliRunner, Result

from refman.cli.app import app

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"
FIXTURES = SHARED / "fixtures" / "crossref"
TEST_DATA = Path(__file__).resolve().parent / "data"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test with a reason when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared material is not beside this checkout")
    return path


# --- no network -------------------------------------------------------------------------------


class NetworkAccessError(AssertionError):
    """A test tried to reach a host other than loopback."""


def _is_loopback(address: Any) -> bool:
    if isinstance(address, tuple) and address:
        host = address[0]
    else:
        return True  # AF_UNIX paths are local
    if host in {"localhost", ""}:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that opens a connection to a non-loopback address."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def guarded_connect(sock: socket.socket, address: Any) -> Any:
        if not _is_loopback(address):
            raise NetworkAccessError(f"test tried to connect to {address!r}")
        return real_connect(sock, address)

    def guarded_connect_ex(sock: socket.socket, address: Any) -> Any:
        if not _is_loopback(address):
            raise NetworkAccessError(f"test tried to connect to {address!r}")
        return real_connect_ex(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)


# --- local HTTP server ------------------------------------------------------------------------


@dataclass
class CannedResponse:
    """What the local server answers for one route."""

    status: int = 200
    body: bytes | str | dict[str, Any] | list[Any] = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"

    def encoded(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return json.dumps(self.body).encode("utf-8")


@dataclass
class Request:
    """One request the local server received."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]


Handler = Callable[[Request], CannedResponse]


@dataclass
class LocalServer:
    """A loopback HTTP server whose routes a test sets: exact path -> response or handler."""

    url: str
    routes: dict[str, CannedResponse | Handler | list[CannedResponse]] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    default: CannedResponse = field(
        default_factory=lambda: CannedResponse(
            404, "Resource not found.", content_type="text/plain"
        )
    )

    def route(self, path: str, response: CannedResponse | Handler | list[CannedResponse]) -> None:
        """Answer requests for ``path`` (percent-decoded, without query) with ``response``.

        A list is answered in order, one item per request, the last repeating.
        """
        self.routes[path] = response

    def answer(self, request: Request) -> CannedResponse:
        self.requests.append(request)
        entry = self.routes.get(request.path) or self.routes.get("*")
        if entry is None:
            return self.default
        if isinstance(entry, list):
            return entry.pop(0) if len(entry) > 1 else entry[0]
        if isinstance(entry, CannedResponse):
            return entry
        return entry(request)


def _make_handler(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    from urllib.parse import unquote

    class _Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            request = Request(
                method="GET",
                path=unquote(parts.path),
                query=parse_qs(parts.query),
                headers={k.lower(): v for k, v in self.headers.items()},
            )
            response = server.answer(request)
            body = response.encoded()
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Keep test output clean."""

    return _Handler


@pytest.fixture
def http_server() -> Iterator[LocalServer]:
    """A live HTTP server on 127.0.0.1 with an ephemeral port."""
    holder = LocalServer(url="")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(holder))
    httpd.daemon_threads = True
    holder.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield holder
    finally:
        httpd.shutdown()
        httpd.server_close()


def load_fixture(name: str) -> dict[str, Any]:
    """A recorded Crossref response body from ../shared/fixtures/crossref (skip when absent)."""
    data: dict[str, Any] = json.loads(shared_path("fixtures", "crossref", name).read_text("utf-8"))
    return data


# --- CLI --------------------------------------------------------------------------------------


@dataclass
class Cli:
    """Runs refman in-process with a clean environment rooted in a temporary directory."""

    tmp_path: Path
    env: dict[str, str]

    def __call__(self, *args: str, input: str | None = None) -> Result:
        runner = CliRunner()
        return runner.invoke(app, list(args), input=input, env=self.env, catch_exceptions=False)


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """A CLI runner whose library, cache and config live under ``tmp_path``."""
    env = {
        "REFMAN_LIBRARY": str(tmp_path / "library.bib"),
        "REFMAN_CACHE_DIR": str(tmp_path / "cache"),
        "REFMAN_CONFIG": str(tmp_path / "config.toml"),
        "REFMAN_MAILTO": "",
        "REFMAN_CROSSREF_URL": "http://127.0.0.1:9",
        "REFMAN_OFFLINE": "",
    }
    for name in ("REFMAN_LIBRARY", "REFMAN_CACHE_DIR", "REFMAN_CONFIG", "REFMAN_CROSSREF_URL"):
        monkeypatch.setenv(name, env[name])
    monkeypatch.chdir(tmp_path)
    return Cli(tmp_path=tmp_path, env=env)
