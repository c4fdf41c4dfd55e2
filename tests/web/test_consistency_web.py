"""The consistency page (issue 5, point 3, web side): every conflict between the answers, the
timeline, the declaration and the evidence, by kind, with both sources and links to them; a
count on the case page; an incomplete case never breaks it.

Personas: Alice (admin) works on the fictional example case (b); Ines interprets. Every person,
event and document here is fictional.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from refugio.claim.model import When
from refugio_web import claims
from refugio_web.models import AccessEvent, Case, Organisation, Role, User
from tests.web.conftest import PASSWORD, logged_in, with_device
from tests.web.test_declaration_web import example_dossier, put_dossier

pytestmark = pytest.mark.django_db

PAYLOAD = "\"'><script>alert('XSS-C')</script>"


@pytest.fixture(autouse=True)
def files_dir(settings: Any, tmp_path: Path) -> None:
    settings.REFUGIO_FILES_DIR = tmp_path / "files"


def _page(client: Any, case: Case) -> str:
    r = client.get(f"/cases/{case.pk}/consistency/")
    assert r.status_code == 200
    return str(r.content.decode())


def _moved_detention(case: Case) -> None:
    """The example's detention (e4) moved to 20 July 2025: the declaration, Part B and Part C
    still say it began on 3 June 2025 and lasted 61 days."""
    dossier = example_dossier()
    detention = dossier.event("e4")
    assert detention is not None
    detention.when = When(year=2025, month=7, day=20)
    put_dossier(case, dossier)


def test_it_finds_no_conflict_in_the_consistent_example(alice: User, case_b: Case) -> None:
    put_dossier(case_b, example_dossier())
    client = logged_in(alice)
    page = _page(client, case_b)
    assert 'id="no-conflict"' in page and "No conflict found." in page
    home = client.get(f"/cases/{case_b.pk}/").content.decode()
    assert "0 differences between the answers" in home
    assert f'href="/cases/{case_b.pk}/consistency/"' in home
    assert AccessEvent.objects.filter(case_id=case_b.pk, action="consistency-view").count() == 1


def test_it_shows_a_seeded_conflict_with_both_sources_and_links(alice: User, case_b: Case) -> None:
    _moved_detention(case_b)
    client = logged_in(alice)
    page = _page(client, case_b)
    text = re.sub(r"\s+", " ", page)
    assert "No conflict found." not in page
    assert (
        "detention: 3 June 2025 in declaration paragraph 8, 2025-07-20 to 2025-08-02 in "
        "timeline event e4" in text
    )
    assert "length of detention: for 61 days in declaration paragraph 8" in text
    dates, counts = text.index('id="conflicts-date"'), text.index('id="conflicts-count"')
    assert dates < counts
    base = f"/cases/{case_b.pk}"
    assert f'href="{base}/declaration/#paragraph-7"' in page  # paragraph 8, the 8th box
    assert f'href="{base}/timeline/#event-e4"' in page
    assert f'href="{base}/step/arrests/"' in page  # Part B item 2, on its screen
    found = len(claims.consistency_of(case_b).conflicts)
    assert f"{found} differences found." in text
    home = client.get(f"{base}/").content.decode()
    assert f"{found} differences between the answers" in home


def test_an_interpreter_reads_the_conflicts_with_links_to_the_review(
    org: Organisation, case_b: Case
) -> None:
    _moved_detention(case_b)
    ines = with_device(
        User.objects.create_user("ines", password=PASSWORD, organisation=org, role=Role.INTERPRETER)
    )
    case_b.members.add(ines)
    page = _page(logged_in(ines), case_b)
    assert "timeline event e4" in page
    assert f'href="/cases/{case_b.pk}/review/#r-arrests"' in page
    assert "/step/" not in page


def test_an_incomplete_case_shows_what_it_could_compare(alice: User, case: Case) -> None:
    case.draft = {"meta": {}, "applicant": {"date_of_birth": "not a date"}}
    case.save()
    put_dossier(case, example_dossier())
    client = logged_in(alice)
    page = _page(client, case)
    assert "One answer cannot be read yet and was left out of the comparison." in page
    # Without the answers, the timeline's relatives are names no form lists.
    assert 'id="conflicts-person"' in page
    assert client.get(f"/cases/{case.pk}/").status_code == 200


def test_an_empty_case_has_no_conflict(alice: User, case: Case) -> None:
    page = _page(logged_in(alice), case)
    assert "No conflict found." in page


def test_a_script_in_a_conflicting_value_is_shown_as_text(alice: User, case_b: Case) -> None:
    dossier = example_dossier()
    detention = dossier.event("e4")
    assert detention is not None
    detention.place = f"{PAYLOAD}, China"  # the timeline's place, quoted against paragraph 8
    put_dossier(case_b, dossier)
    page = _page(logged_in(alice), case_b)
    assert "<script>alert('XSS-C')" not in page
    assert "&lt;script&gt;alert(&#x27;XSS-C&#x27;)" in page
