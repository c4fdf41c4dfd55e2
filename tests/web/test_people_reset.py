"""An organisation admin resets a colleague's second factor or gives them a temporary password
(issue 4, point 3): from the people page, after re-authentication, recorded, never on oneself
and never outside the organisation.

Alice is the admin; Bob works in her organisation; Charlie is an admin of another one."""

from __future__ import annotations

import json
import time

import pytest
from django.test import Client

from refugio_web import accounts
from refugio_web.models import AccessEvent, Authenticator, User
from tests.web.conftest import PASSWORD, code_for, fresh_code, logged_in

pytestmark = pytest.mark.django_db
TEMPORARY = "a temporary fictional passphrase"
NEW = "bob's own new fictional passphrase"
MINUTE = 60.0


def _signed_in(client: Client) -> bool:
    return client.get("/").status_code == 200


def _login(username: str, password: str, code: str = "") -> tuple[Client, str]:
    """A new browser posting the login form; where it was sent ("" if it stayed on the page)."""
    client = Client()
    form = {"username": username, "password": password, "code": code}
    response = client.post("/login/", form)
    return client, response["Location"] if response.status_code == 302 else ""


def _records(action: str) -> list[AccessEvent]:
    return list(AccessEvent.objects.filter(action=action))


# --- the second factor ----------------------------------------------------------------------


def test_it_resets_bobs_second_factor_ends_his_sessions_and_he_enrols_again(
    alice: User, bob: User
) -> None:
    bobs = logged_in(bob)
    old_secret = Authenticator.objects.get(user=bob).secret
    admin = logged_in(alice)
    assert b"Reset the second factor of bob" in admin.get("/people/").content

    r = admin.post(f"/people/{bob.pk}/second-factor/")
    assert r.status_code == 302 and r["Location"] == "/people/"
    assert not Authenticator.objects.filter(user=bob).exists()
    assert not _signed_in(bobs)  # his session ended
    assert b"No authenticator app yet" in admin.get("/people/").content
    # His old password no longer works either: whoever holds his phone and his password (a
    # seized phone, a coerced password) cannot enrol a new app in his name.
    client, went = _login("bob", PASSWORD, accounts.totp_code(old_secret))
    assert went != "/login/enrol/" and not _signed_in(client)
    # Alice gives him a temporary password by a safe channel; it leads to enrolment.
    r = admin.post(f"/people/{bob.pk}/password/", {"password": TEMPORARY})
    assert r.status_code == 302
    client, went = _login("bob", TEMPORARY, accounts.totp_code(old_secret))
    assert went == "/login/enrol/" and not _signed_in(client)
    page = client.get("/login/enrol/").content.decode()
    device = Authenticator.objects.get(user=bob, confirmed=False)
    assert device.secret != old_secret and accounts.base32_secret(device) in page
    assert client.post("/login/enrol/", {"code": accounts.current_code(device)}).status_code == 302
    # Logged in with both factors, and sent to choose his own password first.
    assert client.get("/")["Location"] == "/password/"
    assert _signed_in(admin)  # Alice's own session goes on

    [record] = _records("reset-second-factor")
    assert record.user_id == alice.pk and record.detail == {"person": bob.pk}


def test_it_forgets_a_key_shown_on_a_pending_enrolment_page_at_a_reset(alice: User) -> None:
    """Dora has not enrolled yet; whoever saw her enrolment page kept its key. After a reset,
    that key is worthless: her enrolment shows a new one."""
    dora = User.objects.create_user("dora", password=PASSWORD, organisation=alice.organisation)
    client, went = _login("dora", PASSWORD)
    assert went == "/login/enrol/" and client.get(went).status_code == 200
    seen = Authenticator.objects.get(user=dora).secret
    admin = logged_in(alice)
    assert admin.post(f"/people/{dora.pk}/second-factor/").status_code == 302
    assert _login("dora", PASSWORD)[1] == ""  # her password stopped working with the reset
    assert admin.post(f"/people/{dora.pk}/password/", {"password": TEMPORARY}).status_code == 302
    client, went = _login("dora", TEMPORARY)
    assert went == "/login/enrol/" and client.get(went).status_code == 200
    assert Authenticator.objects.get(user=dora).secret != seen


# --- the temporary password -----------------------------------------------------------------


def test_it_lets_bob_log_in_with_the_temporary_password_and_makes_him_change_it_first(
    alice: User, bob: User
) -> None:
    bobs = logged_in(bob)
    admin = logged_in(alice)
    r = admin.post(f"/people/{bob.pk}/password/", {"password": TEMPORARY})
    assert r.status_code == 302 and r["Location"] == "/people/"
    bob.refresh_from_db()
    assert bob.check_password(TEMPORARY) and bob.must_change_password
    assert not _signed_in(bobs)  # every session of his ended
    assert b"Temporary password, to be changed" in admin.get("/people/").content
    assert _login("bob", PASSWORD, code_for(bob))[1] == ""  # the old password is gone

    client, went = _login("bob", TEMPORARY, fresh_code(bob))
    assert went == "/"  # logged in, both factors...
    for url in ["/", "/people/", "/login/again/"]:  # ...but every page sends him to change it
        r = client.get(url)
        assert r.status_code == 302 and r["Location"] == "/password/", url
    page = client.get("/password/")
    assert page.status_code == 200 and b"temporary password" in page.content
    same = {"old_password": TEMPORARY, "new_password1": TEMPORARY, "new_password2": TEMPORARY}
    assert client.post("/password/", same).status_code == 200  # not the temporary one again
    mine = {"old_password": TEMPORARY, "new_password1": NEW, "new_password2": NEW}
    assert client.post("/password/", mine).status_code == 302
    bob.refresh_from_db()
    assert bob.check_password(NEW) and not bob.must_change_password
    assert _signed_in(client)

    [record] = _records("set-temporary-password")
    assert record.user_id == alice.pk and record.detail == {"person": bob.pk}
    trail = json.dumps(list(AccessEvent.objects.values("action", "detail")))
    assert TEMPORARY not in trail and NEW not in trail and "bob" not in trail


