"""The one-year filing deadline for asylum (INA 208(a)(2)(B); 8 CFR 208.4(a)(2)).

How the date is computed, step by step (each step is an entry of sources.LEGAL_RULES):

1. The year runs from the last arrival (the most recent entry of Part A.I, item 19.C), or from
   April 1, 1997 if that is later.
2. The arrival day is day zero and the year ends on its anniversary (Minasyan v. Mukasey). An
   arrival on February 29 ends on February 28 of the next year: a non-leap year is 365 days
   (Lagandaon v. Ashcroft), and the earlier of the two candidate dates is the safe one.
3. A last day on a Saturday, Sunday or legal holiday moves to the next day that is none of these
   (8 CFR 208.4(a)(2)(ii)). Only the statutory holidays are known here (sources.HOLIDAYS), so the
   date can be earlier than the legal deadline in rare cases, never later.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from refugio.check.sources import HOLIDAYS, LEGAL_RULES, Holiday
from refugio.model import Application

__all__ = ["Deadline", "add_years", "filing_deadline", "legal_holidays", "next_filing_day"]

_ONE_YEAR = LEGAL_RULES["one-year-deadline"]


@dataclass(frozen=True)
class Deadline:
    last_arrival: dt.date
    """The most recent entry into the US (Part A.I, item 19.C)."""
    anniversary: dt.date
    """One year after the last arrival (or after April 1, 1997)."""
    date: dt.date
    """The last day on which USCIS or the court can receive the application."""
    source: str

    def days_left(self, today: dt.date) -> int:
        """Days from ``today`` to the deadline: 0 on the last day, negative once it has passed."""
        return (self.date - today).days

    def describe(self, today: dt.date) -> str:
        """One line for `refugio check`, e.g. "one-year filing deadline: 2026-01-15 (227 days
        left; last arrival 2025-01-15; INA 208(a)(2)(B); 8 CFR 208.4(a)(2)(ii))"."""
        left = self.days_left(today)
        if left == 0:
            when = f"{self.date} (today"
        elif left > 0:
            when = f"{self.date} ({_days(left)} left"
        else:
            when = f"passed on {self.date} ({_days(-left)} ago"
        if self.anniversary != self.date:
            when += f"; moved from {self.anniversary}, a weekend or holiday"
        return f"one-year filing deadline: {when}; last arrival {self.last_arrival}; " + (
            f"{_ONE_YEAR.source})"
        )


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later; February 29 becomes February 28 in a non-leap year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # February 29 -> a year without one
        return day.replace(year=day.year + years, day=28)


def _holiday_date(holiday: Holiday, year: int) -> dt.date:
    if holiday.day:
        return dt.date(year, holiday.month, holiday.day)
    first = dt.date(year, holiday.month, 1)
    offset = (holiday.weekday - first.weekday()) % 7
    if holiday.nth > 0:
        return first + dt.timedelta(days=offset + 7 * (holiday.nth - 1))
    next_month = dt.date(year + holiday.month // 12, holiday.month % 12 + 1, 1)
    last = next_month - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - holiday.weekday) % 7)


@functools.cache
def legal_holidays(year: int) -> frozenset[dt.date]:
    """The legal public holidays of 5 U.S.C. 6103(a) in ``year`` (see sources.HOLIDAYS)."""
    return frozenset(_holiday_date(h, year) for h in HOLIDAYS if year >= h.since)


def next_filing_day(day: dt.date) -> dt.date:
    """``day``, or the next day that is not a Saturday, Sunday or legal holiday."""
    while day.weekday() >= 5 or day in legal_holidays(day.year):
        day += dt.timedelta(days=1)
    return day


def last_arrival(app: Application) -> dt.date | None:
    """The most recent entry date, whatever order the entries were listed in."""
    dates = [entry.date for entry in app.applicant.entries if entry.date is not None]
    return max(dates, default=None)


def filing_deadline(app: Application) -> Deadline | None:
    """The one-year deadline, or None while no entry date is known."""
    arrival = last_arrival(app)
    if arrival is None:
        return None
    start = max(arrival, _ONE_YEAR.effective or arrival)
    anniversary = add_years(start, 1)
    sources = (_ONE_YEAR, LEGAL_RULES["arrival-is-day-zero"], LEGAL_RULES["weekend-or-holiday"])
    return Deadline(
        last_arrival=arrival,
        anniversary=anniversary,
        date=next_filing_day(anniversary),
        # dict.fromkeys: each citation once, in order (two rules cite 8 CFR 208.4(a)(2)(ii)).
        source="; ".join(dict.fromkeys(c for rule in sources for c in rule.source.split("; "))),
    )
