"""Legal facts the checker relies on, as data: each with its source and, where it has one, the
date it took effect. Rules cite these entries instead of repeating citations in their messages.

INSTRUCTIONS is the edition of the I-589 instructions cited throughout (04/09/19; page numbers
are that PDF's). When USCIS publishes new instructions, review every entry that cites them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["HOLIDAYS", "INSTRUCTIONS", "LEGAL_RULES", "Holiday", "LegalRule"]

INSTRUCTIONS = "Form I-589 instructions (04/09/19)"


@dataclass(frozen=True)
class LegalRule:
    id: str
    source: str
    effective: dt.date | None
    summary: str


_RULES = (
    LegalRule(
        "answer-every-question",
        f"{INSTRUCTIONS}, Part 1 §V, p. 5; §XI, item 1, p. 9",
        None,
        'Answer all questions; write "none", "not applicable" or "unknown" rather than leave a '
        "blank. An application without a response to each question is incomplete and returned.",
    ),
    LegalRule(
        "english",
        f"{INSTRUCTIONS}, Part 1 §V, p. 5",
        None,
        "Answers must be completed in English; forms completed in another language are returned.",
    ),
    LegalRule(
        "reverse-chronological",
        f"{INSTRUCTIONS}, Part 1 §V, Part A.III, p. 6; form Part A.I, item 19.C",
        None,
        "Entries, residences, education and employment are listed most recent first.",
    ),
    LegalRule(
        "one-year-deadline",
        "INA 208(a)(2)(B); 8 CFR 208.4(a)(2)(ii)",
        # IIRIRA: the bar applies from April 1, 1997; for earlier arrivals the year runs from
        # that date (8 CFR 208.4(a)(2)(ii): "or April 1, 1997, whichever is later").
        dt.date(1997, 4, 1),
        "Asylum must be applied for within 1 year after the date of the last arrival in the US "
        "(or April 1, 1997, whichever is later); filed = received by USCIS.",
    ),
    LegalRule(
        "arrival-is-day-zero",
        "Minasyan v. Mukasey, 553 F.3d 1224 (9th Cir. 2009); "
        "Lagandaon v. Ashcroft, 383 F.3d 983 (9th Cir. 2004)",
        None,
        "The arrival day does not count, so the year ends on its anniversary; a year other than "
        "a leap year is 365 days (so an arrival on February 29 ends on February 28).",
    ),
    LegalRule(
        "weekend-or-holiday",
        "8 CFR 208.4(a)(2)(ii); 5 U.S.C. 6103(a)",
        None,
        "A last day on a Saturday, Sunday or legal holiday runs to the next day that is none of "
        "these.",
    ),
    LegalRule(
        "late-filing-exceptions",
        "INA 208(a)(2)(D); 8 CFR 208.4(a)(4)-(5); form Part C, item 5",
        None,
        "A late application is accepted for changed circumstances materially affecting "
        "eligibility or extraordinary circumstances related to the delay, if filed within a "
        "reasonable period; Part C, item 5 is where they are explained. Withholding of removal "
        "and CAT protection have no deadline.",
    ),
    LegalRule(
        "unaccompanied-child",
        "INA 208(a)(2)(E) (TVPRA 2008, Pub. L. 110-457, §235(d)(7))",
        dt.date(2009, 3, 23),
        "The 1-year deadline does not apply to an unaccompanied alien child.",
    ),
    LegalRule(
        "derivative-child",
        "INA 208(b)(3)(A)-(B); INA 101(b)(1); 8 CFR 208.3(a); "
        f"{INSTRUCTIONS}, Part 1 §V, Part A.II, p. 5",
        None,
        "A child may be included only if unmarried, under 21 and in the US; the age counts on "
        "the date the parent applies (INA 208(b)(3)(B)). Others must file their own I-589.",
    ),
    LegalRule(
        "derivative-spouse",
        f"INA 208(b)(3)(A); 8 CFR 208.3(a); {INSTRUCTIONS}, Part 1 §V, Part A.II, p. 5",
        None,
        "A spouse may be included only if in the US.",
    ),
    LegalRule(
        "torture-convention",
        f"{INSTRUCTIONS}, Part 1 §II.B, p. 3",
        None,
        "To apply for withholding under the Convention Against Torture, check the box at the top "
        "of page 1 and explain in detail in Part B, question 4 why you fear torture.",
    ),
    LegalRule(
        "preparer",
        f"{INSTRUCTIONS}, Part 1 §V, Part E, p. 7; §XI, item 5, p. 9",
        None,
        "Anyone other than spouse, parent or child who helped prepare the application completes "
        "Part E with name, address and telephone number; otherwise it is returned as incomplete.",
    ),
    LegalRule(
        "g28",
        f"8 CFR 292.4(a); {INSTRUCTIONS}, Part 1 §X, p. 9",
        None,
        "An attorney or accredited representative files Form G-28 with the application.",
    ),
)

LEGAL_RULES: dict[str, LegalRule] = {rule.id: rule for rule in _RULES}


@dataclass(frozen=True)
class Holiday:
    """A legal public holiday of 5 U.S.C. 6103(a): a fixed date, or the nth weekday of a month."""

    name: str
    month: int
    day: int = 0  # fixed date, or 0
    weekday: int = 0  # Monday = 0 (datetime.date.weekday), when day is 0
    nth: int = 0  # 1-4, or -1 for the last, when day is 0
    since: int = 1971  # first year in this form (all hold from 1998, the first possible deadline)


# 5 U.S.C. 6103(a). Deliberately left out, because each would only make a deadline later and
# leaving them out can never tell an applicant they have more time than they do: the Friday or
# Monday observed "in lieu of" a holiday on a weekend (6103(b)), Inauguration Day (DC area only,
# 6103(c)) and days off granted by executive order.
HOLIDAYS = (
    Holiday("New Year's Day", 1, day=1),
    Holiday("Birthday of Martin Luther King, Jr.", 1, weekday=0, nth=3, since=1986),
    Holiday("Washington's Birthday", 2, weekday=0, nth=3),
    Holiday("Memorial Day", 5, weekday=0, nth=-1),
    Holiday("Juneteenth National Independence Day", 6, day=19, since=2021),
    Holiday("Independence Day", 7, day=4),
    Holiday("Labor Day", 9, weekday=0, nth=1),
    Holiday("Columbus Day", 10, weekday=0, nth=2),
    Holiday("Veterans Day", 11, day=11, since=1978),
    Holiday("Thanksgiving Day", 11, weekday=3, nth=4),
    Holiday("Christmas Day", 12, day=25),
)
