"""Rule 3: dates are possible, not in the future, and in a possible order."""

from __future__ import annotations

import datetime as dt

from refugio.check import Finding, check
from refugio.model import Application, Employment, Entry, Residence
from tests.factories import TODAY, child, valid_application


def only(app: Application) -> Finding:
    findings = check(app, today=TODAY)
    assert len(findings) == 1, "\n".join(map(str, findings))
    return findings[0]


def test_it_reports_a_date_of_birth_in_the_future_once() -> None:
    app = valid_application()
    app.applicant.date_of_birth = TODAY + dt.timedelta(days=1)
    # Only once: the entries and departure are not also reported as "before your birth".
    assert only(app) == Finding(
        "error",
        "Part A.I, item 12",
        "applicant.date_of_birth",
        "date of birth is in the future (2025-06-03)",
    )


def test_it_accepts_a_birth_today() -> None:
    app = valid_application()
    app.children = [
        child(
            date_of_birth=TODAY,
            in_us=False,
            location="Cuenca, Ecuador",
            date_of_last_entry=None,
            include_in_application=None,
        )
    ]
    assert check(app, today=TODAY) == []


def test_it_reports_an_entry_before_the_applicants_birth() -> None:
    app = valid_application()
    app.applicant.entries[1].date = dt.date(1989, 12, 31)
    finding = only(app)
    assert (finding.item, finding.path) == ("Part A.I, item 19.C", "applicant.entries[1].date")
    assert "before your date of birth (1990-03-14)" in finding.message


def test_it_reports_an_entry_in_the_future() -> None:
    app = valid_application()
    app.applicant.entries[0].date = TODAY + dt.timedelta(days=10)
    assert only(app).message == "date of entry is in the future (2025-06-12)"


def test_it_wants_the_most_recent_entry_first() -> None:
    app = valid_application()
    app.applicant.entries.append(Entry(date=dt.date(2022, 3, 1), place="Houston, TX", status="B-2"))
    finding = only(app)
    assert (finding.severity, finding.path) == ("error", "applicant.entries[2].date")
    assert "most recent first" in finding.message


def test_it_reports_a_status_expiring_before_the_entry() -> None:
    app = valid_application()
    app.applicant.entries[0].status_expires = dt.date(2024, 7, 14)
    assert only(app).path == "applicant.entries[0].status_expires"


def test_it_reports_leaving_home_after_the_last_entry() -> None:
    app = valid_application()
    app.applicant.last_departure_date = dt.date(2025, 2, 1)
    finding = only(app)
    assert (finding.severity, finding.item) == ("error", "Part A.I, item 19.A")
    assert "after your most recent entry into the US (2025-01-15)" in finding.message


def test_it_warns_of_an_expired_passport() -> None:
    app = valid_application()
    app.applicant.passport_expiration = dt.date(2024, 12, 31)
    finding = only(app)
    assert (finding.severity, finding.item) == ("warning", "Part A.I, item 22")


def test_it_reports_a_marriage_before_the_applicants_birth() -> None:
    app = valid_application(married=True)
    assert app.spouse is not None
    app.spouse.date_of_marriage = dt.date(1989, 6, 1)  # after the spouse's birth, not hers
    finding = only(app)
    assert (finding.item, finding.message) == (
        "Part A.II, spouse, item 9",
        "date of marriage (1989-06-01) is before your date of birth (1990-03-14)",
    )


def test_it_reports_a_child_born_before_the_applicant() -> None:
    app = valid_application()
    app.children = [child(date_of_birth=dt.date(1989, 5, 1), include_in_application=False)]
    finding = only(app)
    assert (finding.item, finding.path) == (
        "Part A.II, child 1, item 8",
        "children[0].date_of_birth",
    )


def test_it_reports_a_residence_ending_before_it_starts() -> None:
    app = valid_application()
    app.background.residences[1].end = "2015-01"
    finding = only(app)
    assert (finding.item, finding.message) == (
        "Part A.III, item 2",
        "ends (2015-01) before it starts (2015-06)",
    )


def test_it_reports_a_month_in_the_future() -> None:
    app = valid_application()
    app.background.education[0].end = "2025-07"
    assert only(app).message == "end (2025-07) is in the future"


def test_it_takes_the_current_month_as_the_past() -> None:
    app = valid_application()
    app.background.education[0].end = "2025-06"
    assert check(app, today=TODAY) == []


def test_it_allows_present_only_on_the_first_residence() -> None:
    app = valid_application()
    app.background.residences[1].end = "present"
    finding = only(app)
    assert (finding.severity, finding.path) == ("error", "background.residences[1].end")


def test_it_only_warns_of_a_second_current_job() -> None:
    app = valid_application()
    app.background.employment.insert(
        0,
        Employment(employer="Cafe Placeholder", occupation="Cook", start="2025-03", end="present"),
    )
    app.background.employment[1].end = "present"  # a concurrent job can be real
    finding = only(app)
    assert (finding.severity, finding.path) == ("warning", "background.employment[1].end")


def test_it_refuses_present_on_an_address_before_the_us() -> None:
    app = valid_application()
    app.background.last_addresses_before_us[0].end = "present"
    finding = only(app)
    assert (finding.severity, finding.item) == ("error", "Part A.III, item 1")


def test_it_warns_when_the_first_residence_is_not_the_present_one() -> None:
    app = valid_application()
    app.background.residences[0].end = "2025-05"
    finding = only(app)
    assert (finding.severity, finding.path) == ("warning", "background.residences[0].end")


def test_it_wants_residences_most_recent_first() -> None:
    app = valid_application()
    app.background.residences.insert(
        1,
        Residence(
            street="Calle Sucre 3",
            city="Loja",
            province="Loja",
            country="Ecuador",
            start="2010-02",
            end="2015-05",
        ),
    )
    # The Cuenca residence (2015-06 to 2025-01) now sits below an older one.
    finding = only(app)
    assert (finding.severity, finding.path) == ("error", "background.residences[2].start")
    assert "is more recent than the one above it (2010-02 to 2015-05)" in finding.message


def test_it_accepts_concurrent_jobs_listed_by_end_date() -> None:
    app = valid_application()
    # Started later than the job above but ended earlier: overlapping, and in order by end date.
    app.background.employment.append(
        Employment(employer="Radio Ficticia", occupation="Host", start="2016-01", end="2020-12")
    )
    assert check(app, today=TODAY) == []


def test_it_reports_a_signature_date_in_the_future() -> None:
    app = valid_application()
    app.signature.date_signed = TODAY + dt.timedelta(days=1)
    assert only(app).item == "Part D"
