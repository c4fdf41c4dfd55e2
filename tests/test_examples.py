"""The example case files (examples/*.json) and the contract of tests/strategies.py.

The examples are fictional people. Each must validate, pass the checker without errors on
TODAY, and keep the properties other tests rely on: (a) is a complete simple case, (b) overflows
every list and narrative of the form, (c) has an Arabic-script (Pashto) native name and a
Convention Against Torture claim.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from pydantic import BaseModel

from refugio.check import check
from refugio.model import Application, Child, Employment, Residence, School, YesNo
from tests.conftest import EXAMPLES, TODAY, load_example
from tests.strategies import NATIVE_NAMES, applications

NAMES = ("a-single-applicant.json", "b-dissident-businessman.json", "c-journalist-pashto.json")
NATIVE = "signature.native_alphabet_name"
PASHTO_LETTERS = frozenset("ټډړږښګځڅۍېڼ")


def _leaves(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _leaves(getattr(node, name), f"{path}.{name}" if path else name)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _leaves(item, f"{path}[{i}]")
    else:
        yield path, node


def _strings(app: Application) -> Iterator[tuple[str, str]]:
    return ((p, v) for p, v in _leaves(app) if isinstance(v, str))


def _yes_nos(app: Application) -> Iterator[tuple[str, YesNo]]:
    for part in (app.claim, app.additional):
        for name in type(part).model_fields:
            value = getattr(part, name)
            if isinstance(value, YesNo):
                yield name, value


def _latin(text: str) -> bool:
    return all(not c.isalpha() or "LATIN" in unicodedata.name(c, "").split() for c in text) and all(
        c.isascii() or not c.isdigit() for c in text
    )


def _han(text: str) -> bool:
    return bool(text) and all(
        0x4E00 <= ord(c) <= 0x9FFF or 0x3400 <= ord(c) <= 0x4DBF for c in text
    )


def _arabic_script(text: str) -> bool:
    return all(c == " " or 0x0600 <= ord(c) <= 0x06FF for c in text)


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _text_is_clean(path: str, value: str) -> None:
    assert value == value.strip() and (value == "" or value.strip()), (path, value)
    for c in value:
        if c == "\n":
            assert path.endswith("explanation"), f"line break outside a narrative: {path}"
        else:
            assert not unicodedata.category(c).startswith("C"), (path, repr(c))


# --- every example ------------------------------------------------------------------------------


@pytest.fixture(params=NAMES)
def example(request: pytest.FixtureRequest) -> Application:
    return load_example(request.param)


def test_the_examples_are_the_three_expected_files() -> None:
    assert sorted(p.name for p in EXAMPLES.glob("*.json")) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_it_validates_and_round_trips(name: str) -> None:
    app = Application.model_validate_json((EXAMPLES / name).read_text(encoding="utf-8"))
    assert Application.model_validate_json(app.model_dump_json()) == app


def test_the_checker_finds_no_error(example: Application) -> None:
    errors = [f for f in check(example, today=TODAY) if f.severity == "error"]
    assert not errors, "\n".join(f"{f.path}: {f.message}" for f in errors)


def test_every_question_is_answered(example: Application) -> None:
    a = example.applicant
    for value in (
        a.sex,
        a.marital_status,
        a.date_of_birth,
        a.immigration_court,
        a.last_departure_date,
        a.fluent_in_english,
    ):
        assert value is not None
    for name, question in _yes_nos(example):
        assert question.answer is not None, name
        if question.answer:
            assert question.explanation.strip(), f"{name}: yes without an explanation"
    c = example.additional
    assert c.travel_through_other_countries is not None
    assert c.status_in_other_countries is not None
    if c.travel_through_other_countries or c.status_in_other_countries:
        assert c.other_countries_explanation.strip()
    g = example.claim.grounds
    assert any(getattr(g, name) for name in type(g).model_fields)
    s = example.signature
    for value in (s.family_assisted, s.prepared_by_other, s.received_counsel_list, s.date_signed):
        assert value is not None
    assert s.native_alphabet_name
    assert (example.preparer is not None) == s.prepared_by_other
    assert bool(s.assistants) == s.family_assisted


def test_dates_are_consistent(example: Application) -> None:
    a = example.applicant
    assert a.date_of_birth is not None and a.last_departure_date is not None
    entries = [e.date for e in a.entries]
    assert entries and all(d is not None for d in entries)
    dates = [d for d in entries if d is not None]
    assert dates == sorted(dates, reverse=True), "entries most recent first"
    assert a.date_of_birth < dates[-1] and dates[0] <= TODAY
    assert a.date_of_birth < a.last_departure_date <= dates[0]
    signed = example.signature.date_signed
    assert signed is not None and dates[0] <= signed <= TODAY
    assert signed < dates[0].replace(year=dates[0].year + 1), "filed within one year"
    assert dates[0].replace(year=dates[0].year + 1) > TODAY, "deadline not passed on TODAY"
    for e in a.entries:
        assert e.status_expires is None or (e.date is not None and e.status_expires > e.date)
    for child in example.children:
        assert child.date_of_birth is not None and a.date_of_birth < child.date_of_birth
    if example.spouse is not None:
        assert example.spouse.date_of_marriage is not None
        assert a.date_of_birth < example.spouse.date_of_marriage <= TODAY


def test_present_ends_only_the_first_residence_or_job(example: Application) -> None:
    b = example.background
    lists: dict[str, tuple[Sequence[Residence | School | Employment], bool]] = {
        "residences": (b.residences, True),
        "employment": (b.employment, True),
        "education": (b.education, False),
        "last_addresses_before_us": (b.last_addresses_before_us, False),
    }
    for name, (rows, present_allowed) in lists.items():
        for i, row in enumerate(rows):
            assert row.start is not None and row.start != "present", (name, i)
            assert row.end is not None, (name, i)
            if row.end == "present":
                assert present_allowed and i == 0, (name, i)
            else:
                assert row.start <= row.end <= f"{TODAY:%Y-%m}", (name, i)
    assert b.residences[0].end == "present"


def test_identifiers_have_the_forms_shape(example: Application) -> None:
    for path, value in _strings(example):
        leaf = path.rsplit(".", 1)[-1]
        if not value:
            continue
        if leaf == "a_number" or leaf == "ssn":
            assert re.fullmatch(r"[0-9]{9}", value), (path, value)
        elif leaf == "i94_number":
            assert value == "None" or re.fullmatch(r"[0-9A-Z]{11}", value), (path, value)
        elif leaf == "state":
            assert re.fullmatch(r"[A-Z]{2}", value), (path, value)
        elif leaf == "zip_code":
            assert re.fullmatch(r"[0-9]{5}", value), (path, value)
        elif leaf == "phone_area_code":
            assert re.fullmatch(r"[0-9]{3}", value), (path, value)
        elif leaf == "phone_number":
            assert re.fullmatch(r"[0-9]{7}", value), (path, value)


def test_text_is_clean_english_except_the_native_name(example: Application) -> None:
    for path, value in _strings(example):
        _text_is_clean(path, value)
        if path != NATIVE:
            assert _latin(value), (path, value)


def test_included_relatives_are_eligible(example: Application) -> None:
    if example.spouse is not None and example.spouse.include_in_application:
        assert example.spouse.in_us
    for child in example.children:
        if child.include_in_application:
            assert child.in_us and child.marital_status != "married"
            assert child.date_of_birth is not None and _age(child.date_of_birth, TODAY) < 21
        if child.in_us is False:
            assert child.location and child.include_in_application is None


# --- (a) a single applicant ---------------------------------------------------------------------


def test_a_is_a_single_applicant_with_one_entry() -> None:
    app = load_example("a-single-applicant.json")
    assert app.applicant.marital_status == "single"
    assert app.spouse is None and app.children == []
    assert len(app.applicant.entries) == 1
    assert 1 < len(app.background.residences) <= 5
    assert app.preparer is None and app.signature.prepared_by_other is False
    assert not app.cat_withholding


# --- (b) the dissident businessman --------------------------------------------------------------


@pytest.fixture(scope="module")
def business() -> Application:
    return load_example("b-dissident-businessman.json")


def test_b_overflows_every_list_of_the_form(business: Application) -> None:
    b = business.background
    assert len(business.children) == 6
    assert len(business.applicant.entries) == 5  # the form has rows for 3
    assert len(b.residences) > 5
    assert len(b.employment) > 3
    assert len(b.education) > 4
    assert len(b.siblings) >= 5
    assert b.mother is not None and b.father is not None
    assert len(business.applicant.other_names) >= 2


def test_b_covers_twelve_years_of_addresses_and_jobs(business: Application) -> None:
    twelve_years_ago = f"{TODAY.year - 12}-{TODAY.month:02d}"
    for rows in (business.background.residences, business.background.employment):
        assert min(str(row.start) for row in rows) <= twelve_years_ago
        recent = [row for row in rows if row.end == "present" or str(row.end) >= twelve_years_ago]
        assert len(recent) > (5 if rows is business.background.residences else 3)


def test_b_has_a_han_native_name(business: Application) -> None:
    assert _han(business.signature.native_alphabet_name)


def test_b_has_long_narratives(business: Application) -> None:
    c = business.claim
    assert 5000 < len(c.past_harm.explanation) <= 9000
    assert len(c.fear_of_return.explanation) > 2500
    assert len(c.arrested_abroad.explanation) > 2500
    assert len(c.organizations.explanation) > 1500
    assert len(c.fear_of_torture.explanation) > 1200
    assert "\n\n" in c.past_harm.explanation


def test_b_family(business: Application) -> None:
    spouse = business.spouse
    assert spouse is not None and spouse.in_us and spouse.include_in_application
    in_us = [c for c in business.children if c.in_us]
    abroad = [c for c in business.children if c.in_us is False]
    assert abroad and all(c.location for c in abroad)

    def age(c: Child) -> int:
        assert c.date_of_birth is not None
        return _age(c.date_of_birth, TODAY)

    included = [c for c in in_us if c.include_in_application]
    assert len(included) >= 2
    assert all(age(c) < 21 and c.marital_status == "single" for c in included)
    adults = [c for c in in_us if age(c) >= 21]
    assert len(adults) == 1 and adults[0].include_in_application is False


def test_b_was_prepared_by_an_attorney(business: Application) -> None:
    assert business.signature.prepared_by_other
    p = business.preparer
    assert p is not None and p.name and p.bar_number and p.g28_attached
    assert p.address.street and p.address.state and p.address.phone_number
    assert business.cat_withholding and business.claim.fear_of_torture.answer
    assert business.additional.travel_through_other_countries


# --- (c) the Afghan journalist ------------------------------------------------------------------


def test_c_has_a_pashto_native_name_and_a_torture_claim() -> None:
    app = load_example("c-journalist-pashto.json")
    name = app.signature.native_alphabet_name
    assert _arabic_script(name) and PASHTO_LETTERS & set(name)
    assert app.cat_withholding
    g = app.claim.grounds
    assert g.political_opinion and g.torture_convention
    assert app.claim.fear_of_torture.answer
    assert len(app.claim.fear_of_torture.explanation) > 1000
    assert app.spouse is not None and app.spouse.in_us is False and app.spouse.location
    assert len(app.children) == 2 and all(c.in_us is False for c in app.children)
    assert len(app.applicant.entries) == 1


# --- tests/strategies.py ------------------------------------------------------------------------


def test_the_native_name_samples_are_in_their_scripts() -> None:
    assert all(_han(n) for n in NATIVE_NAMES["han"])
    for script in ("arabic", "persian", "pashto", "urdu"):
        assert all(_arabic_script(n) for n in NATIVE_NAMES[script])
    assert all(PASHTO_LETTERS & set(n) for n in NATIVE_NAMES["pashto"])
    ranges = {
        "cyrillic": (0x0400, 0x04FF),
        "geez": (0x1200, 0x137F),
        "devanagari": (0x0900, 0x097F),
        "gurmukhi": (0x0A00, 0x0A7F),
    }
    for script, (lo, hi) in ranges.items():
        for name in NATIVE_NAMES[script]:
            assert all(c == " " or lo <= ord(c) <= hi for c in name), name


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(applications())
def test_the_strategy_makes_valid_clean_applications(app: Application) -> None:
    assert Application.model_validate_json(app.model_dump_json()) == app
    for path, value in _strings(app):
        _text_is_clean(path, value)
    b = app.background
    current: tuple[Sequence[Residence | School | Employment], ...] = (b.residences, b.employment)
    for rows in current:
        assert all(row.end != "present" for row in rows[1:])
    for rows in (b.education, b.last_addresses_before_us):
        assert all(row.end != "present" for row in rows)
    assert len(app.children) <= 9 and len(app.applicant.entries) <= 7
    assert max(len(v) for _, v in _strings(app)) <= 6000
