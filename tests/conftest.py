"""Shared fixtures: where the official blanks are, the example cases, and filled outputs.

The blanks are never copied into the repository: they are read from REFUGIO_FORMS_DIR, which
defaults to ../shared/forms beside the checkout (README, "Tests").
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from refugio.editions import EDITIONS, Edition
from refugio.model import Application

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
TODAY = dt.date(2026, 11, 26)


def forms_dir() -> Path:
    return Path(os.environ.get("REFUGIO_FORMS_DIR", ROOT.parent / "shared" / "forms"))


def blank_path(edition: Edition) -> Path:
    """The blank of ``edition``; without it the test is skipped, or fails where CI requires it
    (REFUGIO_REQUIRE_FORMS=1 in .ci/run: a suite that skipped every fill test would pass)."""
    path = forms_dir() / edition.filename
    if not path.exists():
        message = f"blank {edition.filename} not found in {forms_dir()} (set REFUGIO_FORMS_DIR)"
        if os.environ.get("REFUGIO_REQUIRE_FORMS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path


def load_example(name: str) -> Application:
    return Application.model_validate_json((EXAMPLES / name).read_text(encoding="utf-8"))


@pytest.fixture(params=list(EDITIONS), ids=lambda e: e.replace("/", "-"))
def edition(request: pytest.FixtureRequest) -> Edition:
    return EDITIONS[request.param]


class NetworkGuard:
    """Refuses every connection to another machine, records it, and fails the test that tried.

    Refugio makes no outbound network call at run time (issue 4, point 5): a form, a font or a
    library phoning home would tell a third party that someone is preparing an asylum
    application (8 CFR 208.6). Loopback stays allowed — the live server of the browser tests,
    PostgreSQL on localhost or a Unix socket — and so does a name lookup of ``localhost``; any
    other address, and any other name (its lookup is itself a network call), is refused.
    The refusal is an ``AssertionError`` (code that catches ``OSError`` cannot mistake it for
    a network failure) and is also recorded, so that even code catching every exception fails
    its test (``_network_guard_verdict``). Connections made by native code (libpq, Chromium)
    are not seen here; the browser tests watch Chromium's requests themselves.
    """

    def __init__(self) -> None:
        self.refused: list[str] = []

    @staticmethod
    def is_local(address: object) -> bool:
        if not isinstance(address, tuple):  # AF_UNIX path (str or bytes)
            return isinstance(address, str | bytes)
        host = address[0]
        if host == "localhost":
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False

    def check(self, what: str, address: object) -> None:
        if not self.is_local(address):
            self.refused.append(f"{what} {address!r}")
            raise AssertionError(f"a test tried to reach another machine: {what} {address!r}")

    def install(self, patch: pytest.MonkeyPatch) -> None:
        guard = self
        real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
        real_sendto, real_getaddrinfo = socket.socket.sendto, socket.getaddrinfo

        def connect(sock: socket.socket, address: Any) -> None:
            guard.check("connect", address)
            real_connect(sock, address)

        def connect_ex(sock: socket.socket, address: Any) -> int:
            guard.check("connect", address)
            return real_connect_ex(sock, address)

        def sendto(sock: socket.socket, data: Any, *rest: Any) -> int:
            guard.check("sendto", rest[-1])
            return real_sendto(sock, data, *rest)

        def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
            if host is not None:
                name = host.decode() if isinstance(host, bytes) else str(host)
                guard.check("lookup", (name, port))
            return real_getaddrinfo(host, port, *args, **kwargs)

        patch.setattr(socket.socket, "connect", connect)
        patch.setattr(socket.socket, "connect_ex", connect_ex)
        patch.setattr(socket.socket, "sendto", sendto)
        patch.setattr(socket, "getaddrinfo", getaddrinfo)


NETWORK = NetworkGuard()


@pytest.fixture(autouse=True, scope="session")
def _network_guard() -> Iterator[NetworkGuard]:
    """The guard, on for the whole session (every thread: the live server's too)."""
    with pytest.MonkeyPatch.context() as patch:
        NETWORK.install(patch)
        yield NETWORK


@pytest.fixture(autouse=True)
def _network_guard_verdict(_network_guard: NetworkGuard) -> Iterator[None]:
    """Fails the test during which a connection to another machine was tried, even if the
    code under test caught the refusal."""
    _network_guard.refused.clear()
    yield
    refused, _network_guard.refused[:] = list(_network_guard.refused), []
    if refused:
        pytest.fail(f"network access refused during the test: {refused}", pytrace=False)
