"""Right-to-left layout in a real browser (issue 3, point 5): with a right-to-left language the
page mirrors — the language label sits to the right of its select, where it sits to the left in
a left-to-right language. Persian stands in for any right-to-left language: Refugio has no
catalogue for it, Django marks it bidirectional.

Debian's Chromium (/usr/bin/chromium) through Playwright, headless, against Django's live
server; skipped without Chromium unless REFUGIO_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings

from tests.web.browser import chromium as launch_chromium

pytestmark = pytest.mark.browser


@pytest.fixture
def chromium() -> Iterator[Any]:
    with launch_chromium() as launched:  # the same launch, flags and skip rule as the others
        yield launched


def language_form(browser: Any, base_url: str, language: str) -> dict[str, Any]:
    """Where the language label and select are drawn on the login page, in ``language``."""
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    try:
        host = base_url.split("://", 1)[1].split(":")[0]
        name = settings.LANGUAGE_COOKIE_NAME  # "__Host-django_language" outside the demo
        secure = name.startswith("__Host-")
        context.add_cookies(
            [{"name": name, "value": language, "domain": host, "path": "/", "secure": secure}]
        )
        page = context.new_page()
        page.goto(f"{base_url}/login/")
        label = page.locator("label[for=language]").bounding_box()
        select = page.locator("select#language").bounding_box()
        assert label is not None and select is not None
        return {
            "dir": page.evaluate("document.documentElement.dir"),
            "computed": page.evaluate("getComputedStyle(document.body).direction"),
            "lang": page.evaluate("document.documentElement.lang"),
            "label": label,
            "select": select,
        }
    finally:
        context.close()


def test_it_mirrors_the_page_in_a_right_to_left_language(
    chromium: Any, live_server: Any, settings: Any
) -> None:
    settings.LANGUAGES = [*settings.LANGUAGES, ("fa", "فارسی")]
    rtl = language_form(chromium, live_server.url, "fa")
    assert (rtl["lang"], rtl["dir"], rtl["computed"]) == ("fa", "rtl", "rtl")
    # The label comes first in the markup, so it is drawn at the inline start: the right.
    assert rtl["label"]["x"] >= rtl["select"]["x"] + rtl["select"]["width"] - 1

    ltr = language_form(chromium, live_server.url, "zh-hans")
    assert (ltr["lang"], ltr["dir"], ltr["computed"]) == ("zh-hans", "ltr", "ltr")
    assert ltr["label"]["x"] + ltr["label"]["width"] <= ltr["select"]["x"] + 1
