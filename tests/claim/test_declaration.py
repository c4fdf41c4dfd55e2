"""The declaration (refugio.claim.declaration): drafted from the form and the timeline without
inventing anything, redrafted without losing an edit, printed and read back with poppler."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from refugio.claim.declaration import (
    HEADINGS,
    SWORN,
    declaration_docx,
    declaration_pdf,
    draft,
    part_b_texts,
    redraft,
    untranslated,
)
from refugio.claim.model import (
    Actor,
    Dossier,
    Event,
    Ground,
    Harm,
    Interpreter,
    Paragraph,
    Section,
    When,
)
from refugio.claim.wording import Names, event_text
from refugio.errors import DossierError
from refugio.model import Application, YesNo
from tests.conftest import EXAMPLES, load_example
from tests.factories import valid_application
from tests.pdfcheck import pdftotext, qpdf_check, squeeze

MONTHS = "January February March April May June July August September October November December"
MONTH = {name: n for n, name in enumerate(MONTHS.split(), 1)}
LATER_THAN_A_YEAR = dt.date(2027, 6, 1)  # the example's last arrival is 2026-03-10


def cen() -> Application:
    return load_example("b-dissident-businessman.json")


def interpreter(**overrides: Any) -> Interpreter:
    fields: dict[str, Any] = {
        "name": "Meihua Fictional",
        "address": "100 Example Street, San Francisco, CA 94112",
        "phone": "415-555-0142",
        "language": "Mandarin Chinese",
    }
    return Interpreter(**(fields | overrides))


def events() -> list[Event]:
    """The businessman's timeline, deliberately not in date order."""
    return [
        Event(
            id="e3",
            when=When.parse("2026-03-20"),
            place="Bangkok, Thailand",
            actors=[Actor.POLICE],
            kinds=[Harm.EXTRADITION_REQUEST],
            summary="泰国警察根据中国的引渡请求来公寓找我。",
            summary_en="Thai police came to our apartment on a Chinese extradition request.",
        ),
        Event(
            id="e1",
            when=When.parse("2019-12"),
            place="Chang'an Town, Dongguan, China",
            actors=[Actor.POLICE],
            actor_detail="two domestic security officers",
            kinds=[Harm.INTERROGATION, Harm.THREAT],
            summary="两名国保在茶馆问了我四个小时。",
            summary_en="Two officers questioned me for four hours in a tea house.",
            grounds=[Ground.POLITICAL_OPINION],
        ),
        Event(
            id="e2",
            when=When.parse("2025-06-03"),
            until=When.parse("2025-08-02"),
            place="Dongguan, China",
            actors=[Actor.SECURITY_SERVICES],
            kinds=[Harm.DETENTION, Harm.BEATING],
            summary="我被关押了六十一天,不许见律师。",
            summary_en="I was held without a lawyer.",
            witnesses=["Qiu Wanling"],
        ),
        Event(
            id="e4",
            when=When.parse("~2026-03"),
            place="Wenzhou, China",
            kinds=[Harm.FAMILY_PRESSURE],
            harmed=["Cen Lijun"],
            summary="温州警察两次传唤我弟弟。",
        ),
    ]


def chinese(**overrides: Any) -> Dossier:
    fields: dict[str, Any] = {
        "language": "zh",
        "language_name": "Chinese",
        "events": events(),
        "interpreter": interpreter(),
    }
    return Dossier(**(fields | overrides))


def english_speaker() -> Application:
    app = valid_application()
    app.applicant.fluent_in_english = True
    return app


def save(data: bytes, tmp_path: Path) -> Path:
    path = tmp_path / "declaration.pdf"
    path.write_bytes(data)
    qpdf_check(path)
    return path


def harms(paragraphs: list[Paragraph]) -> list[Paragraph]:
    return [p for p in paragraphs if p.section is Section.HARMS]


# -- drafting -----------------------------------------------------------------------------------


