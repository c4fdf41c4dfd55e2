"""The dossier pages (issue 5, points 1, 4 and 5, web side): the timeline, evidence and the
declaration, sealed at rest, saved with a version, limited for interpreters, and safe to show.

Personas: Alice (admin) and Bob (representative) work on the case; Charlie is in another
organisation. Every person, document and event here is fictional.
"""

from __future__ import annotations

import io
import secrets
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from django.db import connection
from django.http import Http404
from PIL import Image

from refugio.claim.model import Dossier, Paragraph, Section, When
from refugio_web import dossiers
from refugio_web.errors import EditConflict
from refugio_web.models import AccessEvent, Case, Organisation, Role, User
from tests.web.conftest import PASSWORD, logged_in, sample_pdf, seed_dossier, with_device

pytestmark = pytest.mark.django_db

CANARY = "Fictional-Canary-Teravolk-8821"  # typed as a summary; never in clear in the database
PAYLOAD = "\"'><script>alert('XSS-5')</script><img src=x onerror=alert(5)>"
RAW = ("<script>alert('XSS-5')", "<img src=x onerror")


@pytest.fixture(autouse=True)
def files_dir(settings: Any, tmp_path: Path) -> Path:
    settings.REFUGIO_FILES_DIR = tmp_path / "files"
    return tmp_path / "files"


def _event_form(**overrides: Any) -> dict[str, Any]:
    form = {
        "version": "1",
        "when": "2016-03",
        "place": "Fictional City, Fictionland",
        "kinds": ["detention", "interrogation"],
        "actors": ["police"],
        "actor_detail": "District 4 station (fictional)",
        "summary": CANARY,
        "summary_en": "They held me for three days.",
        "harmed_applicant": "on",
        "harmed_others": "Fictional Brother\nFictional Sister",
        "witnesses": "Fictional Neighbour",
        "grounds": ["political_opinion"],
    }
    return {**form, **overrides}


def _fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def _dossier(case: Case) -> Dossier:
    return dossiers.dossier_of(_fresh(case))


def _raw_column(case: Case) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute("SELECT dossier_sealed FROM refugio_web_case WHERE id = %s", [case.pk.hex])
        row = cursor.fetchone()
    return bytes(row[0])


def _person(org: Organisation, name: str, role: str, case: Case) -> User:
    user = with_device(
        User.objects.create_user(name, password=PASSWORD, organisation=org, role=role)
    )
    case.members.add(user)
    return user


# --- the timeline -------------------------------------------------------------------------


def test_it_adds_edits_and_deletes_an_event_through_the_sealed_store(
    alice: User, case: Case
) -> None:
    client = logged_in(alice)
    base = f"/cases/{case.pk}/timeline"
    r = client.post(f"{base}/new/", _event_form(when_around="on"))
    assert r.status_code == 302
    [event] = _dossier(case).events
    assert event.when == When(year=2016, month=3, around=True)
    assert event.harmed == ["applicant", "Fictional Brother", "Fictional Sister"]
    assert [str(k) for k in event.kinds] == ["detention", "interrogation"]
    assert _fresh(case).dossier_version == 2
    # Sealed: the summary is nowhere in the row in clear; the audit names no content.
    assert CANARY.encode() not in _raw_column(case)
    assert AccessEvent.objects.filter(case_id=case.pk, action="dossier-edit").count() == 1
    assert not AccessEvent.objects.filter(detail__icontains="Teravolk").exists()

    page = client.get(f"{base}/").content.decode()
    assert "around March 2016" in page and CANARY in page

    form = _event_form(version="2", when="2014", when_around="on", until="2016-03-05")
    r = client.post(f"{base}/{event.id}/", form)
    assert r.status_code == 302
    changed = _dossier(case).event(event.id)
    assert changed is not None and changed.until == When(year=2016, month=3, day=5)
    page = client.get(f"{base}/").content.decode()
    assert "around 2014" in page

    confirm = client.get(f"{base}/{event.id}/delete/")
    assert confirm.status_code == 200 and b"Delete the event" in confirm.content
    assert client.post(f"{base}/{event.id}/delete/", {"version": "3"}).status_code == 302
    assert _dossier(case).events == []


