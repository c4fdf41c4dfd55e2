"""The consistency checker (refugio.claim.consistency) and the reader behind it (facts).

Every kind of conflict the module docstring names is seeded into a copy of the consistent
example (examples/b-dissident-businessman*.json) and must come out naming both values and both
sources; the example itself must come out clean.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from refugio.claim import facts
from refugio.claim.consistency import Conflict, check
from refugio.claim.model import Dossier, Event, Evidence, Harm, When
from refugio.model import Application
from tests.conftest import EXAMPLES, load_example
from tests.strategies import applications

DOSSIER = EXAMPLES / "dossiers" / "b-dissident-businessman.json"


def _app() -> Application:
    return load_example("b-dissident-businessman.json")


def _dossier() -> Dossier:
    return Dossier.model_validate_json(DOSSIER.read_text(encoding="utf-8"))


def _edit(dossier: Dossier, old: str, new: str) -> str:
    """Replace ``old`` in the one paragraph that has it; its source name."""
    found = [(n, p) for n, p in enumerate(dossier.declaration, 1) if old in p.english]
    assert len(found) == 1, f"{old!r} is in {len(found)} paragraphs"
    n, paragraph = found[0]
    paragraph.english = paragraph.english.replace(old, new)
    return f"declaration paragraph {n}"


def _event(dossier: Dossier, event_id: str) -> Event:
    event = dossier.event(event_id)
    assert event is not None
    return event


def _item(dossier: Dossier, item_id: str) -> Evidence:
    item = dossier.item(item_id)
    assert item is not None
    return item


def _has(conflicts: list[Conflict], **expected: str) -> Conflict:
    """The conflict with these fields; the failure lists what was found instead."""
    for conflict in conflicts:
        if all(getattr(conflict, name) == value for name, value in expected.items()):
            return conflict
    raise AssertionError(f"no conflict {expected} among:\n" + "\n".join(map(str, conflicts)))


def test_it_finds_no_conflict_in_the_consistent_example() -> None:
    assert check(_app(), _dossier()) == []


def test_it_says_both_values_and_both_sources_in_plain_english() -> None:
    conflict = Conflict(
        "date",
        "detention",
        "5 June 2025",
        "declaration paragraph 8",
        "2025-06-03",
        "timeline event e4",
    )
    assert conflict.message == (
        "detention: 5 June 2025 in declaration paragraph 8, 2025-06-03 in timeline event e4"
    )


# --- 1. dates of harms and evidence ----------------------------------------------------------


def test_it_catches_a_harm_date_in_the_paragraph_telling_the_event() -> None:
    dossier = _dossier()
    source = _edit(dossier, "On 3 June 2025, at about 10 a.m.", "On 5 June 2025, at about 10 a.m.")
    _has(
        check(_app(), dossier),
        category="date",
        what="detention",
        value="5 June 2025",
        source=source,
        other_value="2025-06-03 to 2025-08-02",
        other_source="timeline event e4",
    )


def test_it_catches_a_harm_date_in_part_b() -> None:
    dossier = _dossier()
    _event(dossier, "e4").when = When.parse("2025-06-05")
    _has(
        check(_app(), dossier),
        what="detention",
        value="3 June 2025",
        source="Part B item 2",
        other_value="2025-06-05 to 2025-08-02",
        other_source="timeline event e4",
    )


def test_it_catches_a_release_date_that_misses_the_end_of_the_detention() -> None:
    dossier = _dossier()
    # Event e4 ends on 2 August 2025; a summary now says the release came a month later.
    _event(dossier, "e4").summary_en += " I was released on 2 September 2025."
    _has(
        check(_app(), dossier),
        category="date",
        what="detention (release)",
        value="2 September 2025",
        source="timeline event e4 (summary)",
        other_value="2025-06-03 to 2025-08-02",
        other_source="timeline event e4",
    )


def test_it_accepts_a_release_on_the_last_day_of_the_detention() -> None:
    dossier = _dossier()
    _event(dossier, "e4").summary_en += " They let me go on 2 August 2025."
    assert check(_app(), dossier) == []


def test_it_reads_being_taken_away_as_a_detention() -> None:
    dossier = _dossier()
    _event(dossier, "e4").summary_en += " On 5 June 2025 they took me away."
    found = check(_app(), dossier)
    assert [(c.what, c.value) for c in found] == [("detention", "5 June 2025")]


def test_it_catches_a_date_in_an_event_summary() -> None:
    dossier = _dossier()
    _event(dossier, "e9").when = When.parse("2026-04")
    _has(
        check(_app(), dossier),
        what="interrogation",
        value="March 2026",
        source="timeline event e9 (summary)",
        other_value="2026-04 to 2026-05",
        other_source="timeline event e9",
    )


def test_it_catches_two_texts_dating_a_vague_event_apart() -> None:
    """The timeline says only "2021": the declaration and Part B each agree with it, not with
    each other."""
    dossier = _dossier()
    _event(dossier, "e2").when = When.parse("2021")
    source = _edit(dossier, "On 13 July 2021", "On 13 September 2021")
    conflict = _has(
        check(_app(), dossier),
        what="interrogation",
        value="13 September 2021",
        source=source,
        other_value="July 2021",
        other_source="Part B item 1.A",
    )
    assert "timeline event e2" in conflict.message


def test_it_catches_a_record_dated_outside_its_event() -> None:
    dossier = _dossier()
    _item(dossier, "x4").date = When.parse("2025-05-02")
    conflict = _has(
        check(_app(), dossier),
        what="detention",
        value="2025-05-02",
        source="evidence x4 (Decision on bail pending trial (qubao houshen jueding shu))",
        other_value="2025-06-03 to 2025-08-02",
        other_source="timeline event e4",
    )
    assert "within the event" in conflict.message


def test_it_catches_a_report_older_than_what_it_reports() -> None:
    dossier = _dossier()
    _item(dossier, "x5").date = When.parse("2025-05-20")
    conflict = _has(check(_app(), dossier), value="2025-05-20", other_source="timeline event e4")
    assert conflict.source.startswith("evidence x5 (Medical report")
    assert "cannot be older" in conflict.message


def test_it_catches_a_summons_dated_after_the_questioning() -> None:
    dossier = _dossier()
    _item(dossier, "x2").date = When.parse("2021-08-20")
    _has(check(_app(), dossier), value="2021-08-20", other_value="2021-07-13")


def test_it_accepts_documents_dated_after_the_event_when_that_is_normal() -> None:
    """A medical report months later, a summons days before, an arrest warrant either side
    (issued after the arrest, as often in China): none is a conflict."""
    dossier = _dossier()
    _item(dossier, "x5").date = When.parse("2026-01-10")
    _item(dossier, "x2").date = When.parse("2021-07-01")
    for n, day in enumerate(("2025-09-01", "2025-01-01")):
        dossier.evidence.append(
            Evidence(
                id=f"w{n}",
                title="Arrest warrant",
                kind="official",
                file=f"evidence/w{n}.pdf",
                date=When.parse(day),
                events=["e4"],
            )
        )
    assert check(_app(), dossier) == []


def test_it_never_raises_a_false_alarm_over_an_approximate_date() -> None:
    dossier = _dossier()
    _event(dossier, "e4").when = When.parse("~2025-06")
    _event(dossier, "e2").when = When.parse("~2021")
    _event(dossier, "e8").when = When.parse("2026")
    assert check(_app(), dossier) == []


# --- 2. places -------------------------------------------------------------------------------


def test_it_catches_a_paragraph_placing_the_event_elsewhere() -> None:
    dossier = _dossier()
    source = _edit(
        dossier, "the police in Dongguan every week", "the police in Shenzhen every week"
    )
    _has(
        check(_app(), dossier),
        category="place",
        what="place of travel ban",
        value="Shenzhen",
        source=source,
        other_value="Dongguan, Guangdong, China",
        other_source="timeline event e6",
    )


def test_it_catches_a_harm_where_part_a_iii_says_the_applicant_did_not_live() -> None:
    dossier = _dossier()
    _event(dossier, "e2").place = "Bangkok, Thailand"
    conflict = _has(
        check(_app(), dossier),
        what="place of interrogation",
        value="Bangkok, Thailand (2021-07-13)",
        source="timeline event e2",
        other_source="Part A.III item 2",
    )
    assert "Shenzhen, China (2017-03 to 2025-06)" in conflict.other_value


def test_it_accepts_a_harm_on_a_trip_that_part_c_tells() -> None:
    dossier = _dossier()
    dossier.events.append(
        Event(
            id="e12",
            when=When.parse("2023-10-13"),
            place="Ho Chi Minh City, Vietnam",
            kinds=[Harm.INTERROGATION],
        )
    )
    assert check(_app(), dossier) == []


def test_it_accepts_harms_abroad_that_need_no_presence() -> None:
    """A red notice or an extradition request reaches the applicant wherever they live."""
    dossier = _dossier()
    assert _event(dossier, "e10").place == "Bangkok, Thailand"
    _event(dossier, "e11").place = "Lyon, France"
    assert [c for c in check(_app(), dossier) if c.other_source.startswith("Part A.III")] == []


# --- 3. people -------------------------------------------------------------------------------


def test_it_catches_a_child_named_differently() -> None:
    dossier = _dossier()
    source = _edit(dossier, "our sons Cen Mingyu,", "our sons Cen Minyu,")
    _has(
        check(_app(), dossier),
        category="person",
        what="son's name",
        value="Cen Minyu",
        source=source,
        other_value="Cen Mingyu",
        other_source="Part A.II child 1",
    )


def test_it_catches_a_spouse_named_differently() -> None:
    dossier = _dossier()
    source = _edit(dossier, "My wife Qiu Wanling and I", "My wife Qiu Wanting and I")
    _has(
        check(_app(), dossier),
        what="wife's name",
        value="Qiu Wanting",
        source=source,
        other_value="Qiu Wanling",
        other_source="Part A.II spouse",
    )


def test_it_catches_a_daughter_called_a_son() -> None:
    dossier = _dossier()
    source = _edit(dossier, "Cen Zhiheng and Cen Yuxuan,", "Cen Zhiheng and Cen Yutong,")
    conflict = _has(check(_app(), dossier), what="son's name", value="Cen Yutong", source=source)
    assert conflict.other_source.startswith("Part A.II child")


def test_it_catches_a_relative_misspelled_in_the_evidence_and_the_timeline() -> None:
    dossier = _dossier()
    _item(dossier, "x9").person = "Cen Lijung"
    _event(dossier, "e8").harmed = ["Cen Lihau"]
    conflicts = check(_app(), dossier)
    _has(
        conflicts,
        what="name",
        value="Cen Lijung",
        source="evidence x9 (Statement of Cen Lijun on his summonses by the Wenzhou police)",
        other_value="Cen Lijun",
        other_source="Part A.III item 5 (sibling 2)",
    )
    _has(conflicts, value="Cen Lihau", source="timeline event e8 (harmed)", other_value="Cen Lihua")


def test_it_leaves_people_outside_the_family_alone() -> None:
    dossier = _dossier()
    _item(dossier, "x7").people = ["Fang Cuiping", "Zhou Minghui"]
    _event(dossier, "e1").witnesses = ["Fang Cuiping"]
    assert check(_app(), dossier) == []


# --- 4. counts -------------------------------------------------------------------------------


def test_it_catches_a_number_of_children() -> None:
    dossier = _dossier()
    source = _edit(dossier, "We have six children", "We have five children")
    _has(
        check(_app(), dossier),
        category="count",
        what="number of children",
        value="We have five children",
        source=source,
        other_value="6",
        other_source="Part A.II",
    )


def test_it_catches_the_length_of_a_detention() -> None:
    dossier = _dossier()
    source = _edit(dossier, "I was held for 61 days", "I was held for two weeks")
    _has(
        check(_app(), dossier),
        what="length of detention",
        value="for two weeks",
        source=source,
        other_value="2025-06-03 to 2025-08-02 (61 days)",
        other_source="timeline event e4",
    )


@pytest.mark.parametrize("length", ["two months", "about nine weeks", "sixty-one days"])
def test_it_accepts_a_length_told_in_other_words(length: str) -> None:
    dossier = _dossier()
    _edit(dossier, "I was held for 61 days", f"I was held for {length}")
    assert check(_app(), dossier) == []


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("I was detained twice.", "detained twice"),
        ("It was my second detention.", "my second detention"),
        ("It was the second time I was detained.", "the second time I was detained"),
    ],
)
def test_it_catches_a_number_of_detentions(words: str, value: str) -> None:
    dossier = _dossier()
    source = _edit(dossier, "I never signed the statement", f"{words} I never signed the statement")
    _has(
        check(_app(), dossier),
        what="number of detentions",
        value=value,
        source=source,
        other_value="1",
        other_source="the timeline (e4)",
    )


# --- 5. dates of the form --------------------------------------------------------------------


def test_it_catches_a_departure_date() -> None:
    dossier = _dossier()
    source = _edit(dossier, "On 16 February 2026 I left China", "On 18 February 2026 I left China")
    _has(
        check(_app(), dossier),
        what="departure from China",
        value="18 February 2026",
        source=source,
        other_value="2026-02-16",
        other_source="Part A.I item 19.A",
    )


def test_it_catches_an_arrival_date_but_allows_an_overnight_flight() -> None:
    dossier = _dossier()
    source = _edit(dossier, "On 10 March 2026 we flew", "On 12 March 2026 we flew")
    _has(
        check(_app(), dossier),
        what="arrival in the United States",
        value="12 March 2026",
        source=source,
        other_value="2026-03-10",
        other_source="Part A.I item 19.C (entry 1)",
    )
    dossier = _dossier()
    _edit(dossier, "On 10 March 2026 we flew", "On 9 March 2026 we flew")
    assert check(_app(), dossier) == []


def test_it_catches_a_date_of_marriage() -> None:
    dossier = _dossier()
    source = _edit(dossier, "married on 3 October 1998", "married on 3 October 1999")
    _has(
        check(_app(), dossier),
        what="date of marriage",
        value="3 October 1999",
        source=source,
        other_value="1998-10-03",
        other_source="Part A.II spouse item 9",
    )


def test_it_catches_a_journey_event_dated_otherwise_than_the_form() -> None:
    dossier = _dossier()
    dossier.events.append(
        Event(
            id="e12",
            when=When.parse("2026-02-18"),
            place="Guangzhou, Guangdong, China",
            kinds=[Harm.OTHER],
            summary_en="We left China from Guangzhou Baiyun Airport.",
        )
    )
    _has(
        check(_app(), dossier),
        what="departure from China",
        value="2026-02-18",
        source="timeline event e12 (summary)",
        other_value="2026-02-16",
        other_source="Part A.I item 19.A",
    )


def test_it_catches_a_harm_in_the_country_after_the_applicant_left_it() -> None:
    dossier = _dossier()
    dossier.events.append(
        Event(
            id="e12",
            when=When.parse("2026-04-10"),
            place="Guangzhou, Guangdong, China",
            kinds=[Harm.DETENTION],
        )
    )
    conflicts = check(_app(), dossier)
    _has(
        conflicts,
        what="detention",
        value="2026-04-10 in Guangzhou, Guangdong, China",
        source="timeline event e12",
        other_value="last left China on 2026-02-16",
        other_source="Part A.I item 19.A",
    )
    _has(conflicts, category="place", source="timeline event e12", other_source="Part A.III item 2")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(applications())
def test_it_checks_any_application_against_the_example_dossier(app: Application) -> None:
    """Whatever the form says (any names, dates from 1900 to 2099, empty lists), the checker
    answers with conflicts that name two sources, and never fails."""
    for conflict in check(app, _dossier()):
        assert conflict.source and conflict.other_source and conflict.value


# --- the US date order -----------------------------------------------------------------------


def test_it_reads_slashed_dates_month_first_and_says_so() -> None:
    dossier = _dossier()
    _edit(dossier, "On 3 June 2025, at about", "On 06/03/2025, at about")
    assert check(_app(), dossier) == []
    dossier = _dossier()
    source = _edit(dossier, "On 3 June 2025, at about", "On 03/06/2025, at about")
    conflict = _has(check(_app(), dossier), what="detention", source=source)
    assert conflict.value == "03/06/2025 (read as MM/DD/YYYY, the form's order)"


# --- facts: the reader -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "n"),
    [
        ("61", 61),
        ("three", 3),
        ("Twenty-one", 21),
        ("sixty one", 61),
        ("nineteen", 19),
        ("a", 1),
        ("ninety-nine", 99),
        ("twenty-", None),
        ("dozen", None),
    ],
)
def test_it_understands_english_numbers(word: str, n: int | None) -> None:
    assert facts.number(word) == n


@pytest.mark.parametrize(
    ("text", "when", "note"),
    [
        ("on 5 March 2016 they came", "2016-03-05", ""),
        ("on March 5, 2016 they came", "2016-03-05", ""),
        ("on the 5th of March 2016", "2016-03-05", ""),
        ("on 2016-03-05", "2016-03-05", ""),
        ("in March 2016", "2016-03", ""),
        ("in Sept. 2016", "2016-09", ""),
        ("in 2016", "2016", ""),
        ("around March 2016", "~2016-03", ""),
        ("on 05/03/2016", "2016-05-03", "read as MM/DD/YYYY, the form's order"),
        ("on 25/03/2016", "2016-03-25", ""),
        ("on 03/03/2016", "2016-03-03", ""),
    ],
)
def test_it_reads_dates_in_the_common_english_forms(text: str, when: str, note: str) -> None:
    (found,) = facts.dates(text)
    assert str(found.when) == when
    assert found.note == note


@pytest.mark.parametrize(
    "text", ["on 3 June they came", "on 31 April 2016", "Room 1708", "about 3,000 copies"]
)
def test_it_reads_no_date_where_there_is_none_with_a_year(text: str) -> None:
    assert facts.dates(text) == ()


_FORMS = ("{d.day} {month} {d.year}", "{month} {d.day}, {d.year}", "{d:%Y-%m-%d}", "{d:%m/%d/%Y}")


@given(st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)), st.sampled_from(_FORMS))
def test_it_reads_back_any_day_it_is_given(day: dt.date, form: str) -> None:
    text = "It happened on " + form.format(d=day, month=f"{day:%B}") + " at night."
    (found,) = facts.dates(text)
    assert found.when == When.of(day)


def test_it_marks_the_bounds_of_a_period() -> None:
    bounds = [(d.text, d.bound) for d in facts.dates("From March 2018 until May 2025 I paid.")]
    assert bounds == [("March 2018", False), ("May 2025", True)]


def test_it_splits_sentences_but_not_after_titles_or_times() -> None:
    text = "Ms. Fang was taken at 10 a.m. on Monday. I was held. \n\n2. Then I left."
    assert facts.sentences(text) == [
        "Ms. Fang was taken at 10 a.m. on Monday.",
        "I was held.",
        "2.",
        "Then I left.",
    ]


@pytest.mark.parametrize(
    ("text", "kind", "date", "parties"),
    [
        ("On 3 June 2025 five officers detained me.", Harm.DETENTION, "3 June 2025", {"applicant"}),
        (
            "In July 2021, after the fire, I was summoned and questioned.",
            Harm.INTERROGATION,
            "July 2021",
            {"applicant"},
        ),
        (
            "In June 2025 my wife was questioned for three hours.",
            Harm.INTERROGATION,
            "June 2025",
            {"spouse"},
        ),
        (
            "I spoke about my detention in June 2025 at length.",
            Harm.DETENTION,
            "June 2025",
            {"applicant"},
        ),
    ],
)
def test_it_reads_harms_with_their_dates_and_people(
    text: str, kind: Harm, date: str, parties: set[str]
) -> None:
    found = [h for h in facts.harm_dates(text) if h.kind is kind]
    assert found
    assert {(h.date.text, h.parties) for h in found} == {(date, frozenset(parties))}


@pytest.mark.parametrize(
    "text",
    [
        "If I am returned in 2027 I will be arrested at the border.",
        "I was never arrested in 2019.",
        "A file was prepared in January 2026 to charge me.",
        "On 19 July 2026 I spoke about my detention at a forum.",
        "They asked Thailand in March 2026 for my provisional arrest.",
        "Ms. Fang was sentenced in January 2026.",
    ],
)
def test_it_reads_no_dated_harm_in_plans_denials_documents_or_other_people(text: str) -> None:
    assert [h for h in facts.harm_dates(text) if h.parties] == []


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("I was held for 61 days.", 61, 61),
        ("I was detained for two weeks.", 11, 17),
        ("I was held for about a month in detention.", 18.4, 44.4),
        ("I was detained for more than three weeks.", 18, float("inf")),
    ],
)
def test_it_reads_the_length_of_a_detention(text: str, low: float, high: float) -> None:
    (found,) = facts.durations(text)
    assert (found.low, found.high) == pytest.approx((low, high))


def test_it_reads_no_length_where_no_detention_is_told() -> None:
    assert facts.durations("For the first nine days I could not sleep. We drove for an hour.") == []


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("We have six children.", 6),
        ("I had twenty-one children.", 21),
        ("My two sons and one daughter live with me.", 3),
        ("our three youngest children came with us", None),
        ("my two children in Canada", None),
        ("my three children who study abroad", None),
    ],
)
def test_it_counts_children_only_when_all_are_meant(text: str, n: int | None) -> None:
    assert [c.low for c in facts.children_counts(text)] == ([n] if n is not None else [])


def test_it_reads_relatives_and_their_names() -> None:
    text = (
        "My wife, Qiu Wanling, and I married in 1998. Our three youngest children, Yutong, "
        "Yuxuan and Xinyue, came too; my sister Cen Lihua's flat was searched, my brother-in-law "
        "was not, and my mother In Wenzhou waited."
    )
    assert [(r.relation, r.names) for r in facts.relatives(text)] == [
        ("wife", ("Qiu Wanling",)),
        ("children", ("Yutong", "Yuxuan", "Xinyue")),
        ("sister", ("Cen Lihua",)),
        ("mother", ()),
    ]


def test_it_reads_the_journey_told_by_the_applicant_only() -> None:
    text = (
        "On 16 February 2026 I left China. Mingyu came to the United States in 2019. "
        "I left China for Vietnam on 11 October 2023 and returned on 16 October 2023. "
        "After leaving China on 17 February 2026 we rested. We flew to San Francisco on "
        "10 March 2026."
    )
    assert [d.text for d in facts.departures(text, "China")] == ["16 February 2026"]
    assert [d.text for d in facts.arrivals(text, ["San Francisco"])] == ["10 March 2026"]
    assert [d.text for d in facts.marriages("My wife and I married on 3 October 1998.")] == [
        "3 October 1998"
    ]
    assert facts.marriages("Our daughter married a Canadian in 2023.") == []
