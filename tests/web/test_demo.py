"""`manage.py demo` (run by `make run`): a demo organisation, one account, the example case."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from refugio.interview import build
from refugio_web.models import Case, User
from tests.web.conftest import case_by_reference, example

pytestmark = pytest.mark.django_db
DEMO_PASSWORD = "another demo password"  # noqa: S105 - a test value


def _demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_it_creates_the_demo_once_and_prints_the_credentials() -> None:
    first = _demo()
    second = _demo("--password", DEMO_PASSWORD)
    assert "User name: demo-representative" in first
    password = first.split("Password:", 1)[1].strip()
    assert len(password) >= 12 and password not in second
    assert [c.reference for c in Case.objects.all()] == ["DEMO-B"]
    user = User.objects.get(username="demo-representative")
    assert user.is_org_admin
    client = Client()
    assert client.login(username="demo-representative", password=DEMO_PASSWORD)
    assert b"DEMO-B" in client.get("/").content


def test_it_loads_the_fictional_example_b_complete() -> None:
    _demo()
    case = case_by_reference("DEMO-B")
    built = build(case.draft)
    assert built.app is not None
    assert built.app.model_dump() == example("b-").model_dump()
    assert case.percent_done > 80
