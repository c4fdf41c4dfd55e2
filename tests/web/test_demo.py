"""`manage.py demo` (run by `make run`): a demo organisation, one account with its second factor,
the example case with its fictional dossier, only with REFUGIO_DEBUG=1; `manage.py demo_code`
prints the demo account's current code."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings

from refugio.claim.model import Dossier
from refugio.interview import build
from refugio.uploads import Kind
from refugio_web import dossiers, files
from refugio_web.accounts import totp_code
from refugio_web.models import Authenticator, Case, User
from tests.web.conftest import case_by_reference, example

pytestmark = pytest.mark.django_db
DEMO_PASSWORD = "another demo password"  # noqa: S105 - a test value
EXAMPLE_DOSSIER = Path(__file__).resolve().parents[2] / "examples" / "dossiers"


@pytest.fixture(autouse=True)
def files_dir(settings: Any, tmp_path: Path) -> Path:
    settings.REFUGIO_FILES_DIR = tmp_path / "files"
    return tmp_path / "files"


def _demo(*args: str) -> str:
    out = io.StringIO()
    with override_settings(DEBUG=True):  # `make run` sets REFUGIO_DEBUG=1
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


def test_it_refuses_to_run_outside_the_local_demo() -> None:
    """It makes an admin account and prints its password: never on a real installation."""
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="REFUGIO_DEBUG=1"):
        call_command("demo", stdout=io.StringIO())
    assert not User.objects.exists() and not Case.objects.exists()


def test_it_gives_the_demo_case_the_example_dossier_with_sealed_specimens_once(
    files_dir: Path,
) -> None:
    _demo()
    case = case_by_reference("DEMO-B")
    dossier = dossiers.dossier_of(case)
    example_ = Dossier.model_validate_json(
        (EXAMPLE_DOSSIER / "b-dissident-businessman.json").read_text(encoding="utf-8")
    )
    assert [x.id for x in dossier.evidence] == [x.id for x in example_.evidence]
    assert dossier.declaration == example_.declaration and dossier.events == example_.events
    refs = [x.file for x in dossier.evidence]
    refs += [x.translation.file for x in dossier.evidence if x.translation is not None]
    assert len(refs) == len(set(refs)) == len(list((files_dir / str(case.pk)).iterdir()))
    for ref in refs:  # every file is a stored, sealed specimen, found by its id
        stored = files.read(case.pk, ref, key=case._key())
        assert stored.kind in (Kind.PDF, Kind.PNG)
        assert b"FICTIONAL" not in (files_dir / str(case.pk) / ref).read_bytes()
    version = case.dossier_version
    _demo()
    assert case_by_reference("DEMO-B").dossier_version == version  # not added twice
    assert len(list((files_dir / str(case.pk)).iterdir())) == len(refs)
