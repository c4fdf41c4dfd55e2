"""Attacks through the web pages (issue 4, point 8): stored script in every answer comes back
escaped, a form posted from another site changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from refugio.interview import PLAN
from refugio_web.models import Case, User
from tests.web.conftest import logged_in

pytestmark = pytest.mark.django_db

PAYLOAD = "\"'><script>alert('XSS-7')</script><img src=x onerror=alert(7)>"
RAW = ("<script>alert('XSS-7')", "<img src=x onerror")


def _poisoned(node: Any) -> Any:
    """Every answer of a draft replaced by the payload (the bookkeeping in "meta" kept)."""
    if isinstance(node, dict):
        return {k: (v if k == "meta" else _poisoned(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_poisoned(v) for v in node]
    return PAYLOAD if isinstance(node, str) else node


def test_a_script_typed_into_any_answer_is_shown_as_text_everywhere(
    alice: User, case_b: Case
) -> None:
    case_b.draft = _poisoned(case_b.draft)
    case_b.reference = PAYLOAD
    case_b.save()
    client = logged_in(alice)
    pages = ["/", f"/cases/{case_b.pk}/", f"/cases/{case_b.pk}/review/"]
    pages += [f"/cases/{case_b.pk}/step/{step.slug}/" for step in PLAN]
    shown = 0
    for url in pages:
        page = client.get(url).content.decode()
        for raw in RAW:
            assert raw not in page, url
        shown += page.count("&lt;script&gt;alert(&#x27;XSS-7&#x27;)")
    assert shown > len(PLAN)  # the answers were on the pages, escaped


def test_a_screen_posted_without_its_csrf_token_changes_nothing(alice: User, case: Case) -> None:
    client = logged_in(alice)
    client.handler.enforce_csrf_checks = True
    r = client.post(
        f"/cases/{case.pk}/step/identity/",
        {"version": "1", "action": "save", "applicant.last_name": "Forged"},
    )
    assert r.status_code == 403
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.version == 1 and fresh.draft.get("applicant", {}).get("last_name", "") == ""
