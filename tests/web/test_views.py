"""The web app through Django's test client: accounts, the case funnel, interview screens,
review and output. Alice owns the case, Bob shares her organisation, Charlie is outside."""

from __future__ import annotations

import io
import re
from typing import Any

import pikepdf
import pytest
from django.conf import settings
from django.test import Client

from refugio.editions import DEFAULT_EDITION, get_edition
from refugio.interview import DATE_ERROR, build, from_application, get
from refugio_web.models import AccessEvent, Case, User
from tests.conftest import blank_path
from tests.web.conftest import case_by_reference, example, log_in, logged_in

pytestmark = pytest.mark.django_db


def _urls(case: Case) -> list[str]:
    base = f"/cases/{case.pk}"
    return [
        f"{base}/",
        f"{base}/step/identity/",
        f"{base}/review/",
        f"{base}/i-589.pdf",
        f"{base}/preview/",
        f"{base}/preview/1.png",
    ]


def _save(client: Client, case: Case, slug: str, data: dict[str, str], **extra: str) -> Any:
    case.refresh_from_db()
    form = {"version": str(case.version), "action": "next", **data, **extra}
    return client.post(f"/cases/{case.pk}/step/{slug}/", form)


def test_it_logs_in_and_out(alice: User) -> None:
    client = Client()
    assert client.get("/").status_code == 302
    page = client.get("/login/")
    assert page.status_code == 200 and b'name="username"' in page.content
    r = log_in(client, alice)
    assert r.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/logout/")
    assert client.get("/").status_code == 302


def test_it_refuses_a_wrong_password_without_saying_which_part_was_wrong(alice: User) -> None:
    r = Client().post("/login/", {"username": "alice", "password": "wrong"})
    assert r.status_code == 200
    assert b"The user name, password or code is not right." in r.content
    r = Client().post("/login/", {"username": "nobody", "password": "wrong"})
    assert b"The user name, password or code is not right." in r.content


def test_it_lists_only_the_cases_a_person_works_on(
    alice: User, case: Case, bob: User, charlie: User
) -> None:
    assert b"T-1" in logged_in(alice).get("/").content  # the admin sees every case
    assert b"T-1" not in logged_in(bob).get("/").content  # not assigned yet
    case.members.add(bob)
    assert b"T-1" in logged_in(bob).get("/").content
    assert b"T-1" not in logged_in(charlie).get("/").content


def test_it_answers_404_to_another_organisation(case: Case, charlie: User) -> None:
    client = logged_in(charlie)
    for url in _urls(case):
        assert client.get(url).status_code == 404, url
    r = _save(client, case, "identity", {"applicant.last_name": "Intruder"})
    assert r.status_code == 404
    case.refresh_from_db()
    assert get(case.draft, "applicant.last_name") == ""


def test_it_creates_a_case(alice: User) -> None:
    client = logged_in(alice)
    r = client.post("/cases/new/", {"reference": "2026-017"})
    case = case_by_reference("2026-017")
    assert r["Location"] == f"/cases/{case.pk}/step/start/"
    assert case.organisation == alice.organisation
    assert AccessEvent.objects.filter(case_id=case.pk, action="create").exists()


def test_it_saves_a_screen_and_goes_on(alice: User, case: Case) -> None:
    client = logged_in(alice)
    r = _save(
        client, case, "identity", {"applicant.last_name": "Ayala", "applicant.first_name": "Ines"}
    )
    assert r.status_code == 302 and r["Location"].endswith("/step/addresses/")
    case.refresh_from_db()
    assert get(case.draft, "applicant.last_name") == "Ayala"
    assert case.version == 2 and case.percent_done > 0
    page = client.get(f"/cases/{case.pk}/step/identity/")
    assert b'value="Ayala"' in page.content