def test_it_drafts_one_paragraph_per_event_in_date_order() -> None:
    paragraphs = draft(cen(), chinese())
    assert [p.event for p in harms(paragraphs)] == ["e1", "e2", "e4", "e3"]
    # The sections come in the order the story is told.
    order = list(Section)
    ranks = [order.index(p.section) for p in paragraphs]
    assert ranks == sorted(ranks)


def test_it_writes_each_date_no_closer_than_it_is_remembered() -> None:
    text = {p.event: p.english for p in harms(draft(cen(), chinese()))}
    assert text["e1"].startswith("In December 2019, in Chang'an Town, Dongguan, China, the police")
    assert text["e2"].startswith("From June 3, 2025 to August 2, 2025, in Dongguan, China,")
    assert text["e4"].startswith("Around March 2026, in Wenzhou, China,")
    assert text["e3"].startswith("On March 20, 2026, in Bangkok, Thailand, the police")
    assert "December 1, 2019" not in text["e1"]


def test_it_tells_each_event_from_its_fields_in_the_first_person() -> None:
    text = {p.event: p.english for p in harms(draft(cen(), chinese()))}
    assert text["e1"] == (
        "In December 2019, in Chang'an Town, Dongguan, China, the police (two domestic security "
        "officers) interrogated and threatened me. Two officers questioned me for four hours in "
        "a tea house."
    )
    assert "the security services detained and beat me" in text["e2"]
    assert "It lasted 61 days." in text["e2"]
    # Relations come from the form: Qiu Wanling is the spouse of Part A.II.
    assert text["e2"].endswith("My wife Qiu Wanling saw or knows of it.")
    # No actor recorded: the sentence says what was done, not who did it.
    assert (
        text["e4"]
        == "Around March 2026, in Wenzhou, China, my sibling Cen Lijun was put under pressure."
    )
    assert "the police requested my extradition" in text["e3"]


def test_it_names_no_one_who_acted_when_the_event_does_not() -> None:
    dossier = Dossier(
        events=[
            Event(id="a", when=When.parse("~2014"), kinds=[Harm.SURVEILLANCE]),
            Event(
                id="b",
                when=When.parse("2020"),
                actors=[Actor.UNKNOWN],
                kinds=[Harm.BEATING, Harm.FAMILY_PRESSURE],
                harmed=["Qiu Wanling"],
            ),
            Event(id="c", when=When.parse("2021-05"), summary_en="A letter came.", harmed=[]),
        ]
    )
    text = [p.english for p in harms(draft(cen(), dossier))]
    assert text == [
        "Around 2014, I was kept under surveillance.",
        "In 2020, my wife Qiu Wanling was beaten and put under pressure. "
        "I do not know who did this.",
        "A letter came. This happened in May 2021.",
    ]


def test_it_invents_no_dates() -> None:
    app, dossier = cen(), chinese()
    remembered = [str(w) for e in dossier.events for w in (e.when, e.until) if w is not None]
    source = app.model_dump_json() + dossier.model_dump_json() + " ".join(remembered)
    english = "\n".join(p.english for p in draft(app, dossier, LATER_THAN_A_YEAR))
    for month, day, year in re.findall(rf"({'|'.join(MONTH)}) (\d{{1,2}}), (\d{{4}})", english):
        assert f"{year}-{MONTH[month]:02d}-{int(day):02d}" in source, (month, day, year)
    for month, year in re.findall(rf"({'|'.join(MONTH)}) (\d{{4}})", english):
        iso = f"{year}-{MONTH[month]:02d}"
        assert iso in source or f"{month} {year}" in source, (month, year)
    for year in set(re.findall(r"\b(?:19|20)\d\d\b", english)):
        assert year in source, year