def test_it_names_the_field_of_a_wrong_date_and_keeps_what_was_typed(
    alice: User, case: Case
) -> None:
    client = logged_in(alice)
    r = client.post(f"/cases/{case.pk}/timeline/new/", _event_form(when="March 2016"))
    page = r.content.decode()
    assert r.status_code == 200
    assert "When it happened (or began): Enter the date as YYYY-MM-DD" in page
    assert CANARY in page and "Fictional Brother" in page and 'value="March 2016"' in page
    r = client.post(f"/cases/{case.pk}/timeline/new/", _event_form(when="2016-02-30", until="2015"))
    assert "This date does not exist" in r.content.decode()
    r = client.post(f"/cases/{case.pk}/timeline/new/", _event_form(until="2015"))
    assert "When it ended, if it did: It ends before it begins." in r.content.decode()
    assert _dossier(case).events == []


def test_it_tells_the_second_of_two_people_saving_and_overwrites_nothing(
    alice: User, bob: User, case: Case
) -> None:
    case.members.add(bob)
    first, second = logged_in(alice), logged_in(bob)
    assert first.post(f"/cases/{case.pk}/timeline/new/", _event_form()).status_code == 302
    late = second.post(f"/cases/{case.pk}/timeline/new/", _event_form(summary="Bob's text"))
    assert late.status_code == 409
    page = late.content.decode()
    assert "someone else changed this case" in page and "Bob&#x27;s text" in page
    assert [e.summary for e in _dossier(case).events] == [CANARY]
    # The page came back with the current version: saving again is a decision, and works.
    again = second.post(
        f"/cases/{case.pk}/timeline/new/", _event_form(version="2", summary="Bob's text")
    )
    assert again.status_code == 302 and len(_dossier(case).events) == 2


def test_a_script_typed_into_event_fields_is_shown_as_text(alice: User, case: Case) -> None:
    client = logged_in(alice)
    form = _event_form(
        summary=PAYLOAD,
        summary_en=PAYLOAD,
        place=PAYLOAD,
        actor_detail=PAYLOAD,
        harmed_others=PAYLOAD,
        witnesses=PAYLOAD,
    )
    assert client.post(f"/cases/{case.pk}/timeline/new/", form).status_code == 302
    [event] = _dossier(case).events
    pages = [f"/cases/{case.pk}/timeline/", f"/cases/{case.pk}/timeline/{event.id}/"]
    pages.append(f"/cases/{case.pk}/timeline/{event.id}/delete/")
    for url in pages:
        page = client.get(url).content.decode()
        for raw in RAW:
            assert raw not in page, url
        assert "&lt;script&gt;alert(&#x27;XSS-5&#x27;)" in page, url


# --- evidence -----------------------------------------------------------------------------


def _upload(name: str, data: bytes) -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = name
    return f


def _evidence_form(pdf: bytes | None, **overrides: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "version": "1",
        "title": "Summons to the police station (fictional)",
        "kind": "official",
        "language": "en",
        "date": "2016-03",
        "person": "",
        "elements": ["past_persecution"],
    }
    if pdf is not None:
        form["document"] = _upload("summons.pdf", pdf)
    return {**form, **overrides}


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _encrypted_pdf() -> bytes:
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(sample_pdf())) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(user="fictional", owner="fictional"))
    return out.getvalue()


def test_it_uploads_a_pdf_stores_it_sealed_and_serves_it_as_an_attachment(
    alice: User, case: Case, files_dir: Path
) -> None:
    client = logged_in(alice)
    r = client.post(f"/cases/{case.pk}/evidence/new/", _evidence_form(sample_pdf(CANARY)))
    assert r.status_code == 302
    [item] = _dossier(case).evidence
    assert item.person == "applicant" and item.date == When(year=2016, month=3)
    [stored] = (files_dir / str(case.pk)).iterdir()
    assert stored.name == item.file and CANARY.encode() not in stored.read_bytes()
    assert b"summons" not in _raw_column(case)  # the user's file name is kept nowhere

    download = client.get(f"/cases/{case.pk}/evidence/{item.id}/document")
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="document.pdf"'
    assert download.content.startswith(b"%PDF")
    [record] = AccessEvent.objects.filter(case_id=case.pk, action="evidence-download")
    assert record.detail == {"evidence": item.id, "which": "document"}  # ids, never a title
    # No translation stored: nothing to download, and no download recorded, only the access.
    assert client.get(f"/cases/{case.pk}/evidence/{item.id}/translation").status_code == 404
    assert AccessEvent.objects.filter(case_id=case.pk, action="evidence-download").count() == 1
    assert AccessEvent.objects.filter(case_id=case.pk, action="evidence-missing").count() == 1