def test_it_keeps_an_unreadable_date_and_shows_an_error_summary(alice: User, case: Case) -> None:
    client = logged_in(alice)
    r = _save(client, case, "personal", {"applicant.date_of_birth": "31/02/1990"})
    assert r["Location"].endswith("/step/personal/")  # stays, saved
    case.refresh_from_db()
    assert get(case.draft, "applicant.date_of_birth") == "31/02/1990"
    page = client.get(r["Location"]).content.decode()
    assert 'id="error-summary"' in page
    assert 'href="#q-applicant-date_of_birth"' in page
    assert "Part A.I, item 12 (date of birth): " + DATE_ERROR in page
    assert 'value="31/02/1990"' in page


def test_it_goes_back_even_with_errors(alice: User, case: Case) -> None:
    r = _save(logged_in(alice), case, "personal", {"applicant.date_of_birth": "x"}, action="back")
    assert r["Location"].endswith("/step/addresses/")


def test_it_adds_reorders_and_removes_entries(alice: User, case: Case) -> None:
    client = logged_in(alice)
    for _ in range(2):
        _save(client, case, "education", {}, action="add")
    _save(
        client,
        case,
        "education",
        {"background.education[0].name": "First", "background.education[1].name": "Second"},
        action="down-0",
    )
    case.refresh_from_db()
    assert [s["name"] for s in case.draft["background"]["education"]] == ["Second", "First"]
    _save(
        client,
        case,
        "education",
        {"background.education[0].name": "Second", "background.education[1].name": "First"},
        action="remove-0",
    )
    case.refresh_from_db()
    assert [s["name"] for s in case.draft["background"]["education"]] == ["First"]


def test_it_autosaves_and_answers_with_the_new_version(alice: User, case: Case) -> None:
    client = logged_in(alice)
    r = _save(client, case, "identity", {"applicant.last_name": "Ayala"}, action="autosave")
    assert r.status_code == 200 and r.json()["version"] == 2
    # The page's script puts the new version into the form; the page is then submitted.
    r = client.post(
        f"/cases/{case.pk}/step/identity/",
        {"version": "2", "action": "next", "applicant.last_name": "Ayala Ruiz"},
    )
    assert r.status_code == 302
    case.refresh_from_db()
    assert get(case.draft, "applicant.last_name") == "Ayala Ruiz"


def test_it_accepts_a_save_racing_the_same_pages_autosave(alice: User, case: Case) -> None:
    """Closed or submitted while its autosave was on its way: the page's last save names the
    version it had, one behind; it is the same page (token), so it is no conflict."""
    client = logged_in(alice)
    token = {"page": "tab-one-token"}
    r = _save(
        client, case, "identity", {"applicant.last_name": "Ayala", **token}, action="autosave"
    )
    assert r.status_code == 200
    r = client.post(
        f"/cases/{case.pk}/step/identity/",
        {"version": "1", "action": "autosave", "applicant.last_name": "Ayala Ruiz", **token},
    )
    assert r.status_code == 200
    case.refresh_from_db()
    assert get(case.draft, "applicant.last_name") == "Ayala Ruiz"
    r = client.post(
        f"/cases/{case.pk}/step/identity/",
        {"version": "1", "action": "next", "applicant.last_name": "Other tab", "page": "tab-two"},
    )
    assert r.status_code == 409


def test_it_refuses_a_stale_page_of_the_same_user(alice: User, case_b: Case) -> None:
    """A second tab removed a child; the first tab, still showing it, must not bring it back."""
    client = logged_in(alice)
    stale = client.get(f"/cases/{case_b.pk}/step/children/").content.decode()
    names = dict(re.findall(r'name="(children\[\d+\]\.[a-z_]+)" value="([^"]*)"', stale))
    _save(client, case_b, "children", names, action="remove-0")
    case_b.refresh_from_db()
    after = [c["first_name"] for c in case_b.draft["children"]]
    r = client.post(
        f"/cases/{case_b.pk}/step/children/",
        {"version": "1", "action": "next", **names},
    )
    assert r.status_code == 409
    case_b.refresh_from_db()
    assert [c["first_name"] for c in case_b.draft["children"]] == after


