"""The checker behind `refugio check`: what would get an I-589 returned, rejected or questioned.

    findings = check(app, today=date)      # in form order; empty when nothing is wrong
    deadline = filing_deadline(app)        # the one-year deadline, for the CLI to print

``today`` is always passed in: the checker never reads the clock, so its answers are
reproducible and testable (a deadline checked "today" is a deadline checked on a given day).

Rules, each with its sources in its module:
  1. required  - no question left blank (errors), or N/A where having nothing is normal (warnings)
  2. formats   - A-Number, SSN, I-94, state, ZIP and telephone formats
  3. dates     - no future dates, births before everything else, most recent first
  4. rules     - answers that must agree: marriage and spouse, included family, CAT, Parts D-E
  5. english   - answers in the Latin alphabet (except the native-alphabet name)
  6. rules     - the one-year deadline against Part C, item 5
  7. rules     - children who could be included but are not
"""

from __future__ import annotations

import datetime as dt

from refugio.check import dates, english, formats, required, rules
from refugio.check.deadline import Deadline, filing_deadline
from refugio.check.finding import Finding, Rule
from refugio.model import Application
from refugio.paths import item_for, order_key

__all__ = ["RULES", "Deadline", "Finding", "check", "filing_deadline", "item_for"]

RULES: tuple[Rule, ...] = (
    required.required,
    formats.formats,
    dates.dates,
    rules.marital_status,
    rules.spouse_included,
    rules.children,
    rules.torture_convention,
    rules.one_year_deadline,
    rules.preparer,
    english.english,
)


def check(app: Application, *, today: dt.date) -> list[Finding]:
    """Every finding of every rule, in form order (page 1, Part A.I ... Part E)."""
    findings = [finding for rule in RULES for finding in rule(app, today)]
    # A stable sort: findings on the same answer keep the order of RULES.
    return sorted(findings, key=lambda finding: order_key(finding.path))