def test_it_puts_the_temporary_password_through_the_password_validators(
    alice: User, bob: User
) -> None:
    bobs = logged_in(bob)
    admin = logged_in(alice)
    for weak in ["short pass", "1q2w3e4r5t6y", "123456789012"]:
        page = admin.post(f"/people/{bob.pk}/password/", {"password": weak})
        assert page.status_code == 200 and b'id="error-summary"' in page.content, weak
        assert b'aria-invalid="true"' in page.content
        assert b'<form class="usa-form" method="post" action="/people/">' in page.content
    bob.refresh_from_db()
    assert bob.check_password(PASSWORD) and not bob.must_change_password
    assert _signed_in(bobs)  # nothing happened: his session goes on
    assert _records("set-temporary-password") == []


def test_it_lifts_a_lockout_with_a_temporary_password(alice: User, bob: User) -> None:
    """Bob forgot his password and locked his account guessing: the admin's new password works
    at once (she has spoken with him; the 15 minutes would only keep him out)."""
    for _ in range(5):
        assert _login("bob", "a wrong guess", code_for(bob))[1] == ""
    admin = logged_in(alice)
    assert admin.post(f"/people/{bob.pk}/password/", {"password": TEMPORARY}).status_code == 302
    assert _login("bob", TEMPORARY, fresh_code(bob))[1] == "/"


# --- who may -----------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["second-factor", "password"])
def test_it_lets_only_an_admin_of_the_organisation_reach_a_colleague_and_never_herself(
    alice: User, bob: User, charlie: User, action: str
) -> None:
    form = {"password": TEMPORARY}
    admin = logged_in(alice)
    assert admin.post(f"/people/{charlie.pk}/{action}/", form).status_code == 404  # elsewhere
    assert admin.post(f"/people/{alice.pk}/{action}/", form).status_code == 404  # herself
    assert admin.post(f"/people/999999/{action}/", form).status_code == 404  # nobody
    assert logged_in(charlie).post(f"/people/{bob.pk}/{action}/", form).status_code == 404
    assert logged_in(bob).post(f"/people/{alice.pk}/{action}/", form).status_code == 404
    for person in (alice, bob, charlie):
        person.refresh_from_db()
        assert person.check_password(PASSWORD) and not person.must_change_password
        assert Authenticator.objects.filter(user=person, confirmed=True).exists()
    assert not AccessEvent.objects.filter(
        action__in=["reset-second-factor", "set-temporary-password"]
    ).exists()


@pytest.mark.parametrize("action", ["second-factor", "password"])
def test_it_needs_the_password_and_a_code_from_the_last_5_minutes(
    alice: User, bob: User, monkeypatch: pytest.MonkeyPatch, action: str
) -> None:
    admin = logged_in(alice)
    later = time.time() + 6 * MINUTE
    monkeypatch.setattr(accounts, "now", lambda: later)
    url = f"/people/{bob.pk}/{action}/"
    r = admin.post(url, {"password": TEMPORARY})
    assert r.status_code == 302 and r["Location"].startswith("/login/again/?next=")
    bob.refresh_from_db()
    assert bob.check_password(PASSWORD) and Authenticator.objects.filter(user=bob).exists()
    again = {"password": PASSWORD, "code": fresh_code(alice), "next": url}
    r = admin.post("/login/again/", again)
    assert r.status_code == 302 and r["Location"] == url
    r = admin.get(url)  # the way back: the people page, where the button is pressed again
    assert r.status_code == 302 and r["Location"] == "/people/"
    assert admin.post(url, {"password": TEMPORARY}).status_code == 302
    bob.refresh_from_db()
    if action == "password":
        assert bob.check_password(TEMPORARY)
    else:
        assert not Authenticator.objects.filter(user=bob).exists()


@pytest.mark.parametrize("action", ["second-factor", "password"])
def test_it_changes_nothing_on_a_reset_without_its_csrf_token(
    alice: User, bob: User, action: str
) -> None:
    admin = Client(enforce_csrf_checks=True)
    form = {"username": "alice", "password": PASSWORD, "code": fresh_code(alice)}
    login_page = admin.get("/login/")
    form["csrfmiddlewaretoken"] = login_page.context["csrf_token"]
    assert admin.post("/login/", form).status_code == 302
    r = admin.post(f"/people/{bob.pk}/{action}/", {"password": TEMPORARY})
    assert r.status_code == 403
    bob.refresh_from_db()
    assert bob.check_password(PASSWORD) and Authenticator.objects.filter(user=bob).exists()