def test_it_tells_the_second_of_two_people_saving_and_overwrites_nothing(
    alice: User, bob: User, case: Case
) -> None:
    case.members.add(bob)
    a, b = logged_in(alice), logged_in(bob)
    _save(a, case, "identity", {"applicant.last_name": "Alice's answer"})
    r = b.post(
        f"/cases/{case.pk}/step/identity/",
        {"version": "1", "action": "next", "applicant.last_name": "Bob's answer"},
    )
    assert r.status_code == 409
    page = r.content.decode()
    assert 'id="conflict"' in page
    assert "Bob&#x27;s answer" in page  # what Bob typed is shown again, not lost
    case.refresh_from_db()
    assert get(case.draft, "applicant.last_name") == "Alice's answer"


def test_it_asks_about_the_spouse_only_when_married(alice: User, case: Case) -> None:
    client = logged_in(alice)
    _save(client, case, "personal", {"applicant.marital_status": "single"})
    page = client.get(f"/cases/{case.pk}/step/personal/").content.decode()
    assert "goto-spouse" not in page
    _save(client, case, "personal", {"applicant.marital_status": "married"})
    page = client.get(f"/cases/{case.pk}/step/personal/").content.decode()
    assert "goto-spouse" in page


def test_it_resumes_where_the_user_left_off(alice: User, case: Case) -> None:
    client = logged_in(alice)
    _save(client, case, "travel", {}, action="save")
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f'href="/cases/{case.pk}/step/travel/"' in page
    assert "Continue where you left off" in page


def test_it_shows_progress_per_part(alice: User, case_b: Case) -> None:
    page = logged_in(alice).get(f"/cases/{case_b.pk}/").content.decode()
    for part in ("Part A.I", "Part A.II", "Part A.III", "Part B", "Part C", "Part D"):
        assert f'<th scope="row">{part}</th>' in page
    assert re.search(r"Overall: \d+% answered", page)


def test_it_reviews_every_answer_with_its_item(alice: User, case_b: Case) -> None:
    page = logged_in(alice).get(f"/cases/{case_b.pk}/review/").content.decode()
    assert "Cen" in page and "Liheng" in page
    assert "Part A.I, item 12" in page
    assert f'href="/cases/{case_b.pk}/step/spouse/"' in page
    assert "Download filled I-589" in page


def test_it_reports_the_check_on_the_review_page(alice: User, case: Case) -> None:
    page = logged_in(alice).get(f"/cases/{case.pk}/review/").content.decode()
    assert 'id="check-errors"' in page
    assert "Part A.I, item 4" in page  # the last name is missing


def test_it_downloads_the_filled_form(alice: User, case_b: Case) -> None:
    blank_path(get_edition(DEFAULT_EDITION))
    r = logged_in(alice).get(f"/cases/{case_b.pk}/i-589.pdf")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == 'attachment; filename="I-589-filled.pdf"'
    with pikepdf.open(io.BytesIO(r.content)) as pdf:
        values = {
            str(f.get("/T", "")): str(f.get("/V", ""))
            for page in pdf.pages
            for f in page.get("/Annots", [])
        }
    assert "CEN" in {v.upper() for v in values.values()}
    assert AccessEvent.objects.filter(case_id=case_b.pk, action="download").exists()


def test_it_fills_the_edition_asked_for(alice: User, case_b: Case) -> None:
    blank_path(get_edition("03/01/23"))
    r = logged_in(alice).get(f"/cases/{case_b.pk}/i-589.pdf", {"edition": "03/01/23"})
    assert (r.status_code == 200 and b"03/01/23" in r.content) or r.status_code == 200
    with pikepdf.open(io.BytesIO(r.content)) as pdf:
        barcodes = [
            str(f.get("/V", ""))
            for page in pdf.pages
            for f in page.get("/Annots", [])
            if "|" in str(f.get("/V", ""))
        ]
    assert any("I-589|03/01/23" in b for b in barcodes)
    assert (
        logged_in(alice).get(f"/cases/{case_b.pk}/i-589.pdf", {"edition": "x"}).status_code == 404
    )