def test_it_puts_the_applicants_words_beside_the_english_leaving_the_rest_empty() -> None:
    paragraphs = draft(cen(), chinese())
    by_event = {p.event: p for p in paragraphs}
    assert by_event["e1"].native == "两名国保在茶馆问了我四个小时。"
    assert all(p.native == "" for p in paragraphs if p.event is None)
    assert all(p.english for p in paragraphs)
    assert not any(p.edited for p in paragraphs)


def test_it_writes_one_text_in_both_columns_for_an_english_declaration() -> None:
    paragraphs = draft(cen(), Dossier(language="en", events=events()))
    assert all(p.native == p.english for p in paragraphs)


def test_it_drafts_the_background_family_and_journey_from_the_form() -> None:
    paragraphs = draft(cen(), chinese())
    text = {s: " ".join(p.english for p in paragraphs if p.section is s) for s in Section}
    assert text[Section.BACKGROUND].startswith("My name is Liheng Cen.")
    assert "I was born on August 19, 1974 in Wenzhou, China." in text[Section.BACKGROUND]
    assert "I have no religion." in text[Section.BACKGROUND]  # "None" in Part A.I, item 17
    assert "I am married to Wanling Qiu." in text[Section.FAMILY]
    assert "I have six children." in text[Section.FAMILY]
    assert "My father, Cen Guodong, was born in Wenzhou" in text[Section.FAMILY]
    assert "I last left my home country on February 16, 2026." in text[Section.JOURNEY]
    assert "On March 10, 2026 I entered the United States at San Francisco" in text[Section.JOURNEY]
    assert "because of my political opinion" in text[Section.GROUNDS]
    assert "agents of the state" in text[Section.PROTECTION]
    # The "Yes." that answers Part B, item 3.A is not part of the statement.
    beliefs = [p.english for p in paragraphs if p.section is Section.BELIEFS]
    assert beliefs[0].startswith("I and my family members have belonged")


def test_it_leaves_out_sections_with_nothing_to_say() -> None:
    app = english_speaker()
    app.claim.organizations = YesNo(answer=False)
    sections = {p.section for p in draft(app, Dossier())}
    assert Section.BELIEFS not in sections  # no organisations in Part B, item 3
    assert Section.PROTECTION not in sections  # no events, so no one named who harmed
    assert Section.ONE_YEAR not in sections
    # Without a timeline, the harm is the applicant's own Part B, item 1.A text.
    harm = [p.english for p in draft(app, Dossier()) if p.section is Section.HARMS]
    assert harm == ["Threatened after publishing articles."]


def test_it_adds_the_one_year_section_only_when_filing_late() -> None:
    app, dossier = cen(), chinese()
    assert not [
        p for p in draft(app, dossier, dt.date(2026, 11, 26)) if p.section is Section.ONE_YEAR
    ]
    late = [p for p in draft(app, dossier, LATER_THAN_A_YEAR) if p.section is Section.ONE_YEAR]
    assert late[0].english.startswith("My last arrival in the United States was on March 10, 2026.")
    # Part C, item 5 answered yes is enough, whatever the day.
    app.additional.filing_after_one_year = YesNo(
        answer=True, explanation="Yes. I was in hospital until May 2027."
    )
    said = [p.english for p in draft(app, dossier) if p.section is Section.ONE_YEAR]
    assert said[1] == "I was in hospital until May 2027."


# -- redrafting ---------------------------------------------------------------------------------


