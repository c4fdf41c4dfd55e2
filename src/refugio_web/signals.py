"""Logins, logouts and failed logins go into the audit trail (issue 4, point 4; ASVS 5.0 V16).

Who, what, when only. A failed login names the account only if it exists, by its id: never the
user name as typed (it may be a mistyped password, or a name of someone who has no account),
never the password, and not the source address.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from refugio_web import audit
from refugio_web.models import User


@receiver(user_logged_in, dispatch_uid="refugio-audit-login")
def _logged_in(sender: Any, user: User, **kwargs: Any) -> None:
    audit.append(user, "login")


@receiver(user_logged_out, dispatch_uid="refugio-audit-logout")
def _logged_out(sender: Any, user: User | None, **kwargs: Any) -> None:
    # None when nobody was logged in: nothing happened to record.
    if user is not None:
        audit.append(user, "logout")


@receiver(user_login_failed, dispatch_uid="refugio-audit-login-failed")
def _login_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    audit.append(_account(credentials), "login-failed")


def _account(credentials: dict[str, Any]) -> User | None:
    """The account the credentials name, if it exists (Django has already hidden the password)."""
    name = credentials.get(User.USERNAME_FIELD)
    if not isinstance(name, str):
        return None
    return User.objects.filter(**{User.USERNAME_FIELD: name}).first()
