"""Rule 6: the one-year filing deadline (INA 208(a)(2)(B); 8 CFR 208.4(a)(2)) and how Part C,
item 5 must answer it."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refugio.check import Finding, check, filing_deadline
from refugio.check.deadline import add_years, legal_holidays, next_filing_day
from refugio.model import Application, Entry, YesNo
from tests.factories import TODAY, valid_application


def arrived(*dates: dt.date) -> Application:
    """The valid application with these entries, in the order given."""
    app = valid_application()
    app.applicant.last_departure_date = min(dates)
    app.applicant.entries = [
        Entry(date=day, place="Miami, FL", status="B-2", status_expires=day) for day in dates
    ]
    return app


def deadline_of(*dates: dt.date) -> dt.date:
    deadline = filing_deadline(arrived(*dates))
    assert deadline is not None
    return deadline.date


# --- computing the date ------------------------------------------------------------------------


def test_it_ends_the_year_on_the_anniversary_of_the_arrival() -> None:
    # Minasyan v. Mukasey: the arrival day is day zero, so the anniversary itself is in time.
    deadline = filing_deadline(arrived(dt.date(2025, 1, 15)))
    assert deadline is not None
    assert (deadline.last_arrival, deadline.anniversary, deadline.date) == (
        dt.date(2025, 1, 15),
        dt.date(2026, 1, 15),
        dt.date(2026, 1, 15),
    )
    assert "INA 208(a)(2)(B)" in deadline.source
    assert "8 CFR 208.4(a)(2)(ii)" in deadline.source


def test_it_counts_from_the_most_recent_entry_however_they_are_listed() -> None:
    assert deadline_of(dt.date(2019, 8, 2), dt.date(2025, 1, 15)) == dt.date(2026, 1, 15)


def test_it_ends_a_year_from_february_29_on_february_28() -> None:
    assert add_years(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)
    assert deadline_of(dt.date(2024, 2, 29)) == dt.date(2025, 2, 28)  # a Friday


def test_it_moves_a_saturday_deadline_past_a_monday_holiday() -> None:
    # 2026-01-17 is a Saturday and 2026-01-19 Martin Luther King Jr. Day.
    assert deadline_of(dt.date(2025, 1, 17)) == dt.date(2026, 1, 20)


def test_it_moves_a_deadline_off_independence_day() -> None:
    assert deadline_of(dt.date(2024, 7, 4)) == dt.date(2025, 7, 7)  # Friday -> Monday


def test_it_knows_juneteenth_only_from_2021() -> None:
    assert deadline_of(dt.date(2019, 6, 19)) == dt.date(2020, 6, 19)
    assert deadline_of(dt.date(2022, 6, 19)) == dt.date(2023, 6, 20)


def test_it_counts_arrivals_before_april_1997_from_that_date() -> None:
    deadline = filing_deadline(arrived(dt.date(1995, 5, 1)))
    assert deadline is not None
    assert (deadline.last_arrival, deadline.date) == (dt.date(1995, 5, 1), dt.date(1998, 4, 1))


def test_it_has_no_deadline_without_an_entry_date() -> None:
    app = valid_application()
    app.applicant.entries = [Entry(date=None, place="Miami, FL", status="EWI")]
    assert filing_deadline(app) is None


def test_it_counts_the_days_left_down_to_zero_on_the_last_day() -> None:
    deadline = filing_deadline(arrived(dt.date(2025, 1, 15)))
    assert deadline is not None
    assert deadline.days_left(dt.date(2026, 1, 14)) == 1
    assert deadline.days_left(dt.date(2026, 1, 15)) == 0
    assert deadline.days_left(dt.date(2026, 1, 16)) == -1


def test_it_describes_the_deadline_in_one_line() -> None:
    deadline = filing_deadline(arrived(dt.date(2025, 1, 17)))  # moved to Tuesday 2026-01-20
    assert deadline is not None
    assert deadline.describe(dt.date(2026, 1, 19)) == (
        "one-year filing deadline: 2026-01-20 (1 day left; moved from 2026-01-17, a weekend or "
        "holiday; last arrival 2025-01-17; INA 208(a)(2)(B); 8 CFR 208.4(a)(2)(ii))"
    )
    assert deadline.describe(dt.date(2026, 1, 20)).startswith(
        "one-year filing deadline: 2026-01-20 (today;"
    )
    assert deadline.describe(dt.date(2026, 2, 1)).startswith(
        "one-year filing deadline: passed on 2026-01-20 (12 days ago;"
    )


def test_it_knows_the_2025_federal_holidays() -> None:
    # OPM's list for 2025 (none fell on a weekend, so no "in lieu of" days).
    assert sorted(legal_holidays(2025)) == [
        dt.date(2025, 1, 1),
        dt.date(2025, 1, 20),
        dt.date(2025, 2, 17),
        dt.date(2025, 5, 26),
        dt.date(2025, 6, 19),
        dt.date(2025, 7, 4),
        dt.date(2025, 9, 1),
        dt.date(2025, 10, 13),
        dt.date(2025, 11, 11),
        dt.date(2025, 11, 27),
        dt.date(2025, 12, 25),
    ]


@given(st.dates(min_value=dt.date(1998, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_it_never_moves_a_deadline_back_nor_onto_a_closed_day(day: dt.date) -> None:
    moved = next_filing_day(day)
    assert day <= moved <= day + dt.timedelta(days=4)
    assert moved.weekday() < 5 and moved not in legal_holidays(moved.year)


# --- the deadline against Part C, item 5 ---------------------------------------------------------


def test_it_reports_a_late_application_that_says_it_is_not_late() -> None:
    app = arrived(dt.date(2024, 3, 1))  # anniversary Saturday 2025-03-01 -> Monday 2025-03-03
    [finding] = check(app, today=TODAY)  # item 5 says "no" in the factory
    assert (finding.severity, finding.item, finding.path) == (
        "error",
        "Part C, item 5",
        "additional.filing_after_one_year.answer",
    )
    assert finding.message.startswith("the 1-year deadline passed on 2025-03-03")


def test_it_is_still_in_time_on_the_monday_after_a_saturday_anniversary() -> None:
    app = arrived(dt.date(2024, 5, 31))  # anniversary Saturday 2025-05-31 -> Monday 2025-06-02
    [finding] = check(app, today=TODAY)
    assert finding.severity == "warning"
    assert finding.message.startswith("the 1-year deadline is 2025-06-02, 0 days from now")


def test_it_reports_the_day_after_the_deadline_as_late() -> None:
    app = arrived(dt.date(2024, 5, 31))
    [finding] = check(app, today=TODAY + dt.timedelta(days=1))
    assert finding == Finding(
        "error",
        "Part C, item 5",
        "additional.filing_after_one_year.answer",
        'the 1-year deadline passed on 2025-06-02 (last arrival 2024-05-31): answer "yes" and '
        "explain the changed or extraordinary circumstances (INA 208(a)(2)(D); "
        "8 CFR 208.4(a)(4)-(5); form Part C, item 5)",
    )


def test_it_only_warns_when_a_late_filing_is_explained() -> None:
    app = arrived(dt.date(2023, 3, 1))
    app.additional.filing_after_one_year = YesNo(
        answer=True, explanation="Country conditions changed in 2025 (8 CFR 208.4(a)(4))."
    )
    [finding] = check(app, today=TODAY)
    assert (finding.severity, finding.item) == ("warning", "Part C, item 5")
    assert "withholding of removal and CAT protection have no deadline" in finding.message


def test_it_still_requires_the_explanation_of_a_late_filing() -> None:
    app = arrived(dt.date(2023, 3, 1))
    app.additional.filing_after_one_year = YesNo(answer=True)
    paths = [(f.severity, f.path) for f in check(app, today=TODAY)]
    assert paths == [
        ("warning", "additional.filing_after_one_year.answer"),
        ("error", "additional.filing_after_one_year.explanation"),
    ]


def test_it_points_a_child_arrival_to_the_unaccompanied_child_exemption() -> None:
    app = arrived(dt.date(2023, 3, 1))
    app.applicant.date_of_birth = dt.date(2006, 1, 1)  # 17 on arrival
    [finding] = check(app, today=TODAY)
    assert "INA 208(a)(2)(E)" in finding.message


def test_it_questions_a_yes_when_the_year_has_not_run_out() -> None:
    app = valid_application()
    app.additional.filing_after_one_year = YesNo(answer=True, explanation="I was ill.")
    [finding] = check(app, today=TODAY)
    assert (finding.severity, finding.item) == ("warning", "Part C, item 5")
    assert "has not passed" in finding.message


@pytest.mark.parametrize(("days_before", "warned"), [(61, False), (60, True), (1, True)])
def test_it_warns_within_60_days_of_the_deadline(days_before: int, warned: bool) -> None:
    app = valid_application()  # deadline 2026-01-15
    today = dt.date(2026, 1, 15) - dt.timedelta(days=days_before)
    findings = check(app, today=today)
    assert [f.severity for f in findings] == (["warning"] if warned else [])
    if warned:
        assert findings[0].message.startswith(f"the 1-year deadline is 2026-01-15, {days_before} ")
