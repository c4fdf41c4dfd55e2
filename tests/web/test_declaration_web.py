"""The declaration's tools and Part B from the timeline (issue 5, points 1 and 2, web side):
drafting and redrafting through the sealed dossier, the PDF and DOCX downloads behind
re-authentication, and the Part B explanations taken only when ticked.

Personas: Alice (admin) works on the fictional example case (b); every person, event and
document here is fictional.
"""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from refugio.claim.declaration import ARRESTED, PAST_HARM
from refugio.claim.model import Dossier, Paragraph, Section
from refugio.interview import get
from refugio_web import accounts, dossiers
from refugio_web.dossier_forms import declaration_initial
from refugio_web.models import AccessEvent, Case, User
from tests.pdfcheck import pdftotext
from tests.web.conftest import EXAMPLES, example, logged_in

pytestmark = pytest.mark.django_db

PAYLOAD = "\"'><script>alert('XSS-D')</script><img src=x onerror=alert(6)>"
RAW = ("<script>alert('XSS-D')", "<img src=x onerror")
NAME = example("b-").full_name  # as the declaration names the applicant (Part A.I)


def example_dossier() -> Dossier:
    """The fictional example dossier of case (b): timeline, evidence, declaration, interpreter."""
    path = EXAMPLES / "dossiers" / "b-dissident-businessman.json"
    return Dossier.model_validate(json.loads(path.read_text(encoding="utf-8")))


def put_dossier(case: Case, dossier: Dossier) -> None:
    """Seal ``dossier`` into the case as the app does, without an audit record."""
    case.dossier = dossier.model_dump(mode="json")
    case.save(update_fields=["dossier_sealed"])  # the versions stay as they are


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def sealed_dossier(case: Case) -> Dossier:
    """The dossier as stored: read back from the sealed column."""
    return dossiers.dossier_of(fresh(case))


@pytest.fixture(autouse=True)
def files_dir(settings: Any, tmp_path: Path) -> None:
    settings.REFUGIO_FILES_DIR = tmp_path / "files"


# --- drafting ---------------------------------------------------------------------------------


def _declaration_form(dossier: Dossier, version: int, **texts: str) -> dict[str, str]:
    """The declaration page's form as posted, with ``english_<i>`` overrides."""
    form = {"version": str(version), "count": str(len(dossier.declaration)), "action": "save"}
    form.update(declaration_initial(dossier))
    for i, p in enumerate(dossier.declaration):
        form[f"native-{i}"] = p.native
        form[f"english-{i}"] = texts.get(f"english_{i}", p.english)
    return form


def test_it_drafts_then_redrafts_keeping_the_paragraph_a_person_edited(
    alice: User, case_b: Case
) -> None:
    timeline = example_dossier().model_copy(update={"declaration": []})
    put_dossier(case_b, timeline)
    client = logged_in(alice)
    url = f"/cases/{case_b.pk}/declaration/"
    page = client.get(url).content.decode()
    assert "Draft from the timeline and the answers" in page and "Download PDF" in page

    r = client.post(f"{url}draft/", {"version": "1"})
    assert r.status_code == 302 and r["Location"] == url
    drafted = sealed_dossier(case_b)
    assert len(drafted.declaration) > 10 and not any(p.edited for p in drafted.declaration)
    assert drafted.declaration[0].english.startswith(f"My name is {NAME}.")
    harms = [p.event for p in drafted.declaration if p.section is Section.HARMS]
    assert harms == [e.id for e in drafted.timeline()]  # one paragraph per event, in order
    assert fresh(case_b).dossier_version == 2

    edited = f"My name is {NAME}. I wrote this paragraph again with my lawyer."
    form = _declaration_form(drafted, 2, english_0=edited)
    assert client.post(url, form).status_code == 302
    assert [p.edited for p in sealed_dossier(case_b).declaration][:3] == [True, False, False]
    # Meanwhile an unedited paragraph changed in the dossier (as an old draft would differ).
    stale = sealed_dossier(case_b)
    stale.declaration[1].english = "An outdated sentence."
    put_dossier(case_b, stale)

    r = client.post(f"{url}draft/", {"version": "3"})
    assert r.status_code == 302
    redrafted = sealed_dossier(case_b)
    assert redrafted.declaration[0].english == edited and redrafted.declaration[0].edited
    assert redrafted.declaration[1].english == drafted.declaration[1].english
    assert len(redrafted.declaration) == len(drafted.declaration)
    assert "Paragraphs someone changed were kept" in client.get(url).content.decode()
    # Each save is one dossier edit in the trail, with no content.
    edits = AccessEvent.objects.filter(case_id=case_b.pk, action="dossier-edit")
    assert edits.count() == 3 and all(e.detail == {} for e in edits)


