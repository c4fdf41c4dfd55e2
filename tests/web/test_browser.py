"""The web app in a real browser (issue 3, points 6, 7 and 9): Debian's Chromium, headless,
driven by Playwright against Django's live server.

- example (a) answered entirely through the interview, with JavaScript and without it; the
  filled PDF downloaded and read back; the case in the database equal to the example;
- switching to Chinese changes the questions;
- axe-core over every interview screen of example (b) and every other page: zero violations;
- the error summary links to each field; keyboard-only use;
- autosave (typing, reloading, closing the tab) and conditional questions with JavaScript, the
  same questions shown with their condition without it;
- no request from any page to any host but this machine.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone, translation
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from refugio.editions import DEFAULT_EDITION, EDITIONS
from refugio.fill import fill
from refugio.interview import (
    PLAN,
    build,
    from_application,
    get,
    questions_of,
    step_by_slug,
    visible_steps,
)
from refugio_web import dossiers, present
from refugio_web.models import Case, User
from tests.pdfcheck import checked_boxes, filled_text_fields, pdftotext, squeeze
from tests.web.browser import (
    SERVER,
    PolicyViolations,
    Requests,
    axe,
    chromium,
    complete_interview,
    describe,
    log_in,
    new_case,
    step_slug,
    submit,
)
from tests.web.conftest import PASSWORD, case_by_reference, example, fresh_code, sample_pdf

pytestmark = pytest.mark.browser

OpenPage = Callable[..., Page]
PART_D = "form1[0].#subform[10]."
SUB0 = "form1[0].#subform[0]."
PART_B = "form1[0].#subform[5].#subform[6]."
# axe 4.11 no longer checks that ids are unique (a label or a link may point at the wrong one).
DUPLICATE_IDS = """() => {
  const seen = new Set(), twice = new Set();
  document.querySelectorAll("[id]").forEach((el) => {
    if (seen.has(el.id)) { twice.add(el.id); }
    seen.add(el.id);
  });
  return [...twice];
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium for every test of this module.

    Module-scoped rather than session-scoped on purpose: while Playwright's sync API is open an
    asyncio loop runs in the main thread, so the other web tests (plain Django client, ORM)
    would need DJANGO_ALLOW_ASYNC_UNSAFE too; and a second ``sync_playwright()`` (the
    right-to-left test) cannot start while this one is open. All browser tests live here.
    """
    expect.set_options(timeout=15_000)  # a slow, shared machine
    try:
        with chromium() as b:
            yield b
    finally:
        expect.set_options(timeout=5_000)  # Playwright's default


@pytest.fixture
def open_page(browser: Browser, live_server: LiveServer) -> Iterator[OpenPage]:
    """``open_page(js=True)``: a page in a fresh browser context (no cookies), in English.

    Every request of every page is recorded; at the end the test fails if any went to a host
    other than this machine, or if the Content-Security-Policy refused anything on any page.
    """
    seen = Requests()
    violations = PolicyViolations()
    contexts: list[BrowserContext] = []

    def make(js: bool = True) -> Page:
        context = browser.new_context(
            java_script_enabled=js,
            locale="en-US",
            accept_downloads=True,
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(20_000)
        seen.watch(context)
        violations.watch(context)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        seen.settle(context)
        context.close()
    assert seen.urls, "no request recorded"
    assert not seen.foreign(), f"requests left this machine: {seen.foreign()}"
    assert not violations.seen, f"Content-Security-Policy violations: {violations.seen}"


def _url(live_server: LiveServer, path: str) -> str:
    return f"{live_server.url}{path}"


def _step_url(live_server: LiveServer, case: Case, slug: str) -> str:
    return _url(live_server, f"/cases/{case.pk}/step/{slug}/")


def _code(username: str) -> str:
    """The current code of the user's authenticator, from the secret in the database (read
    while the server is idle, see ServerActivity)."""
    SERVER.wait()
    return fresh_code(User.objects.get(username=username))


def _logged_in(open_page: OpenPage, live_server: LiveServer, js: bool = True) -> Page:
    page = open_page(js=js)
    log_in(page, live_server.url, "alice", PASSWORD, _code("alice"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cases")
    return page


def _blank(skip: bool = True) -> Path | None:
    """The blank of the default edition (settings.FORMS_DIR); without it the test is skipped
    (or goes on without, ``skip=False``), or fails where REFUGIO_REQUIRE_FORMS=1."""
    path = Path(settings.FORMS_DIR) / EDITIONS[DEFAULT_EDITION].filename
    if not path.exists():
        message = f"blank {path.name} not found in {settings.FORMS_DIR} (set REFUGIO_FORMS_DIR)"
        if os.environ.get("REFUGIO_REQUIRE_FORMS") == "1":
            pytest.fail(message)
        if skip:
            pytest.skip(message)
        return None
    return path


# --- example (a), entirely through the interview -------------------------------------------


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_example_a_can_be_answered_entirely_through_the_interview(
    open_page: OpenPage, live_server: LiveServer, alice: User, js: bool, tmp_path: Path
) -> None:
    expected = example("a-")
    target = from_application(expected)
    page = _logged_in(open_page, live_server, js)
    new_case(page, live_server.url, "UI-A")
    assert step_slug(page.url) == "start"

    passed = complete_interview(page, target)

    # Every screen that applies, in form order, then the review.
    assert passed == [s.slug for s in visible_steps(target)]
    assert page.url.endswith("/review/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Review all answers")

    # The database holds exactly what the example says.
    assert SERVER.wait()
    case = case_by_reference("UI-A")
    assert case.organisation_id == alice.organisation_id
    for step in PLAN:
        for q in questions_of(step, target, only_visible=False):
            assert get(case.draft, q.path) == get(target, q.path), q.path
    for key in ("has_children", "mailing_different"):
        assert case.draft["meta"][key] == target["meta"][key]
    built = build(case.draft)
    assert built.errors == {}
    assert built.app is not None
    assert built.app.model_dump() == expected.model_dump()

    # The filled form, downloaded from the review page (edition 01/20/25 by default).
    blank = _blank()
    assert blank is not None
    expect(page.locator("#edition")).to_have_value(DEFAULT_EDITION)
    expect(page.locator("#na")).to_be_checked()  # "NONE" or "N/A" in empty answers
    with page.expect_download() as info:
        page.get_by_role("button", name="Download filled I-589").click()
    download = info.value
    assert download.suggested_filename == "I-589-filled.pdf"
    got = tmp_path / "from-the-browser.pdf"
    download.save_as(got)

    fields = {name: f.value for name, f in filled_text_fields(got).items()}
    applicant = expected.applicant
    assert fields[SUB0 + "PtAILine4_LastName[0]"] == "Carcamo Villeda" == applicant.last_name
    assert fields[SUB0 + "PtAILine5_FirstName[0]"] == "Lidia"
    assert fields[SUB0 + "DateTimeField1[0]"] == "07/09/1996"
    assert fields[PART_D + "TextField20[1]"] == "Lidia Esperanza Cárcamo Villeda"
    assert fields[SUB0 + "PtAILine9_StreetNumandName[0]"] == "N/A"  # no mailing address
    fear = expected.claim.fear_of_return.explanation
    box = fields[PART_B + "TextField15[0]"]
    assert box == fear or squeeze(fear)[-60:] in squeeze(pdftotext(got))
    assert fields[PART_B + "TextField14[0]"].startswith("My family lived in Colonia Los Almendros")

    # And every field and box is what the core fills from the example file itself.
    direct = tmp_path / "from-the-file.pdf"
    fill(expected, blank, direct, today=timezone.localdate(), na=True)
    assert fields == {name: f.value for name, f in filled_text_fields(direct).items()}
    assert checked_boxes(got) == checked_boxes(direct)


# --- Content-Security-Policy (issue 4, point 5) -----------------------------------------------


INJECT = """() => {
  const script = document.createElement("script");
  script.textContent = "window.injected = true";
  document.head.append(script);
  const style = document.createElement("div");
  style.setAttribute("style", "color: red");
  document.body.append(style);
  const img = document.createElement("img");
  img.src = "https://192.0.2.1/pixel.gif";
  document.body.append(img);
}"""


def test_the_browser_enforces_the_policy_and_reports_what_it_refused(
    browser: Browser, live_server: LiveServer, db: None
) -> None:
    """What a stored-XSS payload would try — an inline script, an inline style, an image from
    another host — is refused by Chromium itself and seen by the watcher that every other
    browser test relies on to prove that no page needs more than the policy allows."""
    violations = PolicyViolations()
    context = violations.watch(browser.new_context())
    page = context.new_page()
    page.goto(_url(live_server, "/login/"))
    page.evaluate(INJECT)
    wanted = ("script-src-elem inline", "style-src-attr inline", "img-src https://192.0.2.1/")

    def reported() -> bool:
        page.wait_for_timeout(50)  # events are delivered while Playwright waits
        return all(w in "\n".join(violations.seen) for w in wanted)

    SERVER.wait(reported, seconds=10)
    assert page.evaluate("() => window.injected") is None  # the script never ran
    context.close()
    text = "\n".join(violations.seen)
    assert "script-src-elem inline" in text, text
    assert "style-src-attr inline" in text, text
    assert "img-src https://192.0.2.1/pixel.gif" in text, text


# --- accessibility --------------------------------------------------------------------------


def test_axe_finds_no_violation_on_any_page(
    open_page: OpenPage, live_server: LiveServer, alice: User, bob: User, case_b: Case
) -> None:
    """Every interview screen of example (b) (spouse, children, preparer: all of them apply) and
    every other page, with JavaScript; a screen with its error summary; the questions that a
    condition hides, shown as they are without JavaScript."""
    failures: dict[str, str] = {}

    def check(page: Page, name: str) -> None:
        violations = axe(page)
        if violations:
            failures[name] = describe(violations)
        duplicates = page.evaluate(DUPLICATE_IDS)
        if duplicates:
            failures[name + " (ids used twice)"] = ", ".join(duplicates)

    page = open_page()
    page.goto(_url(live_server, "/login/"))
    check(page, "login")
    page.get_by_label("User name").fill("alice")
    page.get_by_label("Password").fill("not the password")
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    check(page, "login, wrong password")
    log_in(page, live_server.url, "alice", PASSWORD, _code("alice"))
    check(page, "case list")
    for name, path in [
        ("new case", "/cases/new/"),
        ("case home", f"/cases/{case_b.pk}/"),
        ("review", f"/cases/{case_b.pk}/review/"),
        ("password change", "/password/"),
        ("re-authentication", "/login/again/"),
        ("people on a case", f"/cases/{case_b.pk}/people/"),
        ("delete a case", f"/cases/{case_b.pk}/delete/"),
        ("people", "/people/"),  # with Bob's "Disable" button; last: its form is used below
    ]:
        page.goto(_url(live_server, path))
        check(page, name)
    with page.expect_navigation():  # the account form with its error summary
        page.get_by_role("button", name="Create the account").click()
    expect(page.locator("#error-summary")).to_be_focused()
    check(page, "people, with errors")
    steps = visible_steps(case_b.draft)
    assert {"spouse", "children", "preparer", "assistants"} <= {s.slug for s in steps}
    for step in steps:
        page.goto(_step_url(live_server, case_b, step.slug))
        check(page, f"step {step.slug}")
    if _blank(skip=False) is not None:
        page.goto(_url(live_server, f"/cases/{case_b.pk}/preview/?edition={DEFAULT_EDITION}"))
        first = page.locator(".refugio-pages img").first
        expect(first).to_be_visible()
        page.wait_for_function(
            "(img) => img.complete && img.naturalWidth > 0", arg=first.element_handle()
        )
        check(page, "preview")

    # The error summary: a date that is not a date.
    page.goto(_step_url(live_server, case_b, "personal"))
    page.locator('[name="applicant.date_of_birth"]').fill("31/02/1990")
    submit(page)
    expect(page.locator("#error-summary")).to_be_visible()
    check(page, "step personal with an error")
    page.goto(_url(live_server, f"/cases/{case_b.pk}/review/"))
    expect(page.locator(".refugio-answer--error")).to_have_count(1)
    check(page, "review, with an answer that cannot be read")

    # Without the script every conditional question is shown, with its condition. (axe itself
    # needs JavaScript, so here the page's own script is blocked instead of all JavaScript.)
    page.route("**/refugio/interview.js", lambda route: route.abort())
    for slug in ("addresses", "spouse", "children", "harm", "parents"):
        page.goto(_step_url(live_server, case_b, slug))
        expect(page.locator(".refugio-condition").first).to_be_visible()
        check(page, f"step {slug} without JavaScript")

    assert not failures, "\n".join(f"{name}:\n{text}" for name, text in failures.items())


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_the_error_summary_links_to_each_field(
    open_page: OpenPage, live_server: LiveServer, alice: User, case: Case, js: bool
) -> None:
    page = _logged_in(open_page, live_server, js)
    page.goto(_step_url(live_server, case, "entries"))
    submit(page, "add")
    page.locator('[name="applicant.entries[0].date"]').fill("02/30/2026")
    page.locator('[name="applicant.entries[0].status_expires"]').fill("next spring")
    submit(page)

    assert step_slug(page.url) == "entries"  # saved, and shown again with what to correct
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    links = summary.locator("a")
    targets = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert targets == ["#q-applicant-entries-0-date", "#q-applicant-entries-0-status_expires"]
    if js:  # the summary takes the focus, so that it is read first
        expect(summary).to_be_focused()
    for target in targets:
        assert target is not None
        field = page.locator(target)
        expect(field).to_have_attribute("aria-invalid", "true")
        error_id = target[1:] + "-error"
        assert error_id in (field.get_attribute("aria-describedby") or "").split()
        expect(page.locator(f"#{error_id}")).to_be_visible()
        summary.locator(f'a[href="{target}"]').click()
        expect(field).to_be_focused()
    # The answers stay as typed.
    expect(page.locator('[name="applicant.entries[0].status_expires"]')).to_have_value(
        "next spring"
    )


def test_the_keyboard_alone_reaches_every_answer_and_enter_saves(
    open_page: OpenPage, live_server: LiveServer, alice: User, case_b: Case
) -> None:
    page = _logged_in(open_page, live_server)
    page.goto(_step_url(live_server, case_b, "personal"))
    wanted = set(
        page.eval_on_selector_all(
            "#step-form input:not([type=hidden]), #step-form select, #step-form textarea",
            "els => els.filter(e => !e.closest('[hidden]')).map(e => e.name)",
        )
    )
    assert {"applicant.sex", "applicant.date_of_birth", "applicant.religion"} <= wanted

    def tab_until(stop: Callable[[dict[str, str]], bool]) -> set[str]:
        reached: set[str] = set()
        for _ in range(200):
            page.keyboard.press("Tab")
            focused: dict[str, str] = page.evaluate(FOCUSED)
            if focused["tag"] in ("INPUT", "SELECT", "TEXTAREA"):
                reached.add(focused["name"])
            if stop(focused):
                return reached
        raise AssertionError(f"Tab never reached the end; reached {sorted(reached)}")

    # Tab from the top of the page reaches every answer (one stop per group of radio buttons),
    # then the "Save and continue" button; the hidden copy of it is never a stop.
    reached = tab_until(lambda f: f["tag"] == "BUTTON" and f["value"] == "next")
    assert wanted <= reached, sorted(wanted - reached)
    assert page.evaluate("document.activeElement.classList.contains('usa-sr-only')") is False
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert step_slug(page.url) == "travel"

    # Enter in a text answer saves the screen and continues, like the button.
    page.goto(_step_url(live_server, case_b, "personal"))
    tab_until(lambda f: f["name"] == "applicant.religion")
    page.keyboard.press("End")
    page.keyboard.type(" (fictional)")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert step_slug(page.url) == "travel"
    assert SERVER.wait()
    case_b.refresh_from_db()
    want = get(from_application(example("b-")), "applicant.religion") + " (fictional)"
    assert get(case_b.draft, "applicant.religion") == want


FOCUSED = """() => {
  const e = document.activeElement;
  return {tag: e.tagName, name: e.getAttribute("name") || "", value: e.value || ""};
}"""


# --- JavaScript only enhances -----------------------------------------------------------------


def test_autosave_keeps_answers_across_a_reload_and_a_closed_tab(
    open_page: OpenPage, live_server: LiveServer, alice: User, case: Case
) -> None:
    page = _logged_in(open_page, live_server)
    page.goto(_step_url(live_server, case, "identity"))
    last_name = page.locator('[name="applicant.last_name"]')
    last_name.press_sequentially("Ortega Lind")
    expect(page.locator("#autosave-status")).to_have_text("All answers on this page are saved.")
    page.reload()
    expect(last_name).to_have_value("Ortega Lind")

    # Typed, then the tab closed at once (before the autosave's pause): the page sends what
    # was typed as it goes (pagehide, sendBeacon).
    other = page.context.new_page()
    page.locator('[name="applicant.first_name"]').press_sequentially("Mireya")
    assert SERVER.wait()
    before = SERVER.started
    page.close()
    # (On a very slow machine the autosave's pause may end first: then that saved it.)
    SERVER.wait(lambda: SERVER.started > before, seconds=10)
    assert SERVER.wait()
    case.refresh_from_db()
    assert get(case.draft, "applicant.first_name") == "Mireya"
    assert get(case.draft, "applicant.last_name") == "Ortega Lind"
    other.goto(_step_url(live_server, case, "identity"))
    expect(other.locator('[name="applicant.first_name"]')).to_have_value("Mireya")


def test_saving_while_an_autosave_is_on_its_way_is_not_a_conflict(
    open_page: OpenPage, live_server: LiveServer, alice: User, case: Case
) -> None:
    """Type, pause (the autosave leaves), press "Save and continue" before its answer is back:
    the page waits for it and submits with the new version, instead of being refused as if
    someone else had saved the case."""
    page = _logged_in(open_page, live_server)
    page.goto(_step_url(live_server, case, "identity"))
    slow = page.context.new_cdp_session(page)
    slow.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 1500, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    page.locator('[name="applicant.last_name"]').press_sequentially("Ortega Lind")
    page.wait_for_event("request", lambda r: r.method == "POST")  # the autosave, 1 s later
    with page.expect_navigation(timeout=30_000):
        page.locator(".refugio-buttons button[value=next]").click()

    assert step_slug(page.url) == "addresses", page.locator("#conflict").all_inner_texts()
    assert SERVER.wait()
    case.refresh_from_db()
    assert get(case.draft, "applicant.last_name") == "Ortega Lind"


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_conditional_questions_hide_with_javascript_and_say_when_they_apply_without(
    open_page: OpenPage, live_server: LiveServer, alice: User, case: Case, js: bool
) -> None:
    page = _logged_in(open_page, live_server, js)
    page.goto(_step_url(live_server, case, "harm"))
    explanation = page.locator("#q-claim-past_harm-explanation")
    condition = page.locator("#q-claim-past_harm-explanation-cond")
    page.locator('label[for="q-claim-past_harm-answer-no"]').click()
    if js:
        expect(explanation).to_be_hidden()
        page.locator('label[for="q-claim-past_harm-answer-yes"]').click()
        expect(explanation).to_be_visible()
        page.locator('label[for="q-claim-past_harm-answer-no"]').click()
        expect(explanation).to_be_hidden()
    else:
        expect(explanation).to_be_visible()
        expect(condition).to_be_visible()
        expect(condition).to_contain_text("Answer this only if the answer above is: yes")
        assert (
            "q-claim-past_harm-explanation-cond"
            in (explanation.get_attribute("aria-describedby") or "").split()
        )

    # The mailing address, behind its own yes/no question.
    page.goto(_step_url(live_server, case, "addresses"))
    mailing = page.locator('[name="applicant.mailing_address.street"]')
    page.locator('label[for="meta-mailing_different-no"]').click()
    if js:
        expect(mailing).to_be_hidden()
        page.locator('label[for="meta-mailing_different-yes"]').click()
        expect(mailing).to_be_visible()
    else:
        expect(mailing).to_be_visible()
        expect(page.get_by_text("Answer these only if you answered Yes above.")).to_be_visible()


# --- languages ------------------------------------------------------------------------------


def test_switching_to_chinese_changes_the_questions(
    open_page: OpenPage, live_server: LiveServer, alice: User, case: Case
) -> None:
    identity = step_by_slug("identity")
    assert identity is not None
    q = next(q for q in questions_of(identity, {}) if q.name == "applicant.last_name")
    page = _logged_in(open_page, live_server)
    page.goto(_step_url(live_server, case, "identity"))
    label = page.locator(f'label[for="{q.dom_id}"]')
    english = label.inner_text()
    with translation.override("en"):
        in_english = present.sentence(q.label)
    assert english.startswith(in_english)
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.locator("#language").select_option("zh-hans")
    with page.expect_navigation():
        page.locator("form.refugio-language button[type=submit]").click()

    assert step_slug(page.url) == "identity"  # the same screen, now in Chinese
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    with translation.override("zh-hans"):
        want = present.sentence(q.label)
        button = translation.gettext("Save and continue")
    assert want != in_english, "the Chinese catalogue lacks this question"
    chinese = label.inner_text()
    assert chinese.startswith(want)
    assert chinese != english
    expect(page.locator(".refugio-buttons button[value=next]")).to_have_text(button)

    # And back: the answers never change with the language.
    page.locator("#language").select_option("en")
    with page.expect_navigation():
        page.locator("form.refugio-language button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert label.inner_text() == english


# --- the dossier (issue 5) ------------------------------------------------------------------


def test_an_event_and_a_document_are_added_without_javascript(
    open_page: OpenPage,
    live_server: LiveServer,
    alice: User,
    case: Case,
    settings: Any,
    tmp_path: Path,
) -> None:
    """Tor Browser "safest": the timeline and an upload work with JavaScript off; the dossier's
    pages pass axe-core (checked in a second page with JavaScript, which axe needs)."""
    settings.REFUGIO_FILES_DIR = tmp_path / "files"
    page = _logged_in(open_page, live_server, js=False)
    page.goto(_url(live_server, f"/cases/{case.pk}/"))
    with page.expect_navigation():
        page.get_by_role("link", name="Timeline", exact=True).click()
    with page.expect_navigation():
        page.get_by_role("link", name="Add an event").click()
    page.get_by_label("When it happened (or began)").fill("2016-03")
    page.locator('label[for="id_when_around"]').click()
    page.get_by_label("Where", exact=True).fill("Fictional City, Fictionland")
    page.locator('label[for="id_kinds-detention"]').click()
    page.get_by_label("What happened, in the applicant's words").fill("Held three days (fictional)")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the event").click()
    expect(page.locator(".refugio-event__when")).to_contain_text("around March 2016")

    page.goto(_url(live_server, f"/cases/{case.pk}/evidence/new/"))
    page.get_by_label("Title").fill("Summons (fictional)")
    page.locator(".refugio-choices label").first.click()  # the event just added
    pdf = {"name": "summons.pdf", "mimeType": "application/pdf", "buffer": sample_pdf()}
    page.locator("#id_document").set_input_files(files=[pdf])
    with page.expect_navigation():
        page.get_by_role("button", name="Upload and save").click()
    expect(page.locator("#main-content h2").first).to_have_text("Summons (fictional)")

    assert SERVER.wait()
    dossier = dossiers.dossier_of(Case.objects.get(pk=case.pk))
    [event], [item] = dossier.events, dossier.evidence
    assert str(event.when) == "~2016-03" and event.evidence == [item.id]
    assert item.events == [event.id] and item.file

    failures: dict[str, str] = {}
    js = _logged_in(open_page, live_server)
    base = f"/cases/{case.pk}"
    pages = ["/", "/timeline/", f"/timeline/{event.id}/", "/timeline/new/", "/evidence/"]
    pages += [f"/evidence/{item.id}/", "/evidence/new/", f"/timeline/{event.id}/delete/"]
    for path in pages:
        js.goto(_url(live_server, base + path))
        if violations := axe(js):
            failures[path] = describe(violations)
    js.goto(_url(live_server, f"{base}/timeline/new/"))  # an empty event: its error summary
    with js.expect_navigation():
        js.get_by_role("button", name="Save the event").click()
    expect(js.locator("#error-summary")).to_be_visible()
    if violations := axe(js):
        failures["event with errors"] = describe(violations)
    js.goto(_url(live_server, f"{base}/declaration/"))
    with js.expect_navigation():
        js.locator('button[value="add-background"]').click()
    expect(js.locator("#native-0")).to_be_visible()
    if violations := axe(js):
        failures["declaration"] = describe(violations)
    assert not failures, "\n".join(f"{name}:\n{text}" for name, text in failures.items())
