"""The packet page in a real browser with JavaScript off (Tor Browser "safest"; issue 5, point 7):
the page follows a running build by its meta refresh, the button builds the packet, the ZIP is
downloaded as ``packet.zip``; no Content-Security-Policy violation and no request leaves this
machine.

Its own module (and its own Chromium), as test_rtl_browser.py: test_browser.py keeps one browser
open for its whole module, and a second ``sync_playwright()`` cannot start while it is.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from refugio.editions import DEFAULT_EDITION, get_edition
from refugio_web.management.commands.demo import example_dossier
from refugio_web.models import Case, Job, User
from tests.conftest import blank_path
from tests.web.browser import (
    SERVER,
    PolicyViolations,
    Requests,
    axe,
    chromium,
    describe,
    log_in,
)
from tests.web.conftest import PASSWORD, fresh_code

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    expect.set_options(timeout=15_000)  # a slow, shared machine
    try:
        with chromium() as b:
            yield b
    finally:
        expect.set_options(timeout=5_000)  # Playwright's default


@pytest.fixture
def no_script_page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A page with JavaScript off, every request and policy violation recorded and checked."""
    seen, violations = Requests(), PolicyViolations()
    context = browser.new_context(java_script_enabled=False, locale="en-US", accept_downloads=True)
    context.set_default_timeout(20_000)
    seen.watch(context)
    violations.watch(context)
    yield context.new_page()
    seen.settle(context)
    context.close()
    assert not seen.foreign(), f"requests left this machine: {seen.foreign()}"
    assert not violations.seen, f"Content-Security-Policy violations: {violations.seen}"


def test_the_packet_is_built_and_downloaded_without_javascript(
    browser: Browser,
    no_script_page: Page,
    live_server: LiveServer,
    alice: User,
    case_b: Case,
    settings: Any,
    tmp_path: Path,
) -> None:
    blank_path(get_edition(DEFAULT_EDITION))
    settings.REFUGIO_FILES_DIR = tmp_path / "files"
    example_dossier(alice, case_b)  # the demo's case: example (b) and its specimens
    page = no_script_page
    log_in(page, live_server.url, "alice", PASSWORD, fresh_code(alice))
    url = f"{live_server.url}/cases/{case_b.pk}/packet/"

    # A build under way (as another tab started it): the page refreshes itself, no script.
    running = Job.objects.create(case=case_b, kind="packet", started_by=alice, stage="files")
    page.goto(url)
    expect(page.locator("progress#packet-progress")).to_be_visible()
    expect(page.get_by_text("Reading the evidence")).to_be_visible()
    with page.expect_navigation(timeout=10_000):  # the meta refresh, within 2 s
        pass
    # It went quiet (a restart): the page says so and offers the button again.
    assert SERVER.wait()
    Job.objects.filter(pk=running.pk).update(updated_at=timezone.now() - dt.timedelta(hours=1))
    page.goto(url)
    expect(page.locator("#packet-error")).to_contain_text("stopped without finishing")

    with page.expect_navigation():
        page.get_by_role("button", name="Build the filing packet").click()
    expect(page.locator("#packet-done")).to_be_visible()  # jobs run inline in the tests
    expect(page.locator("#packet-packages")).to_contain_text("1-original.pdf")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the packet (ZIP)").click()
    assert download.value.suggested_filename == "packet.zip"
    saved = Path(download.value.path())
    with zipfile.ZipFile(io.BytesIO(saved.read_bytes())) as archive:
        assert {"1-original.pdf", "2-duplicate.pdf", "checklist.pdf"} <= set(archive.namelist())

    # The finished page, with its checklist, passes axe-core (which needs JavaScript).
    context = browser.new_context(locale="en-US")
    violations = PolicyViolations()
    violations.watch(context)
    try:
        js = context.new_page()
        assert SERVER.wait()
        log_in(js, live_server.url, "alice", PASSWORD, fresh_code(alice))
        js.goto(url)
        expect(js.locator("#packet-checklist")).to_be_visible()
        found = axe(js)
        assert not found, describe(found)
    finally:
        SERVER.wait()
        context.close()
    assert not violations.seen, violations.seen