def test_it_tells_the_second_of_two_drafts_and_overwrites_nothing(
    alice: User, case_b: Case
) -> None:
    put_dossier(case_b, example_dossier())
    client = logged_in(alice)
    url = f"/cases/{case_b.pk}/declaration/draft/"
    assert client.post(url, {"version": "1"}).status_code == 302
    before = sealed_dossier(case_b)
    r = client.post(url, {"version": "1"})  # a page opened before the first draft
    assert r.status_code == 302
    page = client.get(r["Location"]).content.decode()
    assert "Not drafted: someone else changed this dossier" in page
    assert sealed_dossier(case_b) == before and fresh(case_b).dossier_version == 2


def test_it_keeps_and_names_an_edited_paragraph_whose_event_is_gone(
    alice: User, case_b: Case
) -> None:
    dossier = example_dossier()
    kept = Paragraph(section=Section.HARMS, event="e99", english="Kept.", edited=True)
    dossier.declaration = [*dossier.declaration, kept]  # a dossier made elsewhere
    put_dossier(case_b, dossier)
    client = logged_in(alice)
    r = client.post(f"/cases/{case_b.pk}/declaration/draft/", {"version": "1"})
    page = client.get(r["Location"]).content.decode()
    assert "tells event e99, which is no longer on the timeline" in page
    saved = sealed_dossier(case_b)
    [orphan] = [p for p in saved.declaration if p.english == "Kept."]
    assert orphan.edited and orphan.event is None and saved.problems() == []


def test_it_drafts_nothing_while_an_answer_cannot_be_read(alice: User, case: Case) -> None:
    case.draft = {"meta": {}, "applicant": {"date_of_birth": "31/31/1990"}}
    case.save()
    put_dossier(case, example_dossier())
    client = logged_in(alice)
    r = client.post(f"/cases/{case.pk}/declaration/draft/", {"version": "1"})
    page = client.get(r["Location"]).content.decode()
    assert "could not be drafted: some answers cannot be read yet" in page
    assert fresh(case).dossier_version == 1


def test_a_script_in_the_applicants_words_is_drafted_and_shown_as_text(
    alice: User, case_b: Case
) -> None:
    dossier = example_dossier().model_copy(update={"declaration": []})
    dossier.events[0].summary = PAYLOAD  # the applicant's column of its paragraph
    put_dossier(case_b, dossier)
    client = logged_in(alice)
    client.post(f"/cases/{case_b.pk}/declaration/draft/", {"version": "1"})
    assert any(p.native == PAYLOAD for p in sealed_dossier(case_b).declaration)
    page = client.get(f"/cases/{case_b.pk}/declaration/").content.decode()
    assert all(raw not in page for raw in RAW)
    assert "&lt;script&gt;alert(&#x27;XSS-D&#x27;)" in page


# --- downloads --------------------------------------------------------------------------------


