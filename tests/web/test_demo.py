"""`manage.py demo` (run by `make run`): a demo organisation, one account with its second factor,
the example case; `manage.py demo_code` prints the demo account's current code."""

from __future__ import annotations

import base64
import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings

from refugio.interview import build
from refugio_web.accounts import totp_code
from refugio_web.models import Authenticator, Case, User
from tests.web.conftest import case_by_reference, example

pytestmark = pytest.mark.django_db
DEMO_PASSWORD = "another demo password"  # noqa: S105 - a test value


def _demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def _printed(output: str, label: str) -> str:
    found = re.search(rf"^{label}:\s+(\S+)$", output, re.MULTILINE)
    assert found, output
    return found[1]


def _key(output: str) -> str:
    found = re.search(r"with the key ([A-Z2-7 ]+)$", output, re.MULTILINE)
    assert found, output
    return found[1].replace(" ", "")


def test_it_creates_the_demo_once_and_prints_the_credentials() -> None:
    first = _demo()
    second = _demo("--password", DEMO_PASSWORD)
    assert _printed(first, "User name") == "demo-representative"
    password = _printed(first, "Password")
    assert len(password) >= 12 and password not in second
    assert [c.reference for c in Case.objects.all()] == ["DEMO-B"]
    user = User.objects.get(username="demo-representative")
    assert user.is_org_admin
    assert _key(first) == _key(second)  # the authenticator app set up once keeps working
    device = Authenticator.objects.get(user=user, confirmed=True)
    assert base64.b32decode(_key(first)) == device.secret
    assert f"otpauth://totp/Refugio%3Ademo-representative?secret={_key(first)}" in first
    assert "manage.py demo_code" in first


def test_a_newcomer_logs_in_with_what_the_demo_prints() -> None:
    """The printed key in an authenticator app (computed here as the app would) and the
    password: the case list shows the demo case."""
    output = _demo("--password", DEMO_PASSWORD)
    code = totp_code(base64.b32decode(_key(output)))
    client = Client()
    form = {"username": "demo-representative", "password": DEMO_PASSWORD}
    r = client.post("/login/", {**form, "code": code})
    assert r.status_code == 302
    assert b"DEMO-B" in client.get("/").content


def test_demo_code_prints_the_current_code_only_for_the_local_demo() -> None:
    _demo("--password", DEMO_PASSWORD)
    with override_settings(DEBUG=False), pytest.raises(CommandError):
        call_command("demo_code", stdout=io.StringIO())
    out = io.StringIO()
    with override_settings(DEBUG=True):
        call_command("demo_code", stdout=out)
    code = out.getvalue().split()[0]
    form = {"username": "demo-representative", "password": DEMO_PASSWORD, "code": code}
    assert Client().post("/login/", form).status_code == 302


def test_it_loads_the_fictional_example_b_complete() -> None:
    _demo()
    case = case_by_reference("DEMO-B")
    built = build(case.draft)
    assert built.app is not None
    assert built.app.model_dump() == example("b-").model_dump()
    assert case.percent_done > 80