def test_it_keeps_edited_paragraphs_as_they_are_and_where_they_are_on_redraft() -> None:
    app, dossier = cen(), chinese()
    dossier.declaration = draft(app, dossier)
    edited_event = Paragraph(
        section=Section.HARMS, event="e2", native="我写的。", english="My own words.", edited=True
    )
    # An edit keeps the paragraph's key (the web page changes its texts only).
    edited_intro = dossier.declaration[0].model_copy(
        update={"english": "I wrote this myself.", "edited": True}
    )
    position = next(i for i, p in enumerate(dossier.declaration) if p.event == "e2")
    dossier.declaration[position] = edited_event
    dossier.declaration[0] = edited_intro
    # The timeline changes: a new event before all others, a summary corrected.
    dossier.events.append(
        Event(id="e0", when=When.parse("2018-03"), kinds=[Harm.THREAT], summary_en="A call.")
    )
    dossier.events[1].summary_en = "Two officers questioned me for five hours."
    result = redraft(app, dossier, dt.date(2026, 11, 26))
    assert result[0] == edited_intro
    assert [p.event for p in harms(result)] == ["e0", "e1", "e2", "e4", "e3"]
    assert next(p for p in result if p.event == "e2") == edited_event
    assert "five hours" in next(p.english for p in result if p.event == "e1")
    assert result.orphans == []
    assert len(result) == len(dossier.declaration) + 1


def test_it_never_lets_an_added_paragraph_take_a_drafted_ones_place() -> None:
    app, dossier = cen(), chinese()
    dossier.declaration = draft(app, dossier)
    first = dossier.declaration[0]
    added = Paragraph(section=first.section, english="A paragraph I added.", edited=True)
    dossier.declaration.insert(0, added)
    result = redraft(app, dossier, dt.date(2026, 11, 26))
    # Both stay: the person's paragraph, and the drafted one it was put before.
    assert added in result
    assert any(p.key == first.key and p.english == first.english for p in result)
    assert len(result) == len(dossier.declaration)


def test_it_keeps_an_edited_paragraph_of_a_deleted_event_and_reports_it() -> None:
    app, dossier = cen(), chinese()
    dossier.declaration = draft(app, dossier)
    for p in dossier.declaration:
        if p.event == "e1":
            p.english, p.edited = "My own account of December 2019.", True
    dossier.events = [e for e in dossier.events if e.id not in {"e1", "e4"}]
    result = redraft(app, dossier, dt.date(2026, 11, 26))
    assert [p.event for p in harms(result)] == ["e1", "e2", "e3"]  # e4 was not edited: gone
    kept = next(p for p in result if p.event == "e1")
    assert kept.english == "My own account of December 2019."
    assert len(result.orphans) == 1
    assert "event e1" in result.orphans[0]
    assert "no longer exists" in result.orphans[0]


# -- Part B -------------------------------------------------------------------------------------


def test_it_drafts_part_b_explanations_from_the_timeline() -> None:
    app = cen()
    texts = part_b_texts(app, chinese())
    assert set(texts) == {
        "claim.past_harm.explanation",
        "claim.arrested_abroad.explanation",
        "claim.fear_of_return.explanation",
    }
    for path, text in texts.items():  # each key is a real field of the application
        *parents, leaf = path.split(".")
        target: Any = app
        for name in parents:
            target = getattr(target, name)
        setattr(target, leaf, text)
    Application.model_validate(app.model_dump())
    past = texts["claim.past_harm.explanation"]
    assert [line[:2] for line in past.split("\n\n")] == ["1.", "2.", "3.", "4."]
    arrested = texts["claim.arrested_abroad.explanation"]  # detained or interrogated only
    assert "December 2019" in arrested and "June 3, 2025" in arrested
    assert "Bangkok" not in arrested and "Wenzhou" not in arrested
    fear = texts["claim.fear_of_return.explanation"]
    assert "because of my political opinion" in fear
    assert "After I last left my home country on February 16, 2026:" in fear
    assert "Bangkok" in fear


def test_it_drafts_no_part_b_text_without_a_timeline() -> None:
    assert part_b_texts(cen(), Dossier()) == {}


# -- PDF ----------------------------------------------------------------------------------------


def test_it_prints_chinese_beside_english_and_it_extracts_as_typed(tmp_path: Path) -> None:
    path = save(declaration_pdf(cen(), chinese()), tmp_path)
    text = squeeze(pdftotext(path))
    for e in events():
        assert squeeze(e.summary) in text
    assert squeeze("Two officers questioned me for four hours in a tea house.") in text
    assert squeeze("岑立衡") in text  # the native-alphabet name of Part D


