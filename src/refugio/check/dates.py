"""Rule 3: dates are possible and in a possible order.

Nothing dated can lie in the future (the applicant signs for facts, not plans); nobody enters,
marries or has children before being born; entries are listed most recent first (form, item
19.C) and the background lists run from the present backwards (instructions, Part 1 §V,
Part A.III, p. 6: "in reverse chronological order starting with your current residence,
education, and employment").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Literal

from refugio.check.finding import Finding, Param, Severity, Text, error, finding, phrase, warning
from refugio.model import Application, Employment, Residence, School, Spouse

__all__ = ["dates"]

Period = Residence | School | Employment
_B = "background"


Whose = Literal["your", "spouse", "person"]


def _future(path: str, day: dt.date | None, today: dt.date, label: Text) -> Iterator[Finding]:
    if day is not None and day > today:
        yield error(path, "%(label)s is in the future (%(day)s)", label=label, day=str(day))


def _before(
    path: str, day: dt.date | None, birth: dt.date | None, label: Text, whose: Whose = "your"
) -> Iterator[Finding]:
    if day is None or birth is None or day >= birth:
        return
    values: dict[str, Param] = {"label": label, "day": str(day), "birth": str(birth)}
    if whose == "spouse":
        yield error(
            path, "%(label)s (%(day)s) is before your spouse's date of birth (%(birth)s)", **values
        )
    elif whose == "person":
        yield error(
            path, "%(label)s (%(day)s) is before this person's date of birth (%(birth)s)", **values
        )
    else:
        yield error(path, "%(label)s (%(day)s) is before your date of birth (%(birth)s)", **values)


def _born(day: dt.date | None, today: dt.date) -> dt.date | None:
    """A birth date to compare with, or None: a future one is reported once, not against
    every later date as well."""
    return day if day is not None and day <= today else None


def _applicant(app: Application, today: dt.date) -> Iterator[Finding]:
    a = app.applicant
    yield from _future("applicant.date_of_birth", a.date_of_birth, today, phrase("date of birth"))
    born = _born(a.date_of_birth, today)
    departed = "applicant.last_departure_date"
    left = phrase("date you last left your country")
    yield from _future(departed, a.last_departure_date, today, left)
    yield from _before(departed, a.last_departure_date, born, left)
    if a.passport_expiration is not None and a.passport_expiration < today:
        yield warning(
            "applicant.passport_expiration",
            "passport expired on %(day)s (fine if it is your last one)",
            day=str(a.passport_expiration),
        )


def _entries(app: Application, today: dt.date) -> Iterator[Finding]:
    a = app.applicant
    previous: dt.date | None = None  # the entry listed just above
    for i, entry in enumerate(a.entries):
        path = f"applicant.entries[{i}]"
        label = phrase("date of entry")
        yield from _future(f"{path}.date", entry.date, today, label)
        yield from _before(f"{path}.date", entry.date, _born(a.date_of_birth, today), label)
        if entry.date is not None and previous is not None and entry.date > previous:
            yield error(
                f"{path}.date",
                "entries must be listed most recent first: this entry "
                "(%(day)s) is more recent than the one above it (%(above)s)",
                day=str(entry.date),
                above=str(previous),
            )
        if (
            entry.date is not None
            and entry.status_expires is not None
            and (entry.status_expires < entry.date)
        ):
            yield error(
                f"{path}.status_expires",
                "status expires (%(expires)s) before the entry (%(day)s)",
                expires=str(entry.status_expires),
                day=str(entry.date),
            )
        previous = entry.date or previous
    dates = [e.date for e in a.entries if e.date is not None]
    if dates and a.last_departure_date is not None and a.last_departure_date > max(dates):
        # You cannot leave your country after arriving here for the last time (item 19.A).
        yield error(
            "applicant.last_departure_date",
            "date you last left your country (%(left)s) is after your "
            "most recent entry into the US (%(entry)s)",
            left=str(a.last_departure_date),
            entry=str(max(dates)),
        )


def _family(app: Application, today: dt.date) -> Iterator[Finding]:
    me = _born(app.applicant.date_of_birth, today)
    if app.spouse is not None:
        yield from _spouse(app.spouse, me, today)
    for i, child in enumerate(app.children):
        path = f"children[{i}]"
        born = child.date_of_birth
        yield from _future(f"{path}.date_of_birth", born, today, phrase("date of birth"))
        yield from _before(f"{path}.date_of_birth", born, me, phrase("child's date of birth"))
        yield from _entry_dates(path, child.date_of_last_entry, _born(born, today), today)


def _spouse(s: Spouse, me: dt.date | None, today: dt.date) -> Iterator[Finding]:
    married = "spouse.date_of_marriage"
    born = _born(s.date_of_birth, today)
    marriage = phrase("date of marriage")
    yield from _future("spouse.date_of_birth", s.date_of_birth, today, phrase("date of birth"))
    yield from _future(married, s.date_of_marriage, today, marriage)
    yield from _before(married, s.date_of_marriage, me, marriage)
    yield from _before(married, s.date_of_marriage, born, marriage, "spouse")
    yield from _entry_dates("spouse", s.date_of_last_entry, born, today)
    previous = phrase("date of previous arrival")
    yield from _future("spouse.previous_arrival_date", s.previous_arrival_date, today, previous)


def _entry_dates(
    prefix: str, entry: dt.date | None, birth: dt.date | None, today: dt.date
) -> Iterator[Finding]:
    path = f"{prefix}.date_of_last_entry"
    label = phrase("date of last entry")
    yield from _future(path, entry, today, label)
    yield from _before(path, entry, birth, label, "person")


def _periods(
    periods: Sequence[Period], prefix: str, today: dt.date, second_present: Severity | None
) -> Iterator[Finding]:
    for i, period in enumerate(periods):
        path = f"{prefix}[{i}]"
        yield from _period(period, path, today)
        yield from _present(period, path, i, second_present)
        if i > 0:
            yield from _order(period, periods[i - 1], path)


def _period(period: Period, path: str, today: dt.date) -> Iterator[Finding]:
    now = f"{today:%Y-%m}"
    if period.start == "present":
        yield error(f"{path}.start", '"present" is not a start date')
    if period.start not in (None, "present") and str(period.start) > now:
        yield error(f"{path}.start", "start (%(month)s) is in the future", month=str(period.start))
    if period.end not in (None, "present") and str(period.end) > now:
        yield error(f"{path}.end", "end (%(month)s) is in the future", month=str(period.end))
    first, last = _month(period.start), _month(period.end)
    if first and last and first > last:
        yield error(
            f"{path}.end", "ends (%(last)s) before it starts (%(first)s)", last=last, first=first
        )


def _present(period: Period, path: str, i: int, severity: Severity | None) -> Iterator[Finding]:
    """Only the current line ends "present"; ``severity`` None: no line may (item 1)."""
    if period.end != "present":
        return
    if severity is None:
        yield error(f"{path}.end", '"present" cannot end an address before you came to the US')
    elif i > 0:
        yield finding(
            severity, f"{path}.end", 'only the first line, the current one, normally ends "present"'
        )


def _order(period: Period, above: Period, path: str) -> Iterator[Finding]:
    # Overlapping periods (concurrent jobs) are legitimately listed by end date, so a line is
    # out of order only when it both starts and ends after the line above it.
    starts, ends = _month(period.start), _end(period.end)
    if starts and ends and starts > _month(above.start) and ends > _end(above.end):
        yield error(
            f"{path}.start",
            "list the most recent first: this one (%(start)s to %(end)s) is more "
            "recent than the one above it (%(above_start)s to %(above_end)s)",
            start=str(period.start),
            end=str(period.end),
            above_start=str(above.start),
            above_end=str(above.end),
        )


def _month(month: str | None) -> str:
    """A comparable YYYY-MM, or "" when unknown or "present"."""
    return "" if month in (None, "present") else str(month)


def _end(month: str | None) -> str:
    return "9999-12" if month == "present" else _month(month)


def _background(app: Application, today: dt.date) -> Iterator[Finding]:
    b = app.background
    # Two "present" residences are a mistake; two current jobs or schools can be real.
    yield from _periods(b.last_addresses_before_us, f"{_B}.last_addresses_before_us", today, None)
    yield from _periods(b.residences, f"{_B}.residences", today, "error")
    yield from _periods(b.education, f"{_B}.education", today, "warning")
    yield from _periods(b.employment, f"{_B}.employment", today, "warning")
    if b.residences and b.residences[0].end not in (None, "present"):
        # Form, Part A.III, item 2: "List your present address first."
        yield warning(
            "background.residences[0].end",
            'the first residence should be your present address (to "present")',
        )


def _signed(app: Application, today: dt.date) -> Iterator[Finding]:
    signed = phrase("date signed")
    yield from _future("signature.date_signed", app.signature.date_signed, today, signed)


def dates(app: Application, today: dt.date) -> Iterator[Finding]:
    """Dates are real, not in the future, and in a possible order."""
    for part in (_applicant, _entries, _family, _background, _signed):
        yield from part(app, today)
