"""Authentication (issue 4, point 3): two factors, the per-account throttle, session lifetimes
and re-authentication. The views in ``auth_views`` parse input and call these functions.

- A sign-in needs the password and a TOTP code (RFC 6238; ``models.Authenticator``, a
  django-otp device whose secret is sealed at rest). Each code is accepted once: the device
  keeps the last time step used, verified under a row lock.
- Five failed sign-ins of one account within 15 minutes refuse the account for 15 minutes, from
  any address (ASVS 5.0). An attempt is counted *before* the password is checked, so parallel
  guesses cannot slip in between the check and the count.
- Every answer is the same for an unknown user, a wrong password or code, a locked and a
  disabled account: the password is always hashed (Django's ModelBackend hashes for unknown
  users too), and the page, message and status do not change (ASVS 5.0 L3; 8 CFR 208.6 —
  even having an account here can say who works on asylum cases).
- A session ends after 30 minutes idle or 12 hours after login; logout, a password change,
  disabling the account and an admin's reset end every session of the user
  (``User.session_generation``).
- An admin can reset a colleague's second factor (the next login enrols again) or give them a
  temporary password, which they must change before any other page (``refugio_web.people``
  checks who may; these functions do it).
"""

from __future__ import annotations

import base64
import enum
import functools
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import authenticate, update_session_auth_hash
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import login as otp_login
from django_otp.oath import TOTP

from refugio_web import audit, vault
from refugio_web.models import Authenticator, User
from refugio_web.writer import one_writer

__all__ = [
    "Outcome",
    "SessionPolicyMiddleware",
    "SignIn",
    "begin_enrolment",
    "check_credentials",
    "current_code",
    "disable_account",
    "end_all_sessions",
    "enrolment_device",
    "finish_enrolment",
    "log_out",
    "password_changed",
    "pending_enrolment",
    "reauthenticate",
    "recent_auth_required",
    "reseal_authenticators",
    "reset_second_factor",
    "set_temporary_password",
    "start_session",
    "totp_code",
]

AUTH_AT = "refugio-auth-at"  # when the password and code were given (absolute timeout)
SEEN_AT = "refugio-seen-at"  # the last request, to the minute (idle timeout)
REAUTH_AT = "refugio-reauth-at"  # the last time the password and code were given again
PENDING = "refugio-enrol"  # a right password, no device yet: {"user", "at", "next"}


def now() -> float:
    """The clock of this module (tests replace it to move time forward)."""
    return time.time()


class Outcome(enum.Enum):
    FAILED = "failed"
    ENROL = "enrol"  # right password, no authenticator yet: the enrolment page comes next
    OK = "ok"


@dataclass(frozen=True)
class SignIn:
    outcome: Outcome
    user: User | None = None
    device: Authenticator | None = None


# --- the per-account throttle -------------------------------------------------------------


def _locked(failures: list[float], at: float) -> bool:
    limit = settings.REFUGIO_LOGIN_FAILURE_LIMIT
    if len(failures) < limit:
        return False
    last = failures[-limit:]
    in_window = last[-1] - last[0] <= settings.REFUGIO_LOGIN_FAILURE_WINDOW
    return in_window and at - last[-1] < settings.REFUGIO_LOGIN_LOCKOUT


def _reserve_attempt(user_id: int) -> bool:
    """Count an attempt as failed before checking it; False if the account is locked.

    Counting first, in one transaction, means a burst of parallel guesses is counted in full
    (a check-then-count would let every guess of the burst pass the check). A refused attempt
    is not counted, so the lock ends 15 minutes after the fifth failure, not later.
    """
    at = now()
    with one_writer(), transaction.atomic():
        rows = User.objects.select_for_update().filter(pk=user_id)
        failures = list(rows.values_list("login_failures", flat=True).get())
        if _locked(failures, at):
            return False
        rows.update(login_failures=[*failures, at][-settings.REFUGIO_LOGIN_FAILURE_LIMIT :])
    return True


def password_attempt(user: User) -> bool:
    """Count a password-change attempt like a login attempt (the same counter, so guessing the
    old password from a hijacked session locks the account too); False while it is locked."""
    return _reserve_attempt(user.pk)


def password_attempt_succeeded(user: User) -> None:
    _clear_failures(user.pk)


def _clear_failures(user_id: int) -> None:
    with one_writer():
        User.objects.filter(pk=user_id).update(login_failures=[])


def _failed(request: HttpRequest, username: str) -> None:
    # authenticate() sends this for a wrong password; the refusals made here after a right
    # password (locked account, wrong code) are failed logins too, for the audit trail.
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)


# --- codes --------------------------------------------------------------------------------


def confirmed_device(user: User) -> Authenticator | None:
    return Authenticator.objects.filter(user=user, confirmed=True).first()


