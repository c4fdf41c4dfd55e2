"""Web-app fixtures. Personas (healthchecks style): Alice is a representative who owns the case,
Bob works in her organisation, Charlie is in another organisation and must never see it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from refugio.interview import from_application
from refugio.model import Application
from refugio_web.accounts import current_code
from refugio_web.models import Authenticator, Case, Organisation, Role, User

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PASSWORD = "correct horse battery staple"  # noqa: S105 - test persona, fictional


def example(name: str) -> Application:
    path = next(EXAMPLES.glob(f"{name}*.json"))
    return Application.model_validate(json.loads(path.read_text(encoding="utf-8")))


@pytest.fixture
def org(db: Any) -> Organisation:
    return Organisation.objects.create(name="Alice's Legal Aid (fictional)")


def with_device(user: User) -> User:
    """Every persona has a confirmed authenticator: every account needs two factors."""
    Authenticator.new(user, confirmed=True).save(force_insert=True)
    return user


@pytest.fixture
def alice(org: Organisation) -> User:
    return with_device(
        User.objects.create_user("alice", password=PASSWORD, organisation=org, role=Role.ADMIN)
    )


@pytest.fixture
def bob(org: Organisation) -> User:
    return with_device(
        User.objects.create_user(
            "bob", password=PASSWORD, organisation=org, role=Role.REPRESENTATIVE
        )
    )


@pytest.fixture
def charlie(db: Any) -> User:
    other = Organisation.objects.create(name="Charlie's Office (fictional)")
    return with_device(
        User.objects.create_user("charlie", password=PASSWORD, organisation=other, role=Role.ADMIN)
    )


def make_case(user: User, reference: str, draft: dict[str, Any] | None = None) -> Case:
    """A case of ``user``'s organisation, sealed as the app seals it, without an audit record."""
    case = Case(organisation=user.organisation, created_by=user)
    case.reference = reference
    case.draft = draft or {"meta": {}}
    case.save(force_insert=True)
    case.members.add(user)  # as the app does: whoever opens a case works on it
    return case


def case_by_reference(reference: str) -> Case:
    """The one case with this reference (references are sealed: each case is opened to look)."""
    found = [c for c in Case.objects.all() if c.reference == reference]
    assert len(found) == 1, f"{len(found)} cases named {reference!r}"
    return found[0]


@pytest.fixture
def case(alice: User) -> Case:
    """An empty case of Alice's organisation."""
    return make_case(alice, "T-1")


@pytest.fixture
def case_b(alice: User) -> Case:
    """The fictional example (b), complete, in Alice's organisation."""
    return make_case(alice, "T-B", from_application(example("b-")))


def code_for(user: User, at: float | None = None) -> str:
    """The current code (or the code at ``at``) of the user's authenticator, read from the
    database as the phone app would compute it."""
    return current_code(Authenticator.objects.get(user=user, confirmed=True), at)


def fresh_code(user: User) -> str:
    """The current code, usable even if this persona already logged in within these 30 s: a
    code is accepted once, so the device's last used step is forgotten first (a test-only
    shortcut; the replay refusal itself is tested in test_auth.py)."""
    Authenticator.objects.filter(user=user).update(last_t=-1)
    return code_for(user)


def log_in(client: Client, user: User, password: str = PASSWORD) -> Any:
    """Post the login form with the password and the current code."""
    form = {"username": user.username, "password": password, "code": code_for(user)}
    return client.post("/login/", form)


def logged_in(user: User) -> Client:
    """A client through the real login page, with both factors: a verified session."""
    client = Client()
    form = {"username": user.username, "password": PASSWORD, "code": fresh_code(user)}
    response = client.post("/login/", form)
    assert response.status_code == 302, "login failed"
    return client


def sample_pdf(text: str = "Fictional summons") -> bytes:
    """A one-page PDF with ``text`` on it (made here: fictional, never a real document)."""
    import io

    import pikepdf

    pdf = pikepdf.new()
    page = pdf.add_blank_page()
    page.Contents = pdf.make_stream(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode())
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def seed_dossier(case: Case) -> None:
    """A dossier with event ``e1`` and evidence ``x1`` (a stored PDF) linked to each other,
    sealed as the app seals it, without an audit record."""
    from refugio.claim.model import Dossier, Event, Evidence, When
    from refugio.uploads import inspect
    from refugio_web import files

    file_id = files.store(case.pk, inspect(sample_pdf(), "x.pdf"), key=case._key())
    dossier = Dossier(
        events=[Event(id="e1", when=When(year=2016, month=3), evidence=["x1"])],
        evidence=[Evidence(id="x1", title="Summons", file=file_id, events=["e1"])],
    )
    case.dossier = dossier.model_dump(mode="json")
    case.save()