def test_it_uploads_an_image(alice: User, case: Case) -> None:
    client = logged_in(alice)
    form = _evidence_form(None, kind="photo", document=_upload("scar.png", _png()))
    assert client.post(f"/cases/{case.pk}/evidence/new/", form).status_code == 302
    [item] = _dossier(case).evidence
    download = client.get(f"/cases/{case.pk}/evidence/{item.id}/document")
    assert download["Content-Disposition"] == 'attachment; filename="document.png"'


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("letter.pdf", b"PK\x03\x04 a Word file, not a PDF", "is not a PDF, a JPEG or a PNG"),
        ("locked.pdf", None, "password-protected"),
        ("empty.pdf", b"", "This file is empty"),
    ],
    ids=["not-a-pdf", "encrypted", "empty"],
)
def test_it_refuses_a_bad_file_naming_it_and_stores_nothing(
    alice: User, case: Case, files_dir: Path, name: str, data: bytes | None, message: str
) -> None:
    content = _encrypted_pdf() if data is None else data
    form = _evidence_form(None, document=_upload(name, content), description=CANARY)
    r = logged_in(alice).post(f"/cases/{case.pk}/evidence/new/", form)
    page = r.content.decode()
    assert r.status_code == 200
    assert f"{name}: " in page and message in page
    assert CANARY in page  # what was typed comes back
    assert _dossier(case).evidence == []
    assert not any(files_dir.rglob("*")) or not list((files_dir / str(case.pk)).iterdir())


def test_it_refuses_an_oversized_file_naming_it(
    alice: User, case: Case, settings: Any, files_dir: Path
) -> None:
    settings.REFUGIO_UPLOAD_MAX_BYTES = 2048
    big = sample_pdf(secrets.token_hex(4000))  # random: compressed, it stays over 2 KB
    assert len(big) > 2048
    r = logged_in(alice).post(f"/cases/{case.pk}/evidence/new/", _evidence_form(big))
    page = r.content.decode()
    assert "summons.pdf: it is too big" in page
    assert _dossier(case).evidence == []
    # Over what a request may carry: refused while read, the fields before the file kept.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 4096
    r = logged_in(alice).post(f"/cases/{case.pk}/evidence/new/", _evidence_form(big * 3))
    page = r.content.decode()
    assert "A file was too big to be received" in page
    assert "Summons to the police station (fictional)" in page
    assert not files_dir.exists() or not any(files_dir.rglob("*"))


def test_a_failed_save_leaves_no_stored_file(
    alice: User, case: Case, files_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: Any, **kwargs: Any) -> None:
        raise EditConflict("someone else saved")

    monkeypatch.setattr("refugio_web.cases.save_sealed_dossier", fail)
    r = logged_in(alice).post(f"/cases/{case.pk}/evidence/new/", _evidence_form(sample_pdf()))
    assert r.status_code == 409
    assert not list((files_dir / str(case.pk)).iterdir())


def test_a_translation_is_stored_with_its_certificate_details_and_replaced_cleanly(
    alice: User, case: Case, files_dir: Path
) -> None:
    client = logged_in(alice)
    form = _evidence_form(
        sample_pdf("Povestka"),
        language="ru",
        translator="Fictional Translator",
        translator_address="1 Fictional Street",
        translator_phone="555-0100",
        translation_date="2026-11-01",
        translation_file=_upload("english.pdf", sample_pdf("Summons")),
    )
    assert client.post(f"/cases/{case.pk}/evidence/new/", form).status_code == 302
    [item] = _dossier(case).evidence
    assert item.translation is not None and item.translation.translator == "Fictional Translator"
    assert str(item.translation.date) == "2026-11-01"
    first = item.translation.file
    got = client.get(f"/cases/{case.pk}/evidence/{item.id}/translation")
    assert got.status_code == 200 and got.content.startswith(b"%PDF")

    # A translator without a file is refused when none is stored yet.
    no_file = _evidence_form(sample_pdf(), language="es", translator="Fictional Two")
    r = client.post(f"/cases/{case.pk}/evidence/new/", {**no_file, "version": "2"})
    assert "Upload the English translation as well." in r.content.decode()

    # A new translation replaces the old file, which is removed.
    edit = _evidence_form(
        None,
        version="2",
        language="ru",
        translator="Fictional Translator",
        translation_file=_upload("english-2.pdf", sample_pdf("Summons v2")),
    )
    assert client.post(f"/cases/{case.pk}/evidence/{item.id}/", edit).status_code == 302
    item2 = _dossier(case).item(item.id)
    assert item2 is not None and item2.translation is not None
    assert item2.translation.file != first and item2.file == item.file
    names = {p.name for p in (files_dir / str(case.pk)).iterdir()}
    assert names == {item.file, item2.translation.file}


