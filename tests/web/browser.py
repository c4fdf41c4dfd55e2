"""Helpers for the browser tests: Debian's Chromium through Playwright, the interview driven as a
user drives it (labels clicked, fields typed, buttons pressed), axe-core, and a guard that no
request leaves this machine.

The browser is Debian's own Chromium (``/usr/bin/chromium``); Playwright never downloads one.
Without it the browser tests are skipped, or fail where CI requires them
(REFUGIO_REQUIRE_BROWSER=1).
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.signals import request_finished, request_started
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Request,
    sync_playwright,
)

from refugio.interview import Draft, Step, get, questions_of, step_by_slug

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
_STEP_URL = re.compile(r"/cases/[0-9a-f-]+/step/([a-z-]+)/")


def require_browser() -> None:
    """Skip without Chromium (or axe-core); fail instead where CI sets REFUGIO_REQUIRE_BROWSER=1."""
    missing = [str(p) for p in (CHROMIUM, AXE) if not p.exists()]
    if missing:
        message = f"not found: {', '.join(missing)} (apt-get install chromium; npm ci)"
        if os.environ.get("REFUGIO_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)


@contextmanager
def chromium() -> Iterator[Browser]:
    """One headless Chromium for a group of tests.

    Playwright's sync API keeps an asyncio loop running in this thread while it is open, and
    Django refuses ORM calls from a thread with a running loop (SynchronousOnlyOperation). The
    tests and the live server are plain synchronous code, so the documented test-only switch
    DJANGO_ALLOW_ASYNC_UNSAFE is set for exactly as long as the browser is open.
    """
    require_browser()
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    SERVER.connect()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=ARGS
            )
            try:
                yield browser
            finally:
                browser.close()
    finally:
        SERVER.disconnect()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class ServerActivity:
    """Requests the live server has started and finished (Django's request signals).

    The test database is SQLite in memory, shared by the test and the server's threads: a read
    from the test while the server saves fails with "database table is locked" (a file database
    with WAL, as deployed, waits instead). So a test reads the database, and presses a button,
    only while the server is idle.
    """

    def __init__(self) -> None:
        self.started = 0
        self.finished = 0
        self._lock = threading.Lock()

    def _start(self, **kwargs: Any) -> None:
        with self._lock:
            self.started += 1

    def _finish(self, **kwargs: Any) -> None:
        with self._lock:
            self.finished += 1

    def connect(self) -> None:
        request_started.connect(self._start, dispatch_uid="refugio-browser-tests")
        request_finished.connect(self._finish, dispatch_uid="refugio-browser-tests")

    def disconnect(self) -> None:
        request_started.disconnect(dispatch_uid="refugio-browser-tests")
        request_finished.disconnect(dispatch_uid="refugio-browser-tests")

    def idle(self) -> bool:
        with self._lock:
            return self.started == self.finished

    def wait(self, condition: Callable[[], bool] | None = None, seconds: float = 15) -> bool:
        """Until ``condition`` holds (default: none) and no request is being answered."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if (condition is None or condition()) and self.idle():
                return True
            time.sleep(0.02)
        return False


SERVER = ServerActivity()


class Requests:
    """Every URL any page of a context asked for, and how many are still unanswered.

    ``foreign()`` lists the requests to any host but this machine. ``settle()`` stops the
    interview script's pending autosave and waits for every answer to arrive: a request still
    running when a test ends would reach the live server after the test's database is gone.
    """

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.pending = 0

    def watch(self, context: BrowserContext) -> BrowserContext:
        context.on("request", self._sent)
        context.on("requestfinished", self._done)
        context.on("requestfailed", self._done)
        return context

    def _sent(self, request: Request) -> None:
        self.urls.append(request.url)
        self.pending += 1

    def _done(self, request: Request) -> None:
        self.pending -= 1

    def foreign(self) -> list[str]:
        out = []
        for url in self.urls:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            if parts.scheme not in ("http", "https") or parts.hostname not in LOCAL_HOSTS:
                out.append(url)
        return out

    def settle(self, context: BrowserContext, seconds: float = 15) -> None:
        for page in context.pages:
            # The script forgets unsaved typing on "submit" (the form itself carries it).
            page.evaluate(
                "() => { const f = document.getElementById('step-form');"
                " if (f) { f.dispatchEvent(new Event('submit')); } }"
            )
        waited = 0.0
        while self.pending > 0 and waited < seconds and context.pages:
            context.pages[0].wait_for_timeout(50)
            waited += 0.05
        SERVER.wait(seconds=seconds)


class PolicyViolations:
    """Every Content-Security-Policy violation on any page of a context (issue 4, point 5).

    Chromium reports each one on the console, with or without JavaScript; pages with it also
    fire ``securitypolicyviolation``, which a binding (not subject to the page's policy) relays.
    """

    SCRIPT = """document.addEventListener("securitypolicyviolation", (e) => {
      window.__refugioCspViolation(e.violatedDirective + " " + (e.blockedURI || "inline"));
    });"""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def watch(self, context: BrowserContext) -> BrowserContext:
        context.expose_binding(
            "__refugioCspViolation", lambda _source, text: self.seen.append(text)
        )
        context.add_init_script(self.SCRIPT)
        context.on("console", self._console)
        return context

    def _console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.seen.append(message.text)


def step_slug(url: str) -> str | None:
    m = _STEP_URL.search(url)
    return m[1] if m else None


def submit(page: Page, action: str = "next") -> None:
    """Press a submit button of the step form by its action and wait for the next page.

    An autosave still being answered is let finish first (see ``ServerActivity``)."""
    SERVER.wait()
    button = page.locator(
        f'#step-form button[name="action"][value="{action}"]:not(.usa-sr-only)'
    ).first
    with page.expect_navigation():
        button.click()


def log_in(page: Page, base_url: str, username: str, password: str, code: str) -> None:
    """The login page with both factors (``code``: the authenticator's current code)."""
    page.goto(f"{base_url}/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Code from your authenticator app").fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


def new_case(page: Page, base_url: str, reference: str) -> None:
    """From the case list, create a case; the app opens its first screen."""
    page.goto(f"{base_url}/")
    with page.expect_navigation():
        page.get_by_role("link", name="New case").click()
    page.get_by_label("Case reference").fill(reference)
    with page.expect_navigation():
        page.get_by_role("button", name="Create the case").click()


def _click_label(page: Page, dom_id: str) -> None:
    page.locator(f'label[for="{dom_id}"]').click()


def fill_step(page: Page, step: Step, target: Draft) -> None:
    """Answer the screen on ``page`` with the answers of ``target``, as a user would."""
    if step.toggle is not None:
        value = target.get("meta", {}).get(step.toggle.key, "")
        if value:
            _click_label(page, f"meta-{step.toggle.key}-{value}")
    if step.repeating:
        wanted = len(get(target, step.root) or [])
        shown = page.locator('#step-form button[name="action"][value^="remove-"]').count()
        for _ in range(wanted - shown):
            submit(page, "add")
    for q in questions_of(step, target, only_visible=False):
        value = get(target, q.path)
        if not isinstance(value, str) or not value:
            continue
        if q.kind in ("yes_no", "choice"):
            _click_label(page, f"{q.dom_id}-{value}")
        elif q.kind == "checkbox":
            box = page.locator(f'input[name="{q.name}"]')
            if not box.is_checked():
                _click_label(page, q.dom_id)
        else:
            page.locator(f'[name="{q.name}"]').fill(value)


def complete_interview(page: Page, target: Draft) -> list[str]:
    """From the screen on ``page``, answer every screen with ``target`` and press "Save and
    continue" until the review page; returns the screens passed, in order."""
    passed: list[str] = []
    while (slug := step_slug(page.url)) is not None:
        assert slug not in passed, f"stayed on {slug}: {error_summary(page)}"
        step = step_by_slug(slug)
        assert step is not None
        fill_step(page, step, target)
        passed.append(slug)
        submit(page, "next")
    return passed


def error_summary(page: Page) -> str:
    summary = page.locator("#error-summary")
    return summary.inner_text() if summary.count() else "(no error summary)"


def axe(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations on the page (WCAG 2.1 A and AA, and best practices)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated by Playwright, not added as a <script>: the page's Content-Security-Policy
        # forbids inline scripts (and should), and an evaluation also runs where the page's own
        # scripts are off. So the axe pages keep their policy too (no bypass_csp).
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    options = {
        "runOnly": {"type": "tag", "values": AXE_TAGS},
        "resultTypes": ["violations"],
    }
    result: dict[str, Any] = page.evaluate("(o) => axe.run(document, o)", options)
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '')[:300]}")
    return "\n".join(lines)
