"""Roles and per-case access (issue 4, points 2 and 8): every case URL × every role × assigned,
unassigned and another organisation — allowed where the table says, 404 everywhere else.

The expected table is written out here by hand, not derived from refugio_web.access, so that a
change to the rules has to be made twice, on purpose.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from refugio.editions import DEFAULT_EDITION, get_edition
from refugio_web.models import AccessEvent, Case, Organisation, Role, User
from tests.conftest import blank_path
from tests.web.conftest import (
    PASSWORD,
    example,
    logged_in,
    make_case,
    sample_pdf,
    seed_dossier,
    with_device,
)

# What each role may do on a case it can reach (assigned, or any case of its office for admins).
MAY: dict[str, set[str]] = {
    Role.ADMIN: {"view", "edit", "translate", "export", "delete", "assign"},
    Role.REPRESENTATIVE: {"view", "edit", "translate", "export"},
    Role.STAFF: {"view", "edit", "translate", "export"},
    # Interpreters read, and change translations in the dossier only (issue 5, point 5).
    Role.INTERPRETER: {"view", "translate"},
    Role.APPLICANT: {"view", "edit", "translate", "export"},
}

Request = Callable[[Client, Case], Any]


def _get(path: str) -> Request:
    return lambda client, case: client.get(path.format(id=case.pk))


def _post(path: str, data: dict[str, str]) -> Request:
    return lambda client, case: client.post(path.format(id=case.pk), data)


EVENT = {"when": "2016-03", "summary_en": "Translated", "kinds": "detention"}
EVIDENCE = {"version": "1", "title": "Summons (fictional)", "kind": "official", "language": "en"}
DECLARATION = {"version": "1", "count": "0", "language": "ru"}


def _pdf() -> io.BytesIO:
    upload = io.BytesIO(sample_pdf())
    upload.name = "summons.pdf"
    return upload


# Every URL that names a case, with the right it needs; deleting comes last.
URLS: list[tuple[str, str, Request]] = [
    ("case page", "view", _get("/cases/{id}/")),
    ("review", "view", _get("/cases/{id}/review/")),
    ("screen", "edit", _get("/cases/{id}/step/identity/")),
    (
        "save a screen",
        "edit",
        _post(
            "/cases/{id}/step/identity/",
            {"version": "1", "action": "save", "applicant.last_name": "Changed"},
        ),
    ),
    ("download", "export", _get("/cases/{id}/i-589.pdf")),
    ("preview", "export", _get("/cases/{id}/preview/")),
    ("preview page", "export", _get("/cases/{id}/preview/1.png")),
    ("people page", "assign", _get("/cases/{id}/people/")),
    (
        "assign someone",
        "assign",
        lambda client, case: client.post(
            f"/cases/{case.pk}/people/", {"action": f"add-{case.created_by_id}"}
        ),
    ),
    # The dossier (issue 5): the case holds event e1 and evidence x1 (tests.web.conftest).
    ("timeline", "view", _get("/cases/{id}/timeline/")),
    ("event page", "translate", _get("/cases/{id}/timeline/e1/")),
    ("save an event", "translate", _post("/cases/{id}/timeline/e1/", {**EVENT, "version": "1"})),
    ("new event page", "edit", _get("/cases/{id}/timeline/new/")),
    ("add an event", "edit", _post("/cases/{id}/timeline/new/", {**EVENT, "version": "1"})),
    ("evidence", "view", _get("/cases/{id}/evidence/")),
    ("upload page", "edit", _get("/cases/{id}/evidence/new/")),
    (
        "upload a document",
        "edit",
        lambda client, case: client.post(
            f"/cases/{case.pk}/evidence/new/", {**EVIDENCE, "document": _pdf()}
        ),
    ),
    ("evidence page", "edit", _get("/cases/{id}/evidence/x1/")),
    ("save evidence", "edit", _post("/cases/{id}/evidence/x1/", EVIDENCE)),
    ("declaration", "translate", _get("/cases/{id}/declaration/")),
    (
        "save the declaration",
        "translate",
        _post("/cases/{id}/declaration/", {"version": "1", "count": "0", "action": "save"}),
    ),
    (
        "add a paragraph",
        "edit",
        _post("/cases/{id}/declaration/", {**DECLARATION, "action": "add-background"}),
    ),
    ("download a document", "export", _get("/cases/{id}/evidence/x1/document")),
    # The declaration's tools, Part B from the timeline, consistency (issue 5, points 1-3).
    ("draft the declaration", "edit", _post("/cases/{id}/declaration/draft/", {"version": "1"})),
    ("declaration as PDF", "export", _get("/cases/{id}/declaration.pdf")),
    ("declaration as DOCX", "export", _get("/cases/{id}/declaration.docx")),
    ("Part B from the timeline", "edit", _get("/cases/{id}/part-b/")),
    ("take Part B texts", "edit", _post("/cases/{id}/part-b/", {"version": "1"})),
    ("consistency", "view", _get("/cases/{id}/consistency/")),
    ("delete event page", "edit", _get("/cases/{id}/timeline/e1/delete/")),
    ("delete an event", "edit", _post("/cases/{id}/timeline/e1/delete/", {"version": "1"})),
    ("delete evidence page", "edit", _get("/cases/{id}/evidence/x1/delete/")),
    ("delete evidence", "edit", _post("/cases/{id}/evidence/x1/delete/", {"version": "1"})),
    # The filing packet (issue 5, point 7): the page shows the checklist; building and the ZIP
    # are exports. The build runs inline here, so the download finds a packet when allowed.
    ("packet page", "view", _get("/cases/{id}/packet/")),
    ("build the packet", "export", _post("/cases/{id}/packet/build/", {})),
    ("back from re-authentication", "export", _get("/cases/{id}/packet/build/")),
    ("download the packet", "export", _get("/cases/{id}/packet.zip")),
    ("delete page", "delete", _get("/cases/{id}/delete/")),
    ("delete", "delete", _post("/cases/{id}/delete/", {})),
]


def _person(org: Organisation, name: str, role: str) -> User:
    user = User.objects.create_user(name, password=PASSWORD, organisation=org, role=role)
    return with_device(user)


PERSONAS = [
    # (name, role, assigned to the case?, in the case's organisation?)
    ("alice", Role.ADMIN, False, True),  # admins reach every case of their office
    ("bob", Role.REPRESENTATIVE, True, True),
    ("bea", Role.REPRESENTATIVE, False, True),  # same office, not on this case
    ("sam", Role.STAFF, True, True),
    ("ines", Role.INTERPRETER, True, True),
    ("ana", Role.APPLICANT, True, True),  # the applicant of this case
    ("otto", Role.APPLICANT, False, True),  # an applicant of another case of the office
    ("charlie", Role.ADMIN, False, False),  # another organisation
]


@pytest.mark.parametrize(("name", "role", "assigned", "inside"), PERSONAS)
def test_every_case_url_answers_each_role_as_the_table_says(
    org: Organisation,
    name: str,
    role: str,
    assigned: bool,
    inside: bool,
    settings: Any,
    tmp_path: Path,
) -> None:
    blank_path(get_edition(DEFAULT_EDITION))  # the export URLs fill the real form
    settings.REFUGIO_FILES_DIR = tmp_path / "files"
    owner = _person(org, "owner", Role.REPRESENTATIVE)
    case = make_case(owner, "T-ACCESS", _complete())
    seed_dossier(case)
    home = org if inside else Organisation.objects.create(name="Other Office (fictional)")
    person = _person(home, name, role)
    if assigned:
        case.members.add(person)
    client = logged_in(person)
    reaches = inside and (assigned or role == Role.ADMIN)
    leaks = []
    for label, need, request in URLS:
        status = request(client, case).status_code
        expected_ok = reaches and need in MAY[role]
        if expected_ok != (status != 404) or status >= 500:
            leaks.append(f"{label}: {status}")
    assert leaks == [], f"{name} ({role})"
    listed = f'href="/cases/{case.pk}/"'.encode() in client.get("/").content
    assert listed == (reaches and Case.objects.filter(pk=case.pk).exists())


@pytest.mark.django_db
def test_a_refused_access_changes_nothing_and_is_not_recorded_as_done(
    org: Organisation, case: Case
) -> None:
    ines = _person(org, "ines", Role.INTERPRETER)
    case.members.add(ines)
    client = logged_in(ines)
    r = client.post(
        f"/cases/{case.pk}/step/identity/",
        {"version": "1", "action": "save", "applicant.last_name": "Changed"},
    )
    assert r.status_code == 404
    assert Case.objects.get(pk=case.pk).version == 1
    assert not AccessEvent.objects.filter(case_id=case.pk, action="edit").exists()
    # The interpreter reads every answer on the review page, without links to change them.
    page = client.get(f"/cases/{case.pk}/review/").content.decode()
    assert "Change answers" not in page and "Download filled I-589" not in page


@pytest.mark.django_db
def test_an_admin_assigns_and_takes_people_off_a_case(
    alice: User, bob: User, charlie: User, case: Case
) -> None:
    admin = logged_in(alice)
    assert logged_in(bob).get(f"/cases/{case.pk}/").status_code == 404
    admin.post(f"/cases/{case.pk}/people/", {"action": f"add-{bob.pk}"})
    assert logged_in(bob).get(f"/cases/{case.pk}/").status_code == 200
    # Someone of another organisation cannot be assigned.
    assert (
        admin.post(f"/cases/{case.pk}/people/", {"action": f"add-{charlie.pk}"}).status_code == 404
    )
    admin.post(f"/cases/{case.pk}/people/", {"action": f"remove-{bob.pk}"})
    assert logged_in(bob).get(f"/cases/{case.pk}/").status_code == 404
    done = AccessEvent.objects.filter(case_id=case.pk, user=alice)
    assert {"assign", "unassign"} <= set(done.values_list("action", flat=True))
    # Who was assigned is in the trail, by id (a name would put the file in the log).
    assert {e.detail["person"] for e in done.filter(action="assign")} == {bob.pk}


@pytest.mark.django_db
def test_interpreters_and_applicants_do_not_open_cases(org: Organisation) -> None:
    for name, role in (("ines", Role.INTERPRETER), ("ana", Role.APPLICANT)):
        client = logged_in(_person(org, name, role))
        assert client.get("/cases/new/").status_code == 404
        assert client.post("/cases/new/", {"reference": "X"}).status_code == 404
    assert not Case.objects.exists()


def _complete() -> dict[str, Any]:
    from refugio.interview import from_application

    return from_application(example("b-"))


@pytest.mark.django_db
def test_an_applicant_is_assigned_to_one_case_only(org: Organisation, alice: User) -> None:
    ana = _person(org, "ana", Role.APPLICANT)
    first, second = make_case(alice, "A-1"), make_case(alice, "A-2")
    admin = logged_in(alice)
    assert admin.post(f"/cases/{first.pk}/people/", {"action": f"add-{ana.pk}"}).status_code == 302
    assert f"add-{ana.pk}" not in admin.get(f"/cases/{second.pk}/people/").content.decode()
    refused = admin.post(f"/cases/{second.pk}/people/", {"action": f"add-{ana.pk}"})
    assert refused.status_code == 404
    assert list(ana.assigned_cases.all()) == [first]


@pytest.mark.django_db
def test_an_applicants_account_carries_no_name(alice: User) -> None:
    admin = logged_in(alice)
    form = {
        "username": "applicant-0417",
        "first_name": "Quispe",
        "last_name": "Fictivo",
        "role": Role.APPLICANT,
        "password": "a long fictional passphrase",
    }
    page = admin.post("/people/", form)
    assert page.status_code == 200 and b"Leave the names of an applicant" in page.content
    assert not User.objects.filter(username="applicant-0417").exists()
    assert admin.post("/people/", {**form, "first_name": "", "last_name": ""}).status_code == 302
    assert User.objects.get(username="applicant-0417").role == Role.APPLICANT


@pytest.mark.django_db
def test_accounts_are_reached_only_by_their_organisations_admins(
    alice: User, bob: User, charlie: User
) -> None:
    assert logged_in(bob).get("/people/").status_code == 404  # not an admin
    assert logged_in(charlie).post(f"/people/{bob.pk}/disable/").status_code == 404
    admin = logged_in(alice)
    form = {"username": "staff-9", "role": Role.STAFF, "password": "a long fictional passphrase"}
    assert admin.post("/people/", form).status_code == 302
    created = User.objects.get(username="staff-9")
    assert created.organisation_id == alice.organisation_id
    event = AccessEvent.objects.get(user=alice, action="create-account")
    assert event.detail == {"person": created.pk}
