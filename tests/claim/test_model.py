"""The dossier model (refugio.claim.model): approximate dates, events, links, the example."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from refugio.claim.model import (
    APPLICANT,
    Dossier,
    Event,
    Evidence,
    Paragraph,
    Section,
    Translation,
    When,
)
from tests.conftest import EXAMPLES

EXAMPLE = EXAMPLES / "dossiers" / "b-dissident-businessman.json"


def example() -> Dossier:
    return Dossier.model_validate_json(EXAMPLE.read_text(encoding="utf-8"))


# --- When ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "year", "month", "day", "around"),
    [
        ("2016-03-05", 2016, 3, 5, False),
        ("2016-03", 2016, 3, None, False),
        ("2016", 2016, None, None, False),
        ("~2016-03", 2016, 3, None, True),
        (" ~2016 ", 2016, None, None, True),
    ],
)
def test_it_parses_a_date_as_precise_as_remembered(
    text: str, year: int, month: int | None, day: int | None, around: bool
) -> None:
    when = When.parse(text)
    assert (when.year, when.month, when.day, when.around) == (year, month, day, around)
    assert str(When.parse(str(when))) == str(when)


@pytest.mark.parametrize("text", ["5 March 2016", "2016-3", "16-03-05", "2016/03/05", "~", ""])
def test_it_refuses_a_date_in_another_form(text: str) -> None:
    with pytest.raises(ValueError, match="expected YYYY-MM-DD"):
        When.parse(text)


@pytest.mark.parametrize("text", ["2016-04-31", "2015-02-29", "2016-13", "1899", "2016-00"])
def test_it_refuses_a_day_that_does_not_exist(text: str) -> None:
    with pytest.raises(ValueError):
        When.parse(text)


def test_it_refuses_a_day_without_a_month() -> None:
    with pytest.raises(ValidationError, match="a day needs a month"):
        When(year=2016, day=5)


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        ("2016-03-05", "2016-03-05", "2016-03-05"),
        ("2016-02", "2016-02-01", "2016-02-29"),
        ("2016", "2016-01-01", "2016-12-31"),
        # "around" widens by one step of the precision either side.
        ("~2016-03-05", "2016-02-27", "2016-03-12"),
        ("~2016-03", "2016-02-01", "2016-04-30"),
        ("~2016-01", "2015-12-01", "2016-02-29"),
        ("~2016-12", "2016-11-01", "2017-01-31"),
        ("~2016", "2015-01-01", "2017-12-31"),
    ],
)
def test_it_knows_the_first_and_last_day_a_date_may_mean(
    text: str, earliest: str, latest: str
) -> None:
    when = When.parse(text)
    assert when.earliest() == dt.date.fromisoformat(earliest)
    assert when.latest() == dt.date.fromisoformat(latest)


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        ("2016-03-05", "2016-03", True),
        ("2016-03-05", "2016", True),
        ("2016-03-05", "2016-05-03", False),
        ("2016-03", "2016-04", False),
        ("~2016-03", "2016-04-15", True),
        ("~2016-03-05", "2016-03-11", True),
        ("~2016-03-05", "2016-03-13", False),
        ("~2015", "2016-06", True),
        ("2015", "2016-06", False),
    ],
)
def test_it_says_whether_two_dates_can_mean_the_same_day(a: str, b: str, overlap: bool) -> None:
    assert When.parse(a).overlaps(When.parse(b)) is overlap
    assert When.parse(b).overlaps(When.parse(a)) is overlap


_whens = st.builds(
    lambda day, precision, around: When(
        year=day.year,
        month=day.month if precision != "year" else None,
        day=day.day if precision == "day" else None,
        around=around,
    ),
    st.dates(dt.date(1901, 1, 1), dt.date(2099, 12, 31)),
    st.sampled_from(["day", "month", "year"]),
    st.booleans(),
)


@given(_whens, st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)))
def test_it_overlaps_every_day_it_may_mean_and_no_other(when: When, day: dt.date) -> None:
    inside = when.earliest() <= day <= when.latest()
    assert when.overlaps(When.of(day)) is inside
    assert when.earliest() <= when.latest()
    first, last = when.earliest(), when.latest()
    assert first <= when.sort_key()[0] <= last


# --- Event -----------------------------------------------------------------------------------


def test_it_counts_the_days_of_a_detention() -> None:
    held = Event(id="e1", when=When.parse("2025-06-03"), until=When.parse("2025-08-02"))
    assert held.days == (61, 61)
    assert Event(id="e2", when=When.parse("2025-06-03"), until=When.parse("2025-06-03")).days == (
        1,
        1,
    )
    assert Event(id="e3", when=When.parse("2025-06-03")).days is None


def test_it_counts_the_days_of_an_approximate_detention_as_a_range() -> None:
    # Began some day in June, ended some day in July: 30 June to 1 July at the shortest.
    held = Event(id="e1", when=When.parse("2025-06"), until=When.parse("2025-07"))
    assert held.days == (2, 61)
    around = Event(id="e2", when=When.parse("~2025-06-03"), until=When.parse("2025-06-10"))
    assert around.days == (1, 15)


def test_it_refuses_an_event_that_ends_before_it_begins() -> None:
    with pytest.raises(ValidationError, match="ends"):
        Event(id="e1", when=When.parse("2025-06-03"), until=When.parse("2025-05"))
    # An approximate start that may lie before the end is allowed.
    Event(id="e2", when=When.parse("~2025-06"), until=When.parse("2025-05-20"))


def test_it_harms_the_applicant_unless_told_otherwise() -> None:
    assert Event(id="e1", when=When.parse("2025")).harmed == [APPLICANT]


# --- Dossier ---------------------------------------------------------------------------------


def _item(id: str, events: list[str] | None = None) -> Evidence:
    return Evidence(id=id, title="Summons", file=f"evidence/{id}.pdf", events=events or [])


def test_it_names_every_broken_link_and_duplicate_id() -> None:
    dossier = Dossier(
        events=[
            Event(id="e1", when=When.parse("2025"), evidence=["x1", "x9"]),
            Event(id="e1", when=When.parse("2024")),
        ],
        evidence=[_item("x1", ["e1", "e7"]), _item("x1")],
        declaration=[
            Paragraph(section=Section.HARMS, event="e1"),
            Paragraph(section=Section.HARMS, event="e5"),
        ],
    )
    assert dossier.problems() == [
        "event e1: the id is used twice",
        "evidence x1: the id is used twice",
        "event e1: evidence x9 does not exist",
        "evidence x1: event e7 does not exist",
        "declaration paragraph 2: event e5 does not exist",
    ]


def test_it_finds_no_problem_in_an_empty_dossier() -> None:
    assert Dossier().problems() == []


def test_it_finds_events_and_evidence_by_id() -> None:
    dossier = example()
    event = dossier.event("e4")
    assert event is not None and event.days == (61, 61)
    item = dossier.item("x4")
    assert item is not None and item.needs_translation
    assert dossier.event("e99") is None and dossier.item("x99") is None


def test_it_orders_the_timeline_by_the_middle_of_each_span() -> None:
    dossier = Dossier(
        events=[
            Event(id="late", when=When.parse("2025-06-20")),
            Event(id="vague", when=When.parse("~2025")),  # the middle: early July 2025
            Event(id="month", when=When.parse("2025-06")),  # the middle: mid-June
            Event(id="early", when=When.parse("2025-02-01")),
        ]
    )
    assert [e.id for e in dossier.timeline()] == ["early", "month", "late", "vague"]


# --- the example dossier ---------------------------------------------------------------------


def test_it_validates_the_example_dossier_with_no_problem() -> None:
    dossier = example()
    assert dossier.problems() == []
    assert 8 <= len(dossier.events) <= 12
    assert 8 <= len(dossier.evidence) <= 12
    assert (dossier.language, dossier.language_name) == ("zh", "Chinese (Mandarin)")
    assert dossier.interpreter is not None


def test_it_tells_every_section_of_the_example_in_both_languages() -> None:
    dossier = example()
    assert {p.section for p in dossier.declaration} == set(Section)
    for p in dossier.declaration:
        assert p.english and p.native
        assert any("\u4e00" <= c <= "\u9fff" for c in p.native)
    # Every event is told by at least one paragraph, and the paragraphs follow the sections.
    assert {p.event for p in dossier.declaration if p.event} == {e.id for e in dossier.events}
    order = list(Section)
    sections = [order.index(p.section) for p in dossier.declaration]
    assert sections == sorted(sections)


def test_it_translates_every_foreign_item_of_the_example() -> None:
    dossier = example()
    foreign = [x for x in dossier.evidence if x.needs_translation]
    assert any(x.language == "zh" for x in foreign)
    assert all(x.translation is not None for x in foreign)
    assert all(not x.file.startswith("/") and x.file.startswith("evidence/") for x in foreign)


def test_it_links_the_example_both_ways() -> None:
    """Events list their evidence and evidence lists its events: the two agree."""
    dossier = example()
    from_events = {(e.id, x) for e in dossier.events for x in e.evidence}
    from_items = {(e, x.id) for x in dossier.evidence for e in x.events}
    assert from_events == from_items


def test_it_reads_a_date_written_as_text_in_a_dossier_file() -> None:
    event = Event.model_validate({"id": "e1", "when": "~2016-03", "until": "2016-04-02"})
    assert event.when == When(year=2016, month=3, around=True)
    assert event.until == When(year=2016, month=4, day=2)
    with pytest.raises(ValidationError, match="expected YYYY-MM-DD"):
        Event.model_validate({"id": "e1", "when": "March 2016"})


def test_it_keeps_a_link_named_on_one_side_on_both() -> None:
    dossier = Dossier(
        events=[
            Event(id="e1", when=When.parse("2016"), evidence=["x1"]),
            Event(id="e2", when=When.parse("2017")),
        ],
        evidence=[
            Evidence(id="x1", title="Summons", file="x1.pdf"),
            Evidence(id="x2", title="Letter", file="x2.pdf", events=["e2"]),
        ],
    )
    assert dossier.evidence[0].events == ["e1"]
    assert dossier.events[1].evidence == ["x2"]
    assert dossier.problems() == []


def test_it_asks_no_translation_for_a_document_without_text() -> None:
    photo = Evidence(id="x1", title="Photo", file="x1.png", language="zxx")
    assert not photo.needs_translation
    assert Evidence(id="x2", title="Summons", file="x2.pdf", language="zh").needs_translation


def test_it_orders_an_approximate_month_after_an_exact_day_early_in_the_month_before() -> None:
    dates = [When.parse("~2026-04"), When.parse("2026-03-03"), When.parse("2026-05-20")]
    assert [str(w) for w in sorted(dates, key=When.sort_key)] == [
        "2026-03-03",
        "~2026-04",
        "2026-05-20",
    ]


def test_it_names_a_translation_of_a_document_said_to_be_in_english() -> None:
    # Otherwise the translation and its certificate would silently be left out of the packet.
    item = Evidence(
        id="x12",
        title="Notice",
        file="x12.pdf",
        translation=Translation(file="x12-en.pdf", translator="Ana Example"),
    )
    assert Dossier(evidence=[item]).problems() == [
        "evidence x12: it has an English translation, but its language is 'en': "
        "give the language of the document itself"
    ]


def test_it_asks_a_translation_for_a_language_whose_code_only_starts_like_english() -> None:
    enga = Evidence(id="x1", title="Letter", file="x1.pdf", language="enq")  # Enga
    assert enga.needs_translation
    for english in ("en", "en-US", "EN_gb", "eng"):
        assert not Evidence(
            id="x2", title="Letter", file="x2.pdf", language=english
        ).needs_translation
