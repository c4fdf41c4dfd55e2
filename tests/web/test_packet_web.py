"""The packet page (issue 5, point 7): the checklist and the fee before anything is built, the
build as a background job with its progress shown without JavaScript, the sealed ZIP and its
download (an export: the password and a code again), a failed build's message."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from refugio.editions import DEFAULT_EDITION, get_edition
from refugio_web import files, jobs
from refugio_web.management.commands.demo import example_dossier
from refugio_web.models import AccessEvent, Case, Job, Role, User
from tests.conftest import blank_path
from tests.pdfcheck import pdftotext, squeeze
from tests.web.conftest import PASSWORD, logged_in, make_case, seed_dossier, with_device

pytestmark = pytest.mark.django_db

REFRESH = '<meta http-equiv="refresh" content="2">'


@pytest.fixture(autouse=True)
def files_dir(settings: Any, tmp_path: Path) -> Path:
    settings.REFUGIO_FILES_DIR = tmp_path / "files"
    return tmp_path / "files"


@pytest.fixture
def demo_case(alice: User, case_b: Case) -> Case:
    """Example (b) with its fictional dossier and sealed specimen files, as `make run` makes."""
    blank_path(get_edition(DEFAULT_EDITION))  # the packet fills the real form
    example_dossier(alice, case_b)
    return Case.objects.get(pk=case_b.pk)


def _page(client: Client, case: Case, **headers: str) -> str:
    r = client.get(f"/cases/{case.pk}/packet/", **headers)  # type: ignore[arg-type]
    assert r.status_code == 200
    return r.content.decode()


def _build(client: Client, case: Case) -> None:
    r = client.post(f"/cases/{case.pk}/packet/build/")
    assert r.status_code == 302 and r["Location"] == f"/cases/{case.pk}/packet/"


def test_it_shows_the_checklist_and_the_fee_before_anything_is_built(
    alice: User, demo_case: Case
) -> None:
    page = _page(logged_in(alice), demo_case)
    assert "No packet has been built yet." in page and "Build the filing packet" in page
    assert "$100, paid to USCIS" in page and "90 FR 52693" in page  # the fee and its source
    assert "In effect since" in page
    # Per person, what Refugio cannot print and how much is left to provide.
    assert "Cen, Liheng (applicant): 2 things to provide" in page  # photograph, I-94
    assert "Qiu, Wanling (spouse): 5 things to provide" in page
    assert "Passport-style photograph" in page and "printed as Exhibit A" in page
    assert REFRESH not in page and not Job.objects.exists()


def test_it_builds_the_packet_through_the_page_and_downloads_it(
    alice: User, demo_case: Case, tmp_path: Path
) -> None:
    client = logged_in(alice)
    _build(client, demo_case)  # jobs run inline in the test settings
    page = _page(client, demo_case)
    assert "Download the packet (ZIP)" in page and REFRESH not in page
    assert re.search(r"<th scope=\"row\">1-original.pdf</th><td>Original package</td><td>\d+", page)
    r = client.get(f"/cases/{demo_case.pk}/packet.zip")
    assert r.status_code == 200 and r["Content-Type"] == "application/zip"
    assert r["Content-Disposition"] == 'attachment; filename="packet.zip"'  # no name in it
    with zipfile.ZipFile(io.BytesIO(r.content)) as archive:
        archive.extractall(tmp_path / "packet")
    original = pdftotext(tmp_path / "packet" / "1-original.pdf")
    assert "APPLICATION FOR ASYLUM" in original.upper()  # the I-589 itself
    assert "Liheng" in original and "Declaration of" in original  # the answers, the declaration
    assert "EXHIBIT A" in original and "EXHIBIT L" in original  # 12 exhibits
    assert re.search(r"Cen — 0000\d\d", original)  # continuous page numbers
    assert "FICTIONALSPECIMEN" in squeeze(original)
    assert (tmp_path / "packet" / "checklist.pdf").exists()
    done = AccessEvent.objects.filter(case_id=demo_case.pk, user=alice)
    assert {"packet-open", "packet-start", "packet-download"} <= set(
        done.values_list("action", flat=True)
    )


def test_it_keeps_nothing_about_the_applicant_readable_in_the_stored_zip(
    alice: User, demo_case: Case, files_dir: Path
) -> None:
    _build(logged_in(alice), demo_case)
    job = Job.objects.get(case=demo_case)
    on_disk = (files_dir / str(demo_case.pk) / job.file_id).read_bytes()
    assert not on_disk.startswith(b"PK")
    # Words of six letters or more: a shorter one turns up in megabytes of random bytes.
    for word in (b"Liheng", b"Wanling", b"1-original.pdf", b"checklist.json", b"Declaration"):
        assert word not in on_disk
    assert jobs.result(demo_case, job).data.startswith(b"PK")  # sealed, not lost


def test_it_refreshes_itself_and_shows_the_stage_while_the_job_runs(
    alice: User, demo_case: Case
) -> None:
    Job.objects.create(
        case=demo_case, kind="packet", started_by=alice, stage="exhibits", done=3, total=12
    )
    client = logged_in(alice)
    page = _page(client, demo_case)
    assert REFRESH in page
    assert 'id="packet-progress" max="12" value="3"' in page
    assert "Numbering the exhibits" in page
    assert "Build the filing packet</button>" not in page  # one job per case at a time
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    assert "Numerando las pruebas" in _page(client, demo_case)


def test_it_shows_the_message_of_a_failed_build(alice: User, case_b: Case, files_dir: Path) -> None:
    blank_path(get_edition(DEFAULT_EDITION))
    seed_dossier(case_b)
    for stored in (files_dir / str(case_b.pk)).iterdir():
        stored.unlink()  # the evidence file is gone
    client = logged_in(alice)
    _build(client, case_b)
    page = _page(client, case_b)
    assert "The packet could not be built" in page
    assert "evidence x1" in page and "No such file or directory" in page
    assert "Download the packet" not in page and "Build the filing packet</button>" in page
    assert client.get(f"/cases/{case_b.pk}/packet.zip").status_code == 404


def test_it_asks_for_the_password_and_a_code_again_before_building_or_downloading(
    alice: User, demo_case: Case, settings: Any
) -> None:
    client = logged_in(alice)
    _build(client, demo_case)
    settings.REFUGIO_REAUTH_AGE = -1  # the login is too old now
    for r in (
        client.get(f"/cases/{demo_case.pk}/packet.zip"),
        client.post(f"/cases/{demo_case.pk}/packet/build/"),
    ):
        assert r.status_code == 302 and r["Location"].startswith("/login/again/?next=")
    assert Job.objects.filter(case=demo_case).count() == 1  # nothing started


def test_an_interpreter_sees_the_checklist_but_neither_builds_nor_downloads(
    alice: User, demo_case: Case
) -> None:
    _build(logged_in(alice), demo_case)
    ines = with_device(
        User.objects.create_user(
            "ines", password=PASSWORD, organisation=alice.organisation, role=Role.INTERPRETER
        )
    )
    demo_case.members.add(ines)
    client = logged_in(ines)
    page = _page(client, demo_case)
    assert "Passport-style photograph" in page
    assert "Build the filing packet" not in page and "Download the packet" not in page
    assert client.post(f"/cases/{demo_case.pk}/packet/build/").status_code == 404
    assert client.get(f"/cases/{demo_case.pk}/packet.zip").status_code == 404


def test_it_says_why_the_checklist_waits_for_unreadable_answers(alice: User) -> None:
    case = make_case(alice, "T-UNREADABLE", {"meta": {}, "applicant": {"date_of_birth": "soon"}})
    client = logged_in(alice)
    page = _page(client, case)
    assert "The checklist cannot be made yet" in page and "some answers cannot be read" in page
    assert client.post(f"/cases/{case.pk}/packet/build/").status_code == 302
    assert "The packet cannot be built yet" in _page(client, case)
    assert not Job.objects.exists() and not files.case_has_files(case.pk)