def test_it_prints_the_event_paragraphs_in_date_order_and_numbered(tmp_path: Path) -> None:
    app, dossier = cen(), chinese()
    path = save(declaration_pdf(app, dossier), tmp_path)
    text = squeeze(pdftotext(path))
    starts = [squeeze(s) for s in ("In December 2019", "From June 3, 2025", "Around March 2026")]
    places = [text.index(s) for s in [*starts, squeeze("On March 20, 2026, in Bangkok")]]
    assert places == sorted(places)
    count = len(draft(app, dossier))
    for n in (1, count):
        assert f"{n}." in text
    assert squeeze(HEADINGS[Section.HARMS]) in text


def test_it_puts_the_name_a_number_and_page_count_on_every_page(tmp_path: Path) -> None:
    app = cen()
    app.applicant.a_number = "A-201-555-019"
    path = save(declaration_pdf(app, chinese()), tmp_path)
    whole = pdftotext(path)
    pages = whole.count("\f")
    assert pages >= 2
    for page in range(1, pages + 1):
        text = pdftotext(path, page)
        assert squeeze("Cen, Liheng  ·  A-Number: A-201-555-019") in squeeze(text)
        assert f"Page {page} of {pages}" in text
        assert "Signature ____" in text  # instructions Part 1 §X NOTE


def test_it_closes_with_the_sworn_statement_and_the_signature_block(tmp_path: Path) -> None:
    path = save(declaration_pdf(cen(), chinese()), tmp_path)
    text = squeeze(pdftotext(path))
    assert squeeze(SWORN) in text
    assert squeeze("Signature of declarant") in text
    assert squeeze("Printed name: Cen, Liheng (岑立衡)") in text
    assert text.index(squeeze(SWORN)) > text.index(squeeze("On March 20, 2026"))


def translated(app: Application, dossier: Dossier) -> Dossier:
    """The dossier with every paragraph in both languages, as after the interpreter's work."""
    dossier.declaration = draft(app, dossier)
    for n, p in enumerate(dossier.declaration, 1):
        p.native = p.native or f"第{n}段的译文。"
    return dossier


def test_it_adds_the_interpreters_certificate_when_the_applicant_does_not_read_english(
    tmp_path: Path,
) -> None:
    text = squeeze(pdftotext(save(declaration_pdf(cen(), translated(cen(), chinese())), tmp_path)))
    assert "DRAFT" not in text
    assert squeeze("Certificate of interpreter") in text
    assert squeeze("competent to translate from Mandarin Chinese into English") in text
    assert squeeze("8 CFR 103.2(b)(3)") in text
    assert squeeze("Telephone: 415-555-0142") in text
    assert text.index(squeeze("Certificate of interpreter")) > text.index(squeeze(SWORN))


def test_it_adds_no_certificate_for_an_english_speaker_writing_in_english(
    tmp_path: Path,
) -> None:
    data = declaration_pdf(english_speaker(), Dossier(language="en", events=events()))
    text = pdftotext(save(data, tmp_path))
    assert "interpreter" not in text.lower()
    assert "两名国保" not in text  # English only: no column in another language
    assert squeeze("1. My name is Rosa Inés Fictiva Ramos.") in squeeze(text)


def test_it_refuses_to_print_without_the_interpreter_it_needs() -> None:
    with pytest.raises(DossierError, match="names no interpreter") as caught:
        declaration_pdf(cen(), chinese(interpreter=None))
    assert "the declaration is in Chinese" in str(caught.value)
    # An English declaration for an applicant who is not fluent needs one too (Part A.I, 24).
    with pytest.raises(DossierError, match=r"Part A\.I, item 24"):
        declaration_pdf(cen(), Dossier(language="en"))
    with pytest.raises(DossierError, match="address and telephone missing"):
        declaration_docx(cen(), chinese(interpreter=interpreter(address="", phone=" ")))