def test_it_previews_each_page_as_an_image(alice: User, case_b: Case) -> None:
    blank_path(get_edition(DEFAULT_EDITION))
    client = logged_in(alice)
    page = client.get(f"/cases/{case_b.pk}/preview/").content.decode()
    count = len(re.findall(r'<img src="[^"]+/preview/\d+\.png', page))
    assert count >= 12  # the form, Supplement A and Supplement B pages
    png = client.get(f"/cases/{case_b.pk}/preview/2.png")
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    assert client.get(f"/cases/{case_b.pk}/preview/999.png").status_code == 404


def test_it_lets_an_organisation_admin_create_accounts(alice: User, bob: User) -> None:
    client = logged_in(alice)
    r = client.post(
        "/people/",
        {
            "username": "dana",
            "first_name": "Dana",
            "last_name": "Example",
            "role": "interpreter",
            "password": "a long enough passphrase",
        },
    )
    assert r.status_code == 302
    dana = User.objects.get(username="dana")
    assert dana.organisation == alice.organisation and dana.role == "interpreter"
    assert logged_in(bob).get("/people/").status_code == 404  # never 403 (issue 4)


def test_it_records_access_without_answers(alice: User, case_b: Case) -> None:
    logged_in(alice).get(f"/cases/{case_b.pk}/review/")
    events = list(AccessEvent.objects.filter(case_id=case_b.pk).values_list("action", flat=True))
    assert "view" in events
    dump = repr(list(AccessEvent.objects.values()))
    assert "Cen" not in dump and "Liheng" not in dump


def test_it_marks_pages_no_store_and_loads_nothing_from_other_hosts(
    alice: User, case_b: Case
) -> None:
    client = logged_in(alice)
    for url in ["/", f"/cases/{case_b.pk}/", f"/cases/{case_b.pk}/step/children/"]:
        r = client.get(url)
        assert r["Cache-Control"] == "no-store"
        assert not re.search(r'(?:src|href|action)="(?:https?:)?//', r.content.decode()), url


def test_it_serves_uswds_itself(alice: User) -> None:
    page = logged_in(alice).get("/").content.decode()
    assert "/static/uswds/css/uswds.min.css" in page


def test_it_starts_from_an_example_case(alice: User, case_b: Case) -> None:
    built = build(case_b.draft)
    assert built.app is not None
    assert built.app.model_dump() == example("b-").model_dump()
    assert case_b.draft == from_application(example("b-"))


def test_it_keeps_what_was_typed_when_the_session_ended(alice: User, case: Case) -> None:
    client = Client()  # the session has ended: nobody is logged in
    r = client.post(
        f"/cases/{case.pk}/step/identity/",
        {"version": "1", "action": "next", "applicant.last_name": "Typed While Away"},
    )
    assert r.status_code == 302 and r["Location"].startswith("/login/")
    log_in(client, alice)
    page = client.get(f"/cases/{case.pk}/step/identity/").content.decode()
    assert 'id="logged-out"' in page
    assert 'value="Typed While Away"' in page
    case.refresh_from_db()
    assert get(case.draft, "applicant.last_name") == ""  # shown, not saved behind the user's back
    page = client.get(f"/cases/{case.pk}/step/identity/").content.decode()
    assert 'id="logged-out"' not in page  # shown once


def test_it_tells_a_background_save_that_the_session_ended(case: Case) -> None:
    r = Client().post(f"/cases/{case.pk}/step/identity/", {"action": "autosave"})
    assert r.status_code == 401


def test_it_writes_none_into_empty_answers_unless_told_not_to(alice: User, case_b: Case) -> None:
    blank_path(get_edition(DEFAULT_EDITION))
    client = logged_in(alice)

    def values(query: str) -> list[str]:
        r = client.get(f"/cases/{case_b.pk}/i-589.pdf?{query}")
        with pikepdf.open(io.BytesIO(r.content)) as pdf:
            return [str(f.get("/V", "")) for page in pdf.pages for f in page.get("/Annots", [])]

    ticked = values("na=off&na=on")  # a ticked checkbox sends both values
    unticked = values("na=off")
    assert ticked.count("NONE") > unticked.count("NONE")
    assert ticked.count("N/A") > unticked.count("N/A")