def verify_code(device: Authenticator, code: str) -> bool:
    """True once per code: the device's last used time step is kept, under a row lock (on
    SQLite the IMMEDIATE transaction locks the database), so a replay — even a concurrent one
    within the same 30 s — fails. Codes one step early or late are accepted (clock drift)."""
    code = code.strip().replace(" ", "")
    if not code.isdigit() or len(code) != device.digits:
        return False
    with one_writer(), transaction.atomic():
        locked = Authenticator.objects.select_for_update().get(pk=device.pk)
        return locked.verify_token(code)


def totp_code(secret: bytes, at: float | None = None, *, step: int = 30, digits: int = 6) -> str:
    """The code an authenticator app holding ``secret`` shows at ``at`` (default: now)."""
    totp = TOTP(secret, step, 0, digits, 0)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{digits}d}"


def current_code(device: Authenticator, at: float | None = None) -> str:
    """The device's code at ``at`` (default: now): for tests and the demo's code command."""
    totp = device.totp()
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def base32_secret(device: Authenticator) -> str:
    """The secret as authenticator apps take it when typed, in groups of four letters."""
    secret = base64.b32encode(device.secret).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


# --- sign-in --------------------------------------------------------------------------------


def check_credentials(request: HttpRequest, username: str, password: str, code: str) -> SignIn:
    """Password and code of ``username``; every failure looks and takes the same."""
    account_id = (
        User._default_manager.filter(**{User.USERNAME_FIELD: username})
        .values_list("pk", flat=True)
        .first()
    )
    allowed = account_id is not None and _reserve_attempt(account_id)
    # Always hashes: for an unknown user (ModelBackend), a disabled or a locked account too.
    user = authenticate(request, username=username, password=password)
    if user is None:
        return SignIn(Outcome.FAILED)  # authenticate() sent user_login_failed
    if not allowed or not isinstance(user, User):
        _failed(request, username)
        return SignIn(Outcome.FAILED)
    device = confirmed_device(user)
    if device is None:
        return SignIn(Outcome.ENROL, user)
    if not verify_code(device, code):
        _failed(request, username)
        return SignIn(Outcome.FAILED)
    _clear_failures(user.pk)
    return SignIn(Outcome.OK, user, device)


def start_session(request: HttpRequest, user: User, device: Authenticator) -> None:
    """Log in with both factors: a new session id (Django's login cycles the key), the device
    that verified it, and the times the session's lifetime is measured from."""
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    otp_login(request, device)
    at = now()
    request.session[AUTH_AT] = at
    request.session[SEEN_AT] = at
    request.session[REAUTH_AT] = at


def reauthenticate(request: HttpRequest, password: str, code: str) -> bool:
    """The signed-in user's password and a new code again (before a download or a deletion)."""
    user = request.user
    if not isinstance(user, User):
        return False
    result = check_credentials(request, user.get_username(), password, code)
    if result.outcome is not Outcome.OK or result.user is None or result.user.pk != user.pk:
        return False
    request.session[REAUTH_AT] = now()
    audit.append(user, "reauth")
    return True


