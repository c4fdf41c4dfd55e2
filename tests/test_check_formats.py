"""Rule 2: identifiers and US addresses have the shape the form's boxes take."""

from __future__ import annotations

import pytest

from refugio.check import Finding, check
from refugio.check.formats import (
    STATE_CODES,
    normalize_a_number,
    normalize_i94,
    normalize_ssn,
    normalize_state,
)
from refugio.model import Application
from tests.factories import TODAY, valid_application


def findings_for(**applicant: str) -> list[Finding]:
    app = valid_application()
    for name, value in applicant.items():
        setattr(app.applicant, name, value)
    return check(app, today=TODAY)


def residence_findings(**address: str) -> list[Finding]:
    app: Application = valid_application()
    for name, value in address.items():
        setattr(app.applicant.residence, name, value)
    return check(app, today=TODAY)


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("A201555019", "201555019"),
        ("A-201-555-019", "201555019"),
        ("a 20155501", "20155501"),
        ("2015550", "2015550"),
    ],
)
def test_it_normalises_an_a_number(typed: str, digits: str) -> None:
    assert normalize_a_number(typed) == digits
    assert findings_for(a_number=typed) == []


@pytest.mark.parametrize("typed", ["A201555", "2015550190", "A20155501B", "AA201555019"])
def test_it_refuses_an_a_number_of_the_wrong_shape(typed: str) -> None:
    assert normalize_a_number(typed) is None
    [finding] = [f for f in findings_for(a_number=typed) if f.path == "applicant.a_number"]
    assert (finding.severity, finding.item) == ("error", "Part A.I, item 1")


@pytest.mark.parametrize("answer", ["none", "None", "N/A", "not applicable", "Unknown"])
def test_it_accepts_the_instructions_words_for_nothing_in_a_number_box(answer: str) -> None:
    assert findings_for(a_number=answer, i94_number=answer, ssn=answer) == []


def test_it_normalises_an_ssn_with_dashes() -> None:
    assert normalize_ssn("219-09-9999") == "219099999"
    assert findings_for(ssn="219-09-9999") == []


def test_it_refuses_an_ssn_of_the_wrong_length() -> None:
    [finding] = findings_for(ssn="219-09-999")
    assert (finding.severity, finding.item, finding.path) == (
        "error",
        "Part A.I, item 2",
        "applicant.ssn",
    )
    assert "9 digits" in finding.message


def test_it_tells_an_itin_from_an_ssn() -> None:
    [finding] = findings_for(ssn="912-70-1234")
    assert "ITIN" in finding.message


@pytest.mark.parametrize("typed", ["000-12-3456", "666-12-3456", "219-00-9999", "219-09-0000"])
def test_it_refuses_ssns_never_issued(typed: str) -> None:
    [finding] = findings_for(ssn=typed)
    assert "not a number the Social Security Administration issues" in finding.message


def test_it_takes_both_shapes_of_i94_number() -> None:
    assert normalize_i94("12345678901") == "12345678901"
    assert normalize_i94("123456789a1") == "123456789A1"
    assert findings_for(i94_number="123456789a1") == []


def test_it_refuses_an_i94_number_of_ten_characters() -> None:
    [finding] = findings_for(i94_number="1234567890")
    assert (finding.severity, finding.item) == ("error", "Part A.I, item 19.B")


@pytest.mark.parametrize("code", ["DC", "PR", "GU", "VI", "AS", "MP", "AA", "AE", "AP", "ny"])
def test_it_accepts_dc_territories_and_military_states(code: str) -> None:
    assert normalize_state(code) == code.upper()
    assert residence_findings(state=code) == []


def test_it_knows_fifty_states_dc_five_territories_and_three_military_codes() -> None:
    assert len(STATE_CODES) == 50 + 1 + 5 + 3


@pytest.mark.parametrize("code", ["Illinois", "XX", "FM", "I.L."])
def test_it_refuses_what_is_not_a_us_state_code(code: str) -> None:
    [finding] = residence_findings(state=code)
    assert (finding.severity, finding.path) == ("error", "applicant.residence.state")


def test_it_warns_that_zip_plus_4_does_not_fit_the_box() -> None:
    [finding] = residence_findings(zip_code="62701-1234")
    assert finding == Finding(
        "warning",
        "Part A.I, item 8",
        "applicant.residence.zip_code",
        "the form's ZIP code box holds 5 digits: give 62701",
    )


@pytest.mark.parametrize("code", ["6270", "627011", "IL 62701"])
def test_it_refuses_a_zip_code_that_is_not_five_digits(code: str) -> None:
    [finding] = residence_findings(zip_code=code)
    assert (finding.severity, finding.path) == ("error", "applicant.residence.zip_code")


@pytest.mark.parametrize(("area", "number"), [("(217)", "555 0134"), ("217", "555.0134")])
def test_it_accepts_usual_telephone_punctuation(area: str, number: str) -> None:
    assert residence_findings(phone_area_code=area, phone_number=number) == []


def test_it_refuses_a_two_digit_area_code() -> None:
    [finding] = residence_findings(phone_area_code="21")
    assert (finding.severity, finding.path) == ("error", "applicant.residence.phone_area_code")


def test_it_refuses_a_ten_digit_number_in_the_seven_digit_box() -> None:
    findings = residence_findings(phone_area_code="", phone_number="2175550134")
    assert [(f.path, f.message) for f in findings] == [
        ("applicant.residence.phone_area_code", "telephone area code is blank"),
        (
            "applicant.residence.phone_number",
            "telephone number must be 7 digits (the area code has its own box): '2175550134'",
        ),
    ]


def test_it_reports_a_number_without_its_area_code_and_back() -> None:
    [finding] = residence_findings(phone_number="")
    assert (finding.path, finding.message) == (
        "applicant.residence.phone_number",
        "telephone number is blank",
    )


def test_it_checks_the_identifiers_of_each_child() -> None:
    from tests.factories import child

    app = valid_application()
    app.children = [child(), child(a_number="A12", ssn="12-34")]
    paths = [(f.item, f.path) for f in check(app, today=TODAY)]
    assert paths == [
        ("Part A.II, child 2, item 1", "children[1].a_number"),
        ("Part A.II, child 2, item 4", "children[1].ssn"),
    ]