def test_it_prints_the_paragraphs_people_wrote_rather_than_a_new_draft(tmp_path: Path) -> None:
    dossier = chinese(
        declaration=[
            Paragraph(section=Section.HARMS, native="我自己写的。", english="Mine.", edited=True)
        ]
    )
    text = squeeze(pdftotext(save(declaration_pdf(cen(), dossier), tmp_path)))
    assert "1.我自己写的。" in text and "1.Mine." in text
    assert "2." not in text.split(squeeze(SWORN))[0]
    assert squeeze("declaration of 1 numbered paragraphs") in text


# -- DOCX ---------------------------------------------------------------------------------------


def docx_parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {n: package.read(n).decode("utf-8") for n in package.namelist()}


def test_it_never_certifies_a_translation_that_is_not_there(tmp_path: Path) -> None:
    # A fresh draft leaves the Chinese column to the interpreter for all but the events.
    app, dossier = cen(), chinese()
    missing = untranslated(app, dossier)
    assert missing and 1 in missing
    text = squeeze(pdftotext(save(declaration_pdf(app, dossier), tmp_path)))
    assert squeeze("Certificate of interpreter") not in text
    assert squeeze("DRAFT, NOT FOR FILING: paragraph(s) 1,") in text
    assert untranslated(app, translated(app, dossier)) == []


def test_it_exports_an_editable_docx_with_the_same_contents() -> None:
    parts = docx_parts(declaration_docx(cen(), translated(cen(), chinese())))
    document = parts["word/document.xml"]
    for e in events():
        assert e.summary in document
    assert "1. My name is Liheng Cen." in document
    assert SWORN in document
    assert "Signature of declarant" in document
    assert "Certificate of interpreter" in document
    assert document.count('<w:gridCol w:w="5040"/>') >= 2  # two columns, side by side
    assert "Cen, Liheng  ·  A-Number: none" in parts["word/header1.xml"]
    assert "> PAGE <" in parts["word/footer1.xml"]
    assert "> NUMPAGES <" in parts["word/footer1.xml"]


def test_it_exports_an_english_docx_without_a_table_or_certificate() -> None:
    data = declaration_docx(english_speaker(), Dossier(language="en", events=events()))
    document = docx_parts(data)["word/document.xml"]
    assert "<w:tbl>" not in document
    assert "Certificate of interpreter" not in document
    assert "Rosa Inés Fictiva Ramos" in document


# -- the example dossier ------------------------------------------------------------------------

EXAMPLE_DOSSIER = EXAMPLES / "dossiers" / "b-dissident-businessman.json"


@pytest.mark.skipif(not EXAMPLE_DOSSIER.exists(), reason="example dossier not written yet")
def test_it_drafts_and_prints_the_example_dossier(tmp_path: Path) -> None:
    app = cen()
    dossier = Dossier.model_validate_json(EXAMPLE_DOSSIER.read_text(encoding="utf-8"))
    paragraphs = draft(app, dossier)
    assert [p.event for p in harms(paragraphs)] == [e.id for e in dossier.timeline()]
    if dossier.interpreter is None and dossier.language != "en":
        pytest.skip("the example dossier names no interpreter")
    text = squeeze(pdftotext(save(declaration_pdf(app, dossier), tmp_path)))
    assert squeeze(SWORN) in text
    docx_parts(declaration_docx(app, dossier))


def test_it_never_says_each_of_several_actors_made_an_extradition_request() -> None:
    # "the police and prosecutors or courts requested my extradition" would be false.
    event = Event(
        id="e1",
        when=When.parse("2025-08"),
        actors=[Actor.POLICE, Actor.PROSECUTORS_OR_COURTS],
        kinds=[Harm.EXTRADITION_REQUEST],
    )
    text = event_text(event, Names(cen()))
    assert "my extradition was requested" in text
    assert "Those responsible were the police and prosecutors or courts." in text
    assert "courts requested" not in text