def test_deleting_evidence_removes_its_files_and_unlinks_events(
    alice: User, case: Case, files_dir: Path
) -> None:
    seed_dossier(case)
    client = logged_in(alice)
    assert client.get(f"/cases/{case.pk}/evidence/x1/delete/").status_code == 200
    assert client.post(f"/cases/{case.pk}/evidence/x1/delete/", {"version": "1"}).status_code == 302
    dossier = _dossier(case)
    assert dossier.evidence == [] and dossier.events[0].evidence == []
    assert not list((files_dir / str(case.pk)).iterdir())


def test_linking_an_event_to_evidence_links_both_ways(alice: User, case: Case) -> None:
    seed_dossier(case)
    client = logged_in(alice)
    r = client.post(f"/cases/{case.pk}/timeline/new/", _event_form(evidence=["x1"]))
    assert r.status_code == 302
    dossier = _dossier(case)
    new = next(e for e in dossier.events if e.id != "e1")
    item = dossier.item("x1")
    assert item is not None and set(item.events) == {"e1", new.id}
    assert dossier.problems() == []
    # Deleting the event takes it off the evidence too.
    client.post(f"/cases/{case.pk}/timeline/{new.id}/delete/", {"version": "2"})
    item = _dossier(case).item("x1")
    assert item is not None and item.events == ["e1"]


# --- the declaration and interpreters -----------------------------------------------------


def _with_paragraphs(case: Case) -> None:
    dossier = Dossier(
        language="ru",
        language_name="Russian",
        declaration=[
            Paragraph(section=Section.BACKGROUND, native="Ya rodilsya", english="I was born"),
            Paragraph(section=Section.HARMS, native="Menya arestovali", english=""),
        ],
    )
    case.dossier = dossier.model_dump(mode="json")
    case.save()


def test_the_declaration_saves_both_languages_and_marks_edited_paragraphs(
    alice: User, case: Case
) -> None:
    _with_paragraphs(case)
    client = logged_in(alice)
    page = client.get(f"/cases/{case.pk}/declaration/").content.decode()
    assert page.index("Ya rodilsya") < page.index("Menya arestovali")
    form = {
        "version": "1",
        "count": "2",
        "native-0": "Ya rodilsya",
        "english-0": "I was born",
        "native-1": "Menya arestovali",
        "english-1": "I was arrested",
        "language": "ru",
        "language_name": "Russian",
        "interpreter_name": "Fictional Interpreter",
        "interpreter_language": "Russian",
        "action": "add-family",
    }
    assert client.post(f"/cases/{case.pk}/declaration/", form).status_code == 302
    dossier = _dossier(case)
    assert [p.edited for p in dossier.declaration] == [False, True, True]
    assert [p.section for p in dossier.declaration][-1] == Section.FAMILY
    assert dossier.interpreter is not None and dossier.interpreter.name == "Fictional Interpreter"
    remove = {**form, "version": "2", "count": "3", "action": "remove-0"}
    remove.update({"native-2": "", "english-2": ""})
    assert client.post(f"/cases/{case.pk}/declaration/", remove).status_code == 302
    assert [p.english for p in _dossier(case).declaration] == ["I was arrested", ""]


