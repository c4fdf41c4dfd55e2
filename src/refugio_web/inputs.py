"""What every view reads from a request the same way: the user, the version a page was opened
at, and what the user's role allows (to show or hide links; the services check again)."""

from __future__ import annotations

from django.http import HttpRequest

from refugio_web.access import Need, allowed
from refugio_web.models import User

__all__ = ["abilities", "posted_version", "user_of"]


def user_of(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees it
    return user


def posted_version(request: HttpRequest) -> int:
    """The version the page was opened at; 0 (never a version: a conflict) if missing."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return 0


def abilities(user: User) -> dict[str, bool]:
    """``can_view``, ``can_edit``, … for the templates: they only hide links and buttons."""
    return {f"can_{need.value}": allowed(user, need) for need in Need}