def recent_auth_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The view needs the password and a code given within the last 5 minutes (ASVS 5.0 L3:
    re-authentication before exports and deletions); otherwise the re-authentication page,
    which comes back to this URL. The redirect does not depend on the object, so it tells
    nothing about whether a case exists."""

    @functools.wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        given = request.session.get(REAUTH_AT)
        if not isinstance(given, int | float) or now() - given > settings.REFUGIO_REAUTH_AGE:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('reauth')}?{query}")
        return view(request, *args, **kwargs)

    return guarded


# --- enrolment of the authenticator -----------------------------------------------------


def begin_enrolment(request: HttpRequest, user: User, next_url: str) -> None:
    # A new session id: the state "this visitor gave the right password" must not be carried
    # by an id chosen before (session fixation).
    request.session.cycle_key()
    request.session[PENDING] = {"user": user.pk, "at": now(), "next": next_url}


def pending_enrolment(request: HttpRequest) -> tuple[User, str] | None:
    """The user who gave the right password and has no authenticator yet, and where to go."""
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    if now() - float(pending.get("at", 0)) > settings.REFUGIO_ENROL_AGE:
        return None
    user_id = pending.get("user")
    if not isinstance(user_id, int):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or confirmed_device(user) is not None:
        return None
    return user, str(pending.get("next", ""))


def enrolment_device(user: User) -> Authenticator:
    """The unconfirmed device whose secret the enrolment page shows (kept until confirmed)."""
    device = Authenticator.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = Authenticator.new(user, confirmed=False)
        with one_writer():
            device.save(force_insert=True)
    return device


def finish_enrolment(request: HttpRequest, user: User, code: str) -> bool:
    """The first code proves the app holds the secret; then the session starts."""
    if not _reserve_attempt(user.pk):
        _failed(request, user.get_username())
        return False
    device = enrolment_device(user)
    if not verify_code(device, code):
        _failed(request, user.get_username())
        return False
    with one_writer():
        Authenticator.objects.filter(pk=device.pk).update(confirmed=True)
    device.confirmed = True
    _clear_failures(user.pk)
    del request.session[PENDING]
    start_session(request, user, device)
    return True


# --- ending sessions ----------------------------------------------------------------------


def end_all_sessions(user: User) -> None:
    """Every session of ``user`` stops verifying (Django compares the session's hash with
    ``User.get_session_auth_hash`` on every request, which mixes in this generation)."""
    with one_writer():
        User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])


def log_out(request: HttpRequest) -> None:
    user = request.user
    if isinstance(user, User):
        end_all_sessions(user)
    auth_logout(request)


def password_changed(request: HttpRequest, user: User) -> None:
    """After a password change: every other session ends; this one continues, with a new id.
    A temporary password given by an admin has now been replaced."""
    with one_writer():
        User.objects.filter(pk=user.pk).update(must_change_password=False)
    user.must_change_password = False
    end_all_sessions(user)
    update_session_auth_hash(request, user)
    audit.append(user, "password-change")


def reset_second_factor(user: User) -> None:
    """Forget every authenticator of ``user``, confirmed or still pending (so a key shown on an
    enrolment page before is worthless too), make the password unusable and end every session:
    the next login, with a temporary password from the admin, goes through enrolment. The
    lockout starts again (the admin has spoken with the person; a phone lost after wrong codes
    must not keep them out 15 minutes more)."""
    # The password stops working too: whoever holds a seized phone's account and a coerced
    # password must not be the one to enrol the next authenticator. The person logs in again
    # only with a temporary password the admin gives them by a safe channel.
    user.set_unusable_password()
    with one_writer(), transaction.atomic():
        Authenticator.objects.filter(user_id=user.pk).delete()
        User.objects.filter(pk=user.pk).update(
            password=user.password,
            login_failures=[],
            session_generation=F("session_generation") + 1,
        )
    user.refresh_from_db(fields=["password", "login_failures", "session_generation"])


def set_temporary_password(user: User, password: str) -> None:
    """Give ``user`` a password chosen by an admin (validated by the caller): every session
    ends, and after the next login every page but the password change sends them there until
    they choose their own. The lockout starts again, as above."""
    user.set_password(password)
    user.must_change_password = True
    user.login_failures = []
    with one_writer(), transaction.atomic():
        user.save(update_fields=["password", "must_change_password", "login_failures"])
        end_all_sessions(user)


def disable_account(user: User) -> None:
    with one_writer():
        User.objects.filter(pk=user.pk).update(
            is_active=False, session_generation=F("session_generation") + 1
        )
    user.refresh_from_db(fields=["is_active", "session_generation"])


def reseal_authenticators() -> tuple[int, int]:
    """Seal every TOTP secret again under the current master key (``refugio keys rotate``).

    Device by device, each in its own transaction: an interrupted run is resumed by running it
    again. Returns (secrets sealed again, secrets already under the current key).
    """
    current = vault.ring().current.kid.hex()
    done = already = 0
    for pk in Authenticator.objects.values_list("pk", flat=True):
        with one_writer(), transaction.atomic():
            device = Authenticator.objects.select_for_update().filter(pk=pk).first()
            if device is None:  # deleted meanwhile (a reset)
                continue
            if device.key_id == current:
                already += 1
                continue
            device.reseal()
            device.save(update_fields=["secret_sealed", "key_id"])
            done += 1
    return done, already


# --- session lifetime -----------------------------------------------------------------------


def _session_alive(request: HttpRequest) -> bool:
    if getattr(request.user, "otp_device", None) is None:
        return False  # signed in without a code (never through our pages): not a session here
    session = request.session
    auth_at, seen_at, at = session.get(AUTH_AT), session.get(SEEN_AT), now()
    if not isinstance(auth_at, int | float) or not isinstance(seen_at, int | float):
        return False
    if at - seen_at >= settings.REFUGIO_SESSION_IDLE:
        return False
    if at - auth_at >= settings.REFUGIO_SESSION_ABSOLUTE:
        return False
    # At most one session write a minute: every request writing it would add a database write
    # to every autosave (issue 3's p95 budget), for a precision no one needs.
    if at - seen_at >= settings.REFUGIO_SESSION_TOUCH:
        session[SEEN_AT] = at
    return True


# What a person who must replace a temporary password can still reach.
_WHILE_PASSWORD_TEMPORARY = ("password_change", "logout", "set_language")


class SessionPolicyMiddleware:
    """Ends a session that was not verified with a code, has been idle for 30 minutes, or is
    12 hours old (ASVS 5.0 session timeouts). The request goes on as an anonymous one: the
    views send it to the login page (a screen's unsaved answers are kept, see views.step).

    A person whose password an admin set (``set_temporary_password``) is sent to the password
    change page from every other page until they have chosen their own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not _session_alive(request):
            auth_logout(request)
        elif isinstance(user, User) and user.must_change_password:
            allowed = {reverse(name) for name in _WHILE_PASSWORD_TEMPORARY}
            if request.path_info not in allowed:
                return redirect("password_change")
        return self.get_response(request)