def test_an_interpreter_changes_translations_and_nothing_else(
    org: Organisation, alice: User, case: Case
) -> None:
    _with_paragraphs(case)
    ines = _person(org, "ines", Role.INTERPRETER, case)
    client = logged_in(ines)
    page = client.get(f"/cases/{case.pk}/declaration/").content.decode()
    assert "Interpreter&#x27;s full name" not in page and "Delete paragraph" not in page
    texts = {"count": "2", "native-0": "Ya rodilsya", "english-0": "I was born"}
    texts.update({"native-1": "Menya arestovali", "english-1": "I was arrested"})
    ok = client.post(f"/cases/{case.pk}/declaration/", {**texts, "version": "1"})
    assert ok.status_code == 302
    assert _dossier(case).declaration[1].english == "I was arrested"
    # Anything else is refused by the service, whatever the page offered.
    for action in ("add-family", "remove-0"):
        r = client.post(
            f"/cases/{case.pk}/declaration/", {**texts, "version": "2", "action": action}
        )
        assert r.status_code == 404, action
    assert len(_dossier(case).declaration) == 2
    seed_event = _dossier(case)
    seed_event.language = "fa"
    fresh = _fresh(case)
    with pytest.raises(Http404):
        dossiers.save_dossier(ines, fresh, seed_event, fresh.dossier_version)
    assert client.get(f"/cases/{case.pk}/timeline/new/").status_code == 404
    assert client.get(f"/cases/{case.pk}/evidence/new/").status_code == 404


def test_an_interpreter_translates_an_event_summary_only(
    org: Organisation, alice: User, case: Case
) -> None:
    seed_dossier(case)
    ines = _person(org, "ines", Role.INTERPRETER, case)
    client = logged_in(ines)
    page = client.get(f"/cases/{case.pk}/timeline/e1/").content.decode()
    assert 'name="summary_en"' in page and 'name="when"' not in page
    # Posting every field changes only the English summary.
    r = client.post(
        f"/cases/{case.pk}/timeline/e1/",
        _event_form(summary="Changed by the interpreter", summary_en="Translated"),
    )
    assert r.status_code == 302
    event = _dossier(case).event("e1")
    assert event is not None and event.summary_en == "Translated"
    assert event.summary == "" and event.place == "" and event.kinds == []
    assert client.get(f"/cases/{case.pk}/timeline/e1/delete/").status_code == 404


def test_the_dossier_pages_are_not_found_for_another_organisation(
    charlie: User, case: Case
) -> None:
    seed_dossier(case)
    client = logged_in(charlie)
    for url in ("timeline/", "timeline/e1/", "evidence/", "evidence/x1/document", "declaration/"):
        assert client.get(f"/cases/{case.pk}/{url}").status_code == 404, url


def test_a_script_typed_into_evidence_and_the_declaration_is_shown_as_text(
    alice: User, case: Case
) -> None:
    seed_dossier(case)
    dossier = dossiers.dossier_of(case)
    item = dossier.evidence[0].model_copy(
        update={"title": PAYLOAD, "description": PAYLOAD, "people": [PAYLOAD]}
    )
    dossier.evidence = [item]
    dossier.language_name = PAYLOAD
    dossier.declaration = [Paragraph(section=Section.HARMS, native=PAYLOAD, english=PAYLOAD)]
    case.dossier = dossier.model_dump(mode="json")
    case.save()
    client = logged_in(alice)
    for path in (
        "evidence/",
        "evidence/x1/",
        "evidence/x1/delete/",
        "timeline/e1/",
        "declaration/",
    ):
        page = client.get(f"/cases/{case.pk}/{path}").content.decode()
        for raw in RAW:
            assert raw not in page, path
        assert "&lt;script&gt;alert(&#x27;XSS-5&#x27;)" in page, path


def test_it_tells_a_save_begun_before_a_key_rotation_to_try_again(alice: User, case: Case) -> None:
    from refugio.claim.model import Event, When
    from refugio_web import cases, dossiers
    from refugio_web.errors import EditConflict

    loaded = Case.objects.get(pk=case.pk)  # a request loads the case (and its key)...
    version = loaded.dossier_version
    cases.rotate_keys(new_data_keys=True)  # ...an operator rotates the data keys...
    dossier = dossiers.dossier_of(loaded)
    dossier.events = [Event(id="e1", when=When.parse("2020"))]
    with pytest.raises(EditConflict):  # ...and its save, sealed under the old key, is refused
        dossiers.save_dossier(alice, loaded, dossier, version)
    assert dossiers.dossier_of(Case.objects.get(pk=case.pk)).events == []
