"""Fees as data (refugio.claim.fees): the amount, source and date in force on a filing date."""

from __future__ import annotations

import datetime as dt

import pytest

from refugio.claim.fees import fee_due, fees, filing_place
from refugio.errors import PacketError
from tests.conftest import load_example

HR1_NOTICE = "90 FR 34511"


def test_it_charges_nothing_the_day_before_the_hr1_fee() -> None:
    due = fee_due("I-589", dt.date(2025, 7, 21), "uscis")
    assert due.amount == 0
    assert "Part 1 §VIII" in due.source
    assert due.describe().startswith("No fee for Form I-589")


def test_it_charges_100_dollars_from_2025_07_22_and_cannot_be_waived() -> None:
    due = fee_due("I-589", dt.date(2025, 7, 22), "uscis")
    assert (due.amount, due.payee, due.waivable) == (100, "USCIS", False)
    assert due.effective == dt.date(2025, 7, 22)
    assert HR1_NOTICE in due.source and "Pub. L. 119-21" in due.source
    assert "$100 to USCIS" in due.describe()


def test_it_says_when_a_form_without_the_fee_is_rejected() -> None:
    """This test ensures the grace month of the notice (2025-07-22 to 2025-08-20) is kept."""
    assert not fee_due("I-589", dt.date(2025, 8, 20), "uscis").rejected_without
    assert fee_due("I-589", dt.date(2025, 8, 21), "uscis").rejected_without
    assert not fee_due("I-589", dt.date(2025, 7, 1), "uscis").rejected_without


def test_it_notes_the_annual_asylum_fee_as_not_due_at_filing() -> None:
    assert [f.amount for f in fee_due("I-589", dt.date(2025, 12, 31), "uscis").later] == [100]
    due = fee_due("I-589", dt.date(2026, 11, 26), "uscis")
    assert [f.amount for f in due.later] == [102]  # the FY 2026 adjustment (90 FR 52693)
    assert any("not due at filing" in n for n in due.all_notes())
    assert fee_due("I-589", dt.date(2025, 1, 2), "uscis").later == ()


def test_it_has_a_court_filing_paid_to_eoir_not_uscis() -> None:
    due = fee_due("I-589", dt.date(2026, 11, 26), "court")
    assert (due.amount, due.payee) == (100, "EOIR")
    assert any("EOIR" in n and "not to USCIS" in n for n in due.notes)
    before = fee_due("I-589", dt.date(2025, 7, 3), "court")
    assert before.amount == 0 and "§XII" in before.source


def test_it_files_with_the_court_only_when_now_in_proceedings() -> None:
    app = load_example("b-dissident-businessman.json")
    assert filing_place(app) == "uscis"
    app.applicant.immigration_court = "now"
    assert filing_place(app) == "court"
    app.applicant.immigration_court = "past"
    assert filing_place(app) == "uscis"


def test_it_refuses_a_date_it_has_no_recorded_fee_for() -> None:
    with pytest.raises(PacketError, match="no filing fee is recorded for Form I-589"):
        fee_due("I-589", dt.date(2010, 1, 1), "uscis")


def test_it_gives_every_entry_a_source_and_an_effective_date() -> None:
    entries = fees()
    assert len(entries) >= 4
    for entry in entries:
        assert entry.source and isinstance(entry.effective, dt.date)
        assert entry.where in ("uscis", "court") and entry.kind in ("filing", "annual")


def test_it_keeps_the_filing_fee_at_100_dollars_after_the_fy2026_adjustment() -> None:
    due = fee_due("I-589", dt.date(2026, 1, 1), "uscis")
    assert (due.amount, due.effective) == (100, dt.date(2026, 1, 1))
    assert "90 FR 52693" in due.source
    assert not any("Check the current amount" in n for n in due.notes)


def test_it_warns_when_no_notice_is_known_for_the_fiscal_year_of_filing() -> None:
    # FY 2027 began on 2026-10-01; the data holds no FY 2027 notice.
    due = fee_due("I-589", dt.date(2026, 11, 27), "uscis")
    assert any("no notice for FY 2027" in n and "uscis.gov/fees" in n for n in due.notes)
    in_fy2026 = fee_due("I-589", dt.date(2026, 9, 30), "uscis")
    assert not any("Check the current amount" in n for n in in_fy2026.notes)
