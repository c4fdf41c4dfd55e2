"""Rules 4, 6 and 7: answers that must agree with each other and with the law.

Each rule is a function (application, today) -> findings; its docstring names its source, and
the legal facts themselves are entries of sources.LEGAL_RULES.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from refugio.check.deadline import add_years, filing_deadline
from refugio.check.finding import Finding, Param, Text, error, listing, phrase, text, warning
from refugio.check.required import blank
from refugio.check.sources import LEGAL_RULES
from refugio.model import Application, Child, Preparer

__all__ = [
    "children",
    "marital_status",
    "one_year_deadline",
    "preparer",
    "spouse_included",
    "torture_convention",
]

_ONE_YEAR_SOURCE = LEGAL_RULES["one-year-deadline"].source

DEADLINE_WARNING_DAYS = 60
"""Warn this many days ahead: time to finish, mail, and be *received* (8 CFR 208.4(a)(2)(ii))."""


def marital_status(app: Application, today: dt.date) -> Iterator[Finding]:
    """Part A.I, item 11 agrees with Part A.II ("I am not married" skips the spouse block)."""
    status = app.applicant.marital_status
    if status == "married" and app.spouse is None:
        yield error("spouse", "you are married (Part A.I, item 11) but no spouse is given")
    if status not in (None, "married") and app.spouse is not None:
        yield error(
            "applicant.marital_status",
            "marital status is %(status)s but Part A.II gives a spouse",
            status=repr(status),
        )


def spouse_included(app: Application, today: dt.date) -> Iterator[Finding]:
    """Only a spouse in the US can be included (INA 208(b)(3)(A); 8 CFR 208.3(a))."""
    s = app.spouse
    if s is not None and s.include_in_application and s.in_us is not True:
        source = LEGAL_RULES["derivative-spouse"].source
        yield error(
            "spouse.include_in_application",
            "a spouse who is not in the US cannot be included (%(source)s)",
            source=source,
        )


def _is_21(child: Child, today: dt.date) -> bool:
    # Age on the date of filing, taken as today (INA 208(b)(3)(B)). A February 29 birthday
    # counts from February 28, the earlier reading: never claim an eligibility that may be gone.
    return child.date_of_birth is not None and add_years(child.date_of_birth, 21) <= today


def _why_not_eligible(child: Child, today: dt.date) -> list[Text]:
    reasons = []
    if child.in_us is not True:
        reasons.append(phrase("not in the US"))
    if child.marital_status == "married":
        reasons.append(phrase("married"))
    if _is_21(child, today):
        reasons.append(text("21 or older on %(date)s", date=str(today)))
    return reasons


def children(app: Application, today: dt.date) -> Iterator[Finding]:
    """Only an unmarried child under 21 in the US can be included; one who can, may be
    (INA 208(b)(3)(A)-(B); INA 101(b)(1); 8 CFR 208.3(a); instructions p. 5)."""
    source = LEGAL_RULES["derivative-child"].source
    for i, child in enumerate(app.children):
        path = f"children[{i}].include_in_application"
        reasons = _why_not_eligible(child, today)
        if child.include_in_application and reasons:
            yield error(
                path,
                "this child cannot be included (%(reasons)s); the child "
                "must file a separate Form I-589 (%(source)s)",
                reasons=listing(reasons),
                source=source,
            )
        known = child.date_of_birth is not None and child.marital_status is not None
        if child.include_in_application is False and known and not reasons:
            yield warning(
                path,
                "this child is under 21, unmarried and in the US, so may be "
                "included in your application (%(source)s)",
                source=source,
            )


def torture_convention(app: Application, today: dt.date) -> Iterator[Finding]:
    """The page 1 CAT box needs a detailed answer to Part B, question 4 (instructions p. 3)."""
    source = LEGAL_RULES["torture-convention"].source
    grounds = app.claim.grounds
    if app.cat_withholding:
        if app.claim.fear_of_torture.answer is False:
            yield error(
                "claim.fear_of_torture.answer",
                "the Convention Against Torture box on page 1 is checked but this answer "
                'is "no": explain in detail why you fear torture (%(source)s)',
                source=source,
            )
        if not grounds.torture_convention:
            yield warning(
                "claim.grounds.torture_convention",
                'the Convention Against Torture box on page 1 is checked but "Torture '
                'Convention" is not',
            )
    elif grounds.torture_convention:
        yield warning(
            "cat_withholding",
            '"Torture Convention" is checked in Part B, item 1, but this box is not: '
            "check it to apply for withholding under the Convention (%(source)s)",
            source=source,
        )


def preparer(app: Application, today: dt.date) -> Iterator[Finding]:
    """Part D's assistance questions agree with the names given and with Part E
    (instructions, Part 1 §V, Parts D-E, p. 7; §XI, item 5, p. 9; 8 CFR 292.4(a))."""
    sig, part_e = app.signature, app.preparer
    if sig.family_assisted and not sig.assistants:
        yield error(
            "signature.assistants",
            "your family assisted you: give each one's name and relationship",
        )
    if sig.family_assisted is False and sig.assistants:
        yield error("signature.family_assisted", 'answered "no" but assistants are listed')
    if sig.prepared_by_other and part_e is None:
        yield error(
            "preparer",
            "Part D says someone else prepared this application: the preparer "
            "must complete Part E (%(source)s)",
            source=LEGAL_RULES["preparer"].source,
        )
    if sig.prepared_by_other is False and part_e is not None:
        yield error("signature.prepared_by_other", 'answered "no" but Part E is completed')
    if part_e is not None and not part_e.g28_attached and _representative(part_e):
        yield warning(
            "preparer.g28_attached",
            "an attorney or representative is named but the "
            "G-28 box is not checked: attach Form G-28 (%(source)s)",
            source=LEGAL_RULES["g28"].source,
        )


def _representative(part_e: Preparer) -> bool:
    """A bar number or a representative's account number: only attorneys and accredited
    representatives have those boxes ("To be completed by an attorney or accredited
    representative", form Part E)."""
    return not (blank(part_e.bar_number) and blank(part_e.uscis_online_account_number))


def one_year_deadline(app: Application, today: dt.date) -> Iterator[Finding]:
    """Part C, item 5 agrees with the one-year deadline (INA 208(a)(2)(B), (D); 8 CFR
    208.4(a)(2), (4)-(5)); a deadline within DEADLINE_WARNING_DAYS is flagged."""
    deadline = filing_deadline(app)
    if deadline is None:
        return
    path = "additional.filing_after_one_year.answer"
    answer = app.additional.filing_after_one_year.answer
    left = deadline.days_left(today)
    exceptions = LEGAL_RULES["late-filing-exceptions"].source
    if left < 0 and answer is not True:
        hint = _child_hint(app, deadline.last_arrival)
        yield error(
            path,
            "the 1-year deadline passed on %(date)s (last arrival "
            '%(arrival)s): answer "yes" and explain the changed or '
            "extraordinary circumstances (%(source)s)%(hint)s",
            date=str(deadline.date),
            arrival=str(deadline.last_arrival),
            source=exceptions,
            hint=hint,
        )
    elif left < 0:
        # Answered and explained: a legitimate late filing, so not an error, but the bar is real.
        yield warning(
            path,
            "the 1-year deadline passed on %(date)s: asylum depends on "
            "your explanation; withholding of removal and CAT protection have no "
            "deadline (%(source)s)",
            date=str(deadline.date),
            source=exceptions,
        )
    elif answer is True:
        yield warning(
            path,
            'answered "yes", but the 1-year deadline (%(date)s, from the '
            "last arrival on %(arrival)s) has not passed",
            date=str(deadline.date),
            arrival=str(deadline.last_arrival),
        )
    if 0 <= left <= DEADLINE_WARNING_DAYS:
        yield warning(
            path,
            "the 1-year deadline is %(date)s, %(days)s days from now: USCIS "
            "or the court must receive the application by then (%(source)s)",
            date=str(deadline.date),
            days=str(left),
            source=_ONE_YEAR_SOURCE,
        )


def _child_hint(app: Application, arrival: dt.date) -> Param:
    born = app.applicant.date_of_birth
    if born is None or add_years(born, 18) <= arrival:
        return ""
    return text(
        "; you arrived under 18: if unaccompanied, the deadline does not apply (%(source)s)",
        source=LEGAL_RULES["unaccompanied-child"].source,
    )