def test_it_downloads_the_declaration_as_a_pdf_holding_its_text(
    alice: User, case_b: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dossier = example_dossier()
    put_dossier(case_b, dossier)
    client = logged_in(alice)
    r = client.get(f"/cases/{case_b.pk}/declaration.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == 'attachment; filename="declaration.pdf"'
    assert r.content.startswith(b"%PDF-")
    out = tmp_path / "declaration.pdf"
    out.write_bytes(r.content)
    text = re.sub(r"\s+", " ", pdftotext(out))
    assert f"Declaration of {NAME}" in text
    assert "I declare under penalty of perjury" in text
    assert "Certificate of interpreter" in text and "Meilin Fong-Harrow" in text
    first_words = " ".join(dossier.declaration[4].english.split()[:6])
    assert first_words in text
    download = AccessEvent.objects.get(case_id=case_b.pk, action="declaration-download")
    assert download.detail == {"format": "pdf"}

    # Five minutes later nothing leaves without the password and a code again.
    later = time.time() + 6 * 60
    monkeypatch.setattr(accounts, "now", lambda: later)
    for fmt in ("pdf", "docx"):
        again = client.get(f"/cases/{case_b.pk}/declaration.{fmt}")
        assert again.status_code == 302 and again["Location"].startswith("/login/again/?next=")
    assert AccessEvent.objects.filter(action="declaration-download").count() == 1


def test_it_downloads_the_declaration_as_a_word_document(alice: User, case_b: Case) -> None:
    put_dossier(case_b, example_dossier())
    r = logged_in(alice).get(f"/cases/{case_b.pk}/declaration.docx")
    assert r.status_code == 200
    assert r["Content-Type"].endswith("wordprocessingml.document")
    assert r["Content-Disposition"] == 'attachment; filename="declaration.docx"'
    with zipfile.ZipFile(io.BytesIO(r.content)) as docx:
        document = docx.read("word/document.xml").decode()
    assert f"Declaration of {NAME}" in document
    assert AccessEvent.objects.get(action="declaration-download").detail == {"format": "docx"}


def test_it_names_what_the_interpreters_certificate_lacks_instead_of_failing(
    alice: User, case_b: Case
) -> None:
    dossier = example_dossier()
    assert dossier.interpreter is not None
    dossier.interpreter = dossier.interpreter.model_copy(update={"address": "", "phone": ""})
    put_dossier(case_b, dossier)
    client = logged_in(alice)
    for fmt in ("pdf", "docx"):
        r = client.get(f"/cases/{case_b.pk}/declaration.{fmt}")
        assert r.status_code == 302 and r["Location"] == f"/cases/{case_b.pk}/declaration/"
        page = client.get(r["Location"]).content.decode()
        assert "needs an interpreter&#x27;s certificate" in page
        assert "it lacks: address, telephone." in page
    put_dossier(case_b, dossier.model_copy(update={"interpreter": None}))
    page = client.get(f"/cases/{case_b.pk}/declaration.pdf", follow=True).content.decode()
    assert "it lacks: the interpreter&#x27;s name, address, telephone, language." in page


# --- Part B from the timeline -----------------------------------------------------------------


def _part_b(client: Client, case: Case) -> str:
    r = client.get(f"/cases/{case.pk}/part-b/")
    assert r.status_code == 200
    return str(r.content.decode())


def _digests(page: str) -> dict[str, str]:
    return dict(re.findall(r'name="digest-([\w.]+)" value="(\w+)"', page))


def _ticked(page: str) -> set[str]:
    return set(re.findall(r'name="take" value="([\w.]+)" checked', page))


def test_it_takes_a_part_b_proposal_only_when_ticked(alice: User, case_b: Case) -> None:
    put_dossier(case_b, example_dossier())
    draft = case_b.draft
    draft["claim"]["arrested_abroad"]["explanation"] = ""  # empty: offered ticked
    case_b.draft = draft
    case_b.save()
    client = logged_in(alice)
    assert 'id="part-b-link"' in client.get(f"/cases/{case_b.pk}/timeline/").content.decode()
    page = _part_b(client, case_b)
    digests = _digests(page)
    assert set(digests) >= {PAST_HARM, ARRESTED}
    assert _ticked(page) == {ARRESTED}  # never pre-ticked over an answer already given
    before = get(case_b.draft, PAST_HARM)

    form = {"version": "1", "take": [ARRESTED], **{f"digest-{k}": v for k, v in digests.items()}}
    r = client.post(f"/cases/{case_b.pk}/part-b/", form)
    assert r.status_code == 302
    saved = fresh(case_b)
    assert saved.version == 2
    assert get(saved.draft, ARRESTED).startswith("1. ")
    assert "detain" in get(saved.draft, ARRESTED)
    assert get(saved.draft, PAST_HARM) == before  # not ticked: untouched
    actions = AccessEvent.objects.filter(case_id=case_b.pk).values_list("action", flat=True)
    assert list(actions).count("edit") == 1

    nothing = client.post(f"/cases/{case_b.pk}/part-b/", {"version": "2"})
    assert nothing.status_code == 302 and fresh(case_b).version == 2


def test_it_reports_a_version_conflict_on_part_b_and_changes_nothing(
    alice: User, case_b: Case
) -> None:
    put_dossier(case_b, example_dossier())
    client = logged_in(alice)
    digests = _digests(_part_b(client, case_b))
    form = {"take": [PAST_HARM], **{f"digest-{k}": v for k, v in digests.items()}}
    before = case_b.draft
    case_b.version = 2  # someone saved the answers meanwhile
    case_b.save()
    r = client.post(f"/cases/{case_b.pk}/part-b/", {**form, "version": "1"})
    assert r.status_code == 409
    page = r.content.decode()
    assert "Not saved: someone else changed this case" in page
    assert _ticked(page) == {PAST_HARM}  # the ticks as they were
    assert fresh(case_b).draft == before and fresh(case_b).version == 2
    # A proposal that is no longer what the page showed (the timeline changed) is not taken.
    stale = {**form, f"digest-{PAST_HARM}": "0" * 16, "version": "2"}
    assert client.post(f"/cases/{case_b.pk}/part-b/", stale).status_code == 409
    assert fresh(case_b).draft == before


def test_part_b_shows_the_answers_as_text(alice: User, case_b: Case) -> None:
    put_dossier(case_b, example_dossier())
    draft = case_b.draft
    draft["claim"]["past_harm"]["explanation"] = PAYLOAD
    case_b.draft = draft
    case_b.save()
    page = _part_b(logged_in(alice), case_b)
    assert all(raw not in page for raw in RAW)
    assert "&lt;script&gt;alert(&#x27;XSS-D&#x27;)" in page


def test_part_b_offers_nothing_without_a_timeline(alice: User, case_b: Case) -> None:
    page = _part_b(logged_in(alice), case_b)
    assert 'id="no-proposal"' in page and 'name="take"' not in page
