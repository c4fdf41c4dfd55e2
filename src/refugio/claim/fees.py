"""The fee due with an application, from data with sources and effective dates (issue 5, point 6).

The amounts live in ``data/fees.toml``, one entry per amount, form, place and date, each with
its source. Form I-589 had no fee (instructions 04/09/19, Part 1 §VIII); HR-1 (Pub. L. 119-21)
set one of $100 that USCIS charges for forms postmarked on or after 2025-07-22 (90 FR 34511),
and an Annual Asylum Fee that is not due at filing. An application filed with the immigration
court pays EOIR, not USCIS. Inflation adjustments are future entries of the data file, never
computed here: a packet must show the fee an agency has announced, nothing else.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

from refugio.errors import PacketError
from refugio.model import Application

__all__ = ["Fee", "FeeDue", "Where", "fee_due", "fees", "filing_place"]

Where = Literal["uscis", "court"]
Kind = Literal["filing", "annual"]


@dataclass(frozen=True)
class Fee:
    """One entry of ``data/fees.toml``."""

    form: str
    where: Where
    kind: Kind
    amount: int
    effective: dt.date
    payee: str
    waivable: bool
    source: str
    notes: tuple[str, ...] = ()
    rejected_without_from: dt.date | None = None


@dataclass(frozen=True)
class FeeDue:
    """What to pay with the application filed on a date, and what will be due later."""

    form: str
    where: Where
    filing_date: dt.date
    amount: int
    payee: str
    effective: dt.date
    source: str
    waivable: bool
    notes: tuple[str, ...]
    later: tuple[Fee, ...] = ()  # fees not due at filing (the Annual Asylum Fee)
    rejected_without_from: dt.date | None = None

    @property
    def rejected_without(self) -> bool:
        """Whether a form filed on ``filing_date`` without the fee is rejected outright."""
        cut = self.rejected_without_from
        return self.amount > 0 and cut is not None and self.filing_date >= cut

    def describe(self) -> str:
        """One line: the amount, to whom, since when and why."""
        if self.amount == 0:
            return f"No fee for Form {self.form} ({self.source})."
        return (
            f"${self.amount} to {self.payee} for Form {self.form}, due with the application "
            f"(since {self.effective.isoformat()}; {self.source})."
        )

    def all_notes(self) -> tuple[str, ...]:
        """The notes of the fee due, then those of the fees due later (for the checklist)."""
        return self.notes + tuple(n for fee in self.later for n in fee.notes)


@cache
def fees() -> tuple[Fee, ...]:
    """Every entry of the data file, as read (cached: the file ships with the package)."""
    raw = (resources.files("refugio.claim") / "data" / "fees.toml").read_text(encoding="utf-8")
    return tuple(_fee(entry) for entry in tomllib.loads(raw)["fee"])


@cache
def reviewed() -> dt.date:
    """The day the fee data was last checked against the published notices."""
    raw = (resources.files("refugio.claim") / "data" / "fees.toml").read_text(encoding="utf-8")
    day: dt.date = tomllib.loads(raw)["reviewed"]
    return day


def _fiscal_year(day: dt.date) -> int:
    # The federal fiscal year starts on October 1: FY 2026 is 2025-10-01 to 2026-09-30.
    return day.year + 1 if day.month >= 10 else day.year


def _unreviewed(form: str, where: Where, day: dt.date) -> tuple[str, ...]:
    """A warning when no entry belongs to the filing date's fiscal year (HR-1 fees change each
    fiscal year; a notice published after the data was reviewed is not in it)."""
    years = {_fiscal_year(f.effective) for f in fees() if f.form == form and f.where == where}
    if where != "uscis" or _fiscal_year(day) in years or day < dt.date(2025, 7, 22):
        return ()
    return (
        f"HR-1 fees are adjusted for inflation each fiscal year; Refugio knows no notice for FY "
        f"{_fiscal_year(day)} (its fee data was checked on {reviewed().isoformat()}). Check the "
        "current amount at uscis.gov/fees before filing.",
    )


def _fee(entry: dict[str, Any]) -> Fee:
    return Fee(
        form=entry["form"],
        where=entry["where"],
        kind=entry["kind"],
        amount=int(entry["amount"]),
        effective=entry["effective"],
        payee=entry["payee"],
        waivable=bool(entry["waivable"]),
        source=" ".join(entry["source"].split()),
        notes=tuple(entry.get("notes", ())),
        rejected_without_from=entry.get("rejected_without_from"),
    )


def _entry(form: str, where: Where, kind: Kind, day: dt.date) -> Fee:
    candidates = [
        f
        for f in fees()
        if f.form == form and f.where == where and f.kind == kind and f.effective <= day
    ]
    if not candidates:
        raise PacketError(
            f"no {kind} fee is recorded for Form {form} filed with {where} on {day.isoformat()}"
        )
    return max(candidates, key=lambda f: f.effective)


def fee_due(form: str, filing_date: dt.date, where: Where) -> FeeDue:
    """The fee to pay with ``form`` filed (for USCIS: postmarked) on ``filing_date``.

    ``where`` is ``"court"`` for an application filed with the immigration court (see
    :func:`filing_place`), else ``"uscis"``. Annual fees in effect that day come in ``later``.
    """
    filing = _entry(form, where, "filing", filing_date)
    warning = _unreviewed(form, where, filing_date)
    later = tuple(
        f
        for f in fees()
        if f.form == form and f.where == where and f.kind == "annual" and f.effective <= filing_date
    )
    # Only the newest annual entry applies, as for the filing fee.
    newest = (max(later, key=lambda f: f.effective),) if later else ()
    return FeeDue(
        form=form,
        where=where,
        filing_date=filing_date,
        amount=filing.amount,
        payee=filing.payee,
        effective=filing.effective,
        source=filing.source,
        waivable=filing.waivable,
        notes=filing.notes + warning,
        later=newest,
        rejected_without_from=filing.rejected_without_from,
    )


def filing_place(application: Application) -> Where:
    """Where the I-589 is filed: with the immigration court when Part A.I, item 18 says the
    applicant is now in proceedings (instructions Part 1 §XII), otherwise with USCIS."""
    return "court" if application.applicant.immigration_court == "now" else "uscis"