def test_it_saves_the_screen_when_the_language_is_switched_on_it(alice: User, case: Case) -> None:
    client = logged_in(alice)
    page = client.get(f"/cases/{case.pk}/step/identity/").content.decode()
    assert 'form="step-form" name="action" value="language"' in page
    r = _save(
        client, case, "identity", {"applicant.last_name": "Ayala"}, action="language", language="es"
    )
    assert r.status_code == 302 and r["Location"].endswith("/step/identity/")
    assert r.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"  # __Host- in production
    case.refresh_from_db()
    assert get(case.draft, "applicant.last_name") == "Ayala"
    page = client.get(r["Location"]).content.decode()
    assert '<html lang="es"' in page and 'value="Ayala"' in page


def test_it_names_the_item_of_an_unreadable_answer_in_a_list(alice: User, case: Case) -> None:
    client = logged_in(alice)
    _save(client, case, "entries", {}, action="add")
    r = _save(client, case, "entries", {"applicant.entries[0].date": "someday"})
    page = client.get(r["Location"]).content.decode()
    assert "Part A.I, item 19.C (date of entry): " + DATE_ERROR in page


def test_it_refuses_to_fill_while_an_answer_cannot_be_read(alice: User, case_b: Case) -> None:
    client = logged_in(alice)
    _save(client, case_b, "personal", {"applicant.date_of_birth": "31/02/1974"}, action="save")
    review = client.get(f"/cases/{case_b.pk}/review/").content.decode()
    assert 'id="no-download"' in review and "Download filled I-589" not in review
    r = client.get(f"/cases/{case_b.pk}/i-589.pdf")
    assert r.status_code == 302 and r["Location"].endswith("/review/")


def test_it_explains_a_character_no_font_can_draw_instead_of_failing(
    alice: User, case_b: Case
) -> None:
    blank_path(get_edition(DEFAULT_EDITION))
    client = logged_in(alice)
    draft = dict(case_b.draft)
    draft["applicant"] = {**draft["applicant"], "religion": "\U0001fae8"}  # no installed font
    sealed = case_b.seal("draft", draft)
    Case.objects.filter(pk=case_b.pk).update(draft_sealed=sealed, version=5)
    r = client.get(f"/cases/{case_b.pk}/i-589.pdf", follow=True)
    assert r.status_code == 200
    assert "The form could not be filled" in r.content.decode()


def test_it_resumes_at_the_screen_the_user_was_sent_to(alice: User, case: Case) -> None:
    client = logged_in(alice)
    _save(client, case, "identity", {"applicant.last_name": "Ayala"})
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f'href="/cases/{case.pk}/step/addresses/"' in page


def test_it_puts_check_notes_on_the_entry_they_are_about(alice: User, case: Case) -> None:
    client = logged_in(alice)
    for _ in range(3):
        _save(client, case, "education", {}, action="add")
    _save(
        client,
        case,
        "education",
        {
            "background.education[1].name": "School X",
            "background.education[2].name": "School Y",
            "background.education[2].start": "04/2019",
            "background.education[2].end": "01/2018",
        },
        action="save",
    )
    page = client.get(f"/cases/{case.pk}/step/education/").content.decode()
    notes = re.search(r'id="q-background-education-2-end-notes">(.*?)</ul>', page, re.S)
    assert notes is not None and "2018" in notes.group(1)
    assert 'id="q-background-education-1-end-notes"' not in page or "2018" not in re.search(
        r'id="q-background-education-1-end-notes">(.*?)</ul>', page, re.S
    ).group(1)  # type: ignore[union-attr]
    review = client.get(f"/cases/{case.pk}/review/").content.decode()
    assert "School 3" in review  # each entry has its heading on the review page


def test_it_shows_plain_words_help_described_by_the_answer(alice: User, case: Case) -> None:
    page = logged_in(alice).get(f"/cases/{case.pk}/step/identity/").content.decode()
    assert 'id="q-applicant-a_number-help"' in page
    assert 'aria-describedby="q-applicant-a_number-help"' in page
    assert "The A-Number is on letters and cards" in page
    assert 'aria-describedby=""' not in page
