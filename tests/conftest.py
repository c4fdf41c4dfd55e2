"""Shared fixtures: where the official blanks are, the example cases, and filled outputs.

The blanks are never copied into the repository: they are read from REFUGIO_FORMS_DIR, which
defaults to ../shared/forms beside the checkout (README, "Tests").
"""

from __future__ import annotations

import datetime as dt
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


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Refugio makes no network calls at run time; any attempt in a test fails it."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a test tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    yield
