"""Properties of the checker over arbitrary applications (tests/strategies.py).

Generating a whole application costs ~0.1 s, so one test with few examples checks several
properties at once; the checker itself takes a few milliseconds per application.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from refugio.check import check, item_for
from refugio.check.formats import formats
from refugio.model import Application
from refugio.paths import order_key
from tests.strategies import applications


@pytest.mark.slow  # ~2 s: generating applications, not checking them, is slow
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(applications(), st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_it_checks_any_application_in_form_order(app: Application, today: dt.date) -> None:
    findings = check(app, today=today)
    keys = [order_key(f.path) for f in findings]
    assert keys == sorted(keys)
    assert all(f.item and f.item == item_for(f.path) for f in findings)
    # The strategies give identifiers and addresses the form's shape (or leave them blank), so
    # only the SSA's never-issued SSNs (000, 666, 9xx...) can be refused among random digits.
    assert all(f.path.endswith(".ssn") for f in formats(app, today))
