"""Authentication (issue 4, point 3): Argon2id, a TOTP code at every login, a per-account
lockout no address can reset, no user enumeration, session lifetimes, every session ended at
logout, password change and disable, re-authentication before a download.

Alice and Bob share an organisation, Charlie is outside; each has a confirmed authenticator."""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings

from refugio.editions import DEFAULT_EDITION, get_edition
from refugio_web import accounts
from refugio_web import settings as production
from refugio_web.models import AccessEvent, Authenticator, Case, User
from refugio_web.sessions import SessionStore
from tests.conftest import blank_path
from tests.web.conftest import PASSWORD, code_for, fresh_code, log_in, logged_in

pytestmark = pytest.mark.django_db
FAILED = b"The user name, password or code is not right."
MINUTE = 60.0


class Clock:
    """The authentication module's clock, moved by the test (TOTP codes keep real time)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.at = time.time()
        monkeypatch.setattr(accounts, "now", lambda: self.at)

    def forward(self, seconds: float) -> None:
        self.at += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


def _post_login(client: Client, username: str, password: str, code: str = "", **extra: Any) -> Any:
    form = {"username": username, "password": password, "code": code}
    return client.post("/login/", form, **extra)


def _session_key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _signed_in(client: Client) -> bool:
    return client.get("/").status_code == 200


def _another_session(user: User) -> Client:
    """The same person in a second browser (a later code: one code logs in once)."""
    client = Client()
    form = {"username": user.username, "password": PASSWORD, "code": code_for(user, _later())}
    assert client.post("/login/", form).status_code == 302
    return client


def _later(steps: int = 1) -> float:
    return time.time() + 30 * steps


def _wrong_code(device: Authenticator) -> str:
    """Six digits the device would not accept now (none of the codes of the drift window)."""
    accepted = {accounts.current_code(device, _later(steps)) for steps in (-1, 0, 1, 2)}
    return next(c for c in ("000000", "111111", "222222", "333333", "444444") if c not in accepted)


# --- passwords ------------------------------------------------------------------------------


def test_argon2id_comes_first_and_an_older_hash_is_upgraded_at_login(alice: User) -> None:
    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        User.objects.filter(pk=alice.pk).update(
            password=make_password(PASSWORD, hasher="pbkdf2_sha256")
        )
        assert log_in(Client(), alice).status_code == 302
    alice.refresh_from_db()
    assert alice.password.startswith("argon2$argon2id$")


def test_passwords_need_12_characters_and_not_a_common_one_but_no_composition() -> None:
    for weak in ["short pass", "1q2w3e4r5t6y"]:
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("correct horse battery staple")  # lower case and spaces only: fine


# --- the second factor ----------------------------------------------------------------------


def test_it_needs_the_code_as_well_as_the_password(alice: User) -> None:
    client = Client()
    for code in ["", "000000", "not a code"]:
        r = _post_login(client, "alice", PASSWORD, code)
        assert r.status_code == 200 and FAILED in r.content
    assert not _signed_in(client)
    assert log_in(client, alice).status_code == 302
    assert _signed_in(client)


def test_a_code_is_accepted_once_even_within_its_30_seconds(alice: User) -> None:
    code = code_for(alice)
    first, second = Client(), Client()
    assert _post_login(first, "alice", PASSWORD, code).status_code == 302
    r = _post_login(second, "alice", PASSWORD, code)
    assert r.status_code == 200 and FAILED in r.content
    assert not _signed_in(second)


@pytest.mark.parametrize(("steps", "accepted"), [(-1, True), (1, True), (-2, False), (2, False)])
def test_it_accepts_a_clock_one_step_early_or_late_and_no_more(
    alice: User, steps: int, accepted: bool
) -> None:
    r = _post_login(Client(), "alice", PASSWORD, code_for(alice, _later(steps)))
    assert (r.status_code == 302) is accepted


def test_a_session_without_the_code_reaches_no_page(alice: User, case: Case) -> None:
    client = Client()
    client.force_login(alice)  # the password alone, as a session made before issue 4 was
    for url in ["/", f"/cases/{case.pk}/", "/people/", "/password/"]:
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith("/login/"), url


def test_a_new_account_sets_up_its_authenticator_before_any_page(alice: User) -> None:
    newcomer = User.objects.create_user("dora", password=PASSWORD, organisation=alice.organisation)
    client = Client()
    r = _post_login(client, "dora", PASSWORD)
    assert r.status_code == 302 and r["Location"] == "/login/enrol/"
    assert not _signed_in(client)
    page = client.get("/login/enrol/").content.decode()
    device = Authenticator.objects.get(user=newcomer, confirmed=False)
    secret = accounts.base32_secret(device)
    assert secret in page and "otpauth://totp/Refugio%3Adora?secret=" in page
    r = client.post("/login/enrol/", {"code": _wrong_code(device)})
    assert r.status_code == 200 and not _signed_in(client)
    r = client.post("/login/enrol/", {"code": accounts.current_code(device)})
    assert r.status_code == 302
    assert _signed_in(client)
    assert Authenticator.objects.get(pk=device.pk).confirmed


def test_the_enrolment_page_needs_the_password_first(alice: User) -> None:
    assert Client().get("/login/enrol/")["Location"] == "/login/"
    r = _post_login(Client(), "alice", "wrong password", "")
    assert r.status_code == 200  # a wrong password never reaches the enrolment page


# --- throttling -----------------------------------------------------------------------------


def _xff_attempts(username: str, password: str, count: int, code: str = "") -> None:
    """Wrong attempts, each from another address as a proxy would say (X-Forwarded-For)."""
    client = Client()  # one client; each request from another address
    for i in range(count):
        forwarded = {"REMOTE_ADDR": f"198.51.100.{i + 1}", "HTTP_X_FORWARDED_FOR": f"203.0.113.{i}"}
        r = _post_login(client, username, password, code, **forwarded)
        assert r.status_code == 200 and FAILED in r.content


def test_five_failures_lock_the_account_whatever_the_forwarded_address(
    alice: User, bob: User, clock: Clock
) -> None:
    _xff_attempts("alice", "wrong password", 5)
    client = Client(REMOTE_ADDR="192.0.2.99")
    r = client.post(
        "/login/",
        {"username": "alice", "password": PASSWORD, "code": code_for(alice)},
        HTTP_X_FORWARDED_FOR="192.0.2.1",
    )
    assert r.status_code == 200 and FAILED in r.content  # right password and code: refused
    assert log_in(Client(), bob).status_code == 302  # another account is not locked
    clock.forward(15 * MINUTE)
    assert log_in(Client(), alice).status_code == 302
    alice.refresh_from_db()
    assert alice.login_failures == []


def test_wrong_codes_count_towards_the_lock(alice: User, clock: Clock) -> None:
    device = Authenticator.objects.get(user=alice)
    _xff_attempts("alice", PASSWORD, 5, code=_wrong_code(device))
    assert log_in(Client(), alice).status_code == 200
    clock.forward(14 * MINUTE)
    assert log_in(Client(), alice).status_code == 200  # still locked, and not extended:
    clock.forward(1 * MINUTE)
    assert log_in(Client(), alice).status_code == 302


def test_failures_spread_over_more_than_15_minutes_do_not_lock(alice: User, clock: Clock) -> None:
    for _ in range(5):
        _xff_attempts("alice", "wrong password", 1)
        clock.forward(4 * MINUTE)
    assert log_in(Client(), alice).status_code == 302


# --- no user enumeration --------------------------------------------------------------------


def _page(response: Any) -> tuple[int, str]:
    """Status and page, without what differs by design (the CSRF token, the typed name)."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    html = re.sub(r'id="id_username" ([^>]*)value="[^"]*"', r"\1", html)
    return response.status_code, html


def _four_failures(alice: User, bob: User) -> dict[str, Callable[[], Any]]:
    """Unknown user, wrong password, locked account (right password), disabled account."""
    User.objects.filter(pk=bob.pk).update(login_failures=[accounts.now()] * 5)
    dora = User.objects.create_user("dora", password=PASSWORD, is_active=False)
    client = Client()  # a failure leaves no state in the session
    return {
        "unknown": lambda: _post_login(client, "nobody", PASSWORD, "123456"),
        "wrong password": lambda: _post_login(client, "alice", "wrong password", "123456"),
        "locked": lambda: _post_login(client, "bob", PASSWORD, code_for(bob)),
        "disabled": lambda: _post_login(client, dora.username, PASSWORD, "123456"),
    }


def test_every_failure_gets_the_same_page_and_status(alice: User, bob: User) -> None:
    pages = {name: _page(attempt()) for name, attempt in _four_failures(alice, bob).items()}
    assert pages["unknown"][0] == 200
    assert FAILED.decode() in pages["unknown"][1]
    for name, page in pages.items():
        assert page == pages["unknown"], name


def test_every_failure_takes_about_as_long(alice: User, bob: User) -> None:
    """Medians of interleaved tries with the production hasher (Argon2id): the password is
    hashed for an unknown user, a locked and a disabled account too. The bound is generous
    (a missing hash would be ~100 times faster), so the test does not flake."""
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        for user in (alice, bob):
            user.set_password(PASSWORD)
            user.save()
        attempts = _four_failures(alice, bob)
        times: dict[str, list[float]] = {name: [] for name in attempts}
        for _ in range(5):
            for name, attempt in attempts.items():
                start = time.perf_counter()
                attempt()
                times[name].append(time.perf_counter() - start)
    medians = {name: statistics.median(t) for name, t in times.items()}
    reference = medians["wrong password"]
    for name, median in medians.items():
        assert reference / 2 < median < reference * 2, (name, medians)


# --- sessions -------------------------------------------------------------------------------


def test_login_gives_a_new_session_id(alice: User) -> None:
    before = SessionStore()
    before["language-chosen"] = True  # a session that existed before the login
    before.create()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = before.session_key
    assert log_in(client, alice).status_code == 302
    assert _session_key(client) != before.session_key
    assert not SessionStore().exists(before.session_key)


def test_a_session_ends_after_30_minutes_idle(alice: User, clock: Clock) -> None:
    client = logged_in(alice)
    clock.forward(29 * MINUTE)
    assert _signed_in(client)
    clock.forward(29 * MINUTE)  # idle counts from the last request
    assert _signed_in(client)
    clock.forward(30 * MINUTE)
    r = client.get("/")
    assert r.status_code == 302 and r["Location"].startswith("/login/")
    assert not _signed_in(client)


def test_the_idle_stamp_is_written_at_most_once_a_minute(alice: User, clock: Clock) -> None:
    client = logged_in(alice)
    key = _session_key(client)
    stamp = SessionStore(key).load()[accounts.SEEN_AT]
    clock.forward(50)
    assert _signed_in(client)
    assert SessionStore(key).load()[accounts.SEEN_AT] == stamp  # no session write
    clock.forward(20)
    assert _signed_in(client)
    assert SessionStore(key).load()[accounts.SEEN_AT] == stamp + 70


def test_a_session_ends_12_hours_after_login_however_busy(alice: User, clock: Clock) -> None:
    client = logged_in(alice)
    for _ in range(12 * 3 - 1):
        clock.forward(20 * MINUTE)
        assert _signed_in(client)
    clock.forward(20 * MINUTE)
    assert not _signed_in(client)


def test_logout_in_one_browser_ends_the_other_browsers_session(alice: User, bob: User) -> None:
    phone, desk, bobs = logged_in(alice), _another_session(alice), logged_in(bob)
    assert _signed_in(phone) and _signed_in(desk)
    assert phone.post("/logout/").status_code == 302
    assert not _signed_in(phone)
    assert not _signed_in(desk)
    assert _signed_in(bobs)  # only Alice's sessions


def test_a_password_change_ends_the_other_sessions(alice: User) -> None:
    here, there = logged_in(alice), _another_session(alice)
    new = "a new long passphrase for alice"
    r = here.post(
        "/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert r.status_code == 302
    assert _signed_in(here)
    assert not _signed_in(there)
    alice.refresh_from_db()
    assert alice.check_password(new)


def test_the_password_change_page_checks_the_old_password(alice: User) -> None:
    client = logged_in(alice)
    assert client.get("/password/").status_code == 200
    new = "a new long passphrase for alice"
    form = {"old_password": "wrong", "new_password1": new, "new_password2": new}
    assert client.post("/password/", form).status_code == 200
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_disabling_an_account_ends_its_sessions_and_logins(alice: User) -> None:
    one, two = logged_in(alice), _another_session(alice)
    accounts.disable_account(alice)
    assert not _signed_in(one) and not _signed_in(two)
    r = _post_login(Client(), "alice", PASSWORD, code_for(alice, _later(-1)))
    assert r.status_code == 200 and FAILED in r.content


# --- re-authentication ----------------------------------------------------------------------


def test_a_download_needs_the_password_and_a_code_from_the_last_5_minutes(
    alice: User, case_b: Case, clock: Clock
) -> None:
    blank_path(get_edition(DEFAULT_EDITION))
    client = logged_in(alice)
    url = f"/cases/{case_b.pk}/i-589.pdf"
    assert client.get(url)["Content-Type"] == "application/pdf"  # just logged in
    clock.forward(6 * MINUTE)
    r = client.get(url)
    assert r.status_code == 302 and r["Location"].startswith("/login/again/?next=")
    page = client.get(r["Location"])
    assert page.status_code == 200 and b'name="password"' in page.content
    wrong = client.post("/login/again/", {"password": "wrong", "code": "1", "next": url})
    assert wrong.status_code == 200 and client.get(url).status_code == 302
    right = {"password": PASSWORD, "code": code_for(alice, _later()), "next": url}
    r = client.post("/login/again/", right)
    assert r.status_code == 302 and r["Location"] == url
    download = client.get(url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


def test_the_re_authentication_redirect_tells_nothing_about_the_case(
    case: Case, charlie: User, clock: Clock
) -> None:
    client = logged_in(charlie)
    clock.forward(6 * MINUTE)
    theirs = client.get(f"/cases/{case.pk}/i-589.pdf")
    nothing = client.get("/cases/00000000-0000-4000-8000-000000000000/i-589.pdf")
    assert theirs.status_code == nothing.status_code == 302
    right = {"password": PASSWORD, "code": code_for(charlie, _later())}
    client.post("/login/again/", right)
    assert client.get(f"/cases/{case.pk}/i-589.pdf").status_code == 404


def test_an_admin_disables_an_account_and_its_sessions_end(
    alice: User, bob: User, charlie: User
) -> None:
    bobs = logged_in(bob)
    assert bobs.get("/").status_code == 200
    admin = logged_in(alice)
    assert b"Disable bob" in admin.get("/people/").content
    assert admin.post(f"/people/{charlie.pk}/disable/").status_code == 404  # not her office
    assert admin.post(f"/people/{alice.pk}/disable/").status_code == 404  # not herself
    assert logged_in(charlie).post(f"/people/{bob.pk}/disable/").status_code == 404
    assert admin.post(f"/people/{bob.pk}/disable/").status_code == 302
    bob.refresh_from_db()
    assert not bob.is_active
    r = bobs.get("/")
    assert r.status_code == 302 and r["Location"].startswith("/login/")  # his session ended
    assert AccessEvent.objects.filter(user=alice, action="disable-account").count() == 1


def test_a_password_change_and_a_reauthentication_are_in_the_audit_trail(alice: User) -> None:
    client = logged_in(alice)
    r = client.post("/login/again/?next=/", {"password": PASSWORD, "code": fresh_code(alice)})
    assert r.status_code == 302
    new = "another long fictional passphrase"
    form = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    assert client.post("/password/", form).status_code == 302
    actions = set(AccessEvent.objects.filter(user=alice).values_list("action", flat=True))
    assert {"reauth", "password-change"} <= actions


def test_guessing_the_old_password_locks_the_account_like_failed_logins(alice: User) -> None:
    client = logged_in(alice)
    new = "a new long passphrase for alice"
    for _attempt in range(5):
        wrong = {"old_password": "a guess", "new_password1": new, "new_password2": new}
        assert client.post("/password/", wrong).status_code == 200
    right = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    page = client.post("/password/", right)
    assert page.status_code == 200 and b"Too many wrong passwords" in page.content
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)  # not changed while locked
    assert log_in(Client(), alice).status_code == 200  # and the login page is locked too
