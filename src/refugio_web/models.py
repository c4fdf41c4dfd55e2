"""Organisations, their people, and their cases.

A case's answers are one JSON draft (``refugio.interview.draft``): every answer exactly as typed,
so nothing is lost when an answer cannot be read yet. Only what lists need is kept beside it in
clear (reference, dates, progress). Issue 4 encrypts the draft at rest.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """A legal-aid organisation or law office: the unit that owns cases."""

    name = models.CharField(_("name"), max_length=200)

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("Organisation admin")
    REPRESENTATIVE = "representative", _("Representative")
    STAFF = "staff", _("Staff")
    INTERPRETER = "interpreter", _("Interpreter")


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="members", null=True
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.REPRESENTATIVE)
    # Mixed into the session hash Django checks on every request: one increment ends every
    # session of the user at once — logout, password change, disable (issue 4, point 3).
    session_generation = models.PositiveIntegerField(default=0)
    # Unix times of the latest failed (or still unfinished) sign-ins, at most five: the
    # per-account throttle (refugio_web.accounts), whatever address the attempts come from.
    login_failures = models.JSONField(default=list)

    @property
    def is_org_admin(self) -> bool:
        return self.role == Role.ADMIN and self.organisation_id is not None

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Django's hash covers the password only; the generation makes "end all my sessions"
        # one UPDATE, checked by django.contrib.auth.get_user at no extra query.
        key_salt = "refugio_web.User.get_session_auth_hash"
        value = f"{self.password}\x00{self.session_generation}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()


def _empty_draft() -> dict[str, Any]:
    return {"meta": {}}


class Case(models.Model):
    # Random ids: a sequential number in a URL would tell how many people applied.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField(_("case reference"), max_length=60)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    draft = models.JSONField(default=_empty_draft)
    # Optimistic locking: a save names the version it started from, so two people saving the
    # same case cannot silently overwrite each other.
    version = models.PositiveIntegerField(default=1)
    last_editor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    # The page (one random token per rendered screen) whose save made the current version: a
    # save from that same page naming an older version is its own background save's successor,
    # not a conflict (a submit or a page-close save racing the page's autosave).
    last_page = models.CharField(max_length=32, blank=True, default="")
    percent_done = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.reference


class AccessEvent(models.Model):
    """Who did what to which case, and when; never an answer (issue 4, point 4).

    Append-only and hash-chained: written only by ``refugio_web.audit.append``, refused UPDATE
    and DELETE by database triggers, and each record's HMAC covers the previous one's
    (``refugio.audit``), so an edited, reordered, inserted or deleted record is detected.
    """

    # The chain's order: one more than the last record's, assigned under the append lock.
    seq = models.PositiveBigIntegerField(unique=True)
    # Set by the appender (not auto_now_add, which would overwrite the time the MAC covers).
    at = models.DateTimeField(default=timezone.now)
    # The id stays when the user is deleted: SET NULL would rewrite (and break) the chain.
    user = models.ForeignKey(
        User, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    case_id = models.UUIDField(null=True)
    action = models.CharField(max_length=40)
    # Identifiers chosen by the code (a format, a step), never user input or an answer.
    detail = models.JSONField(default=dict)
    prev_mac = models.CharField(max_length=64, default="")
    mac = models.CharField(max_length=64, default="")

    class Meta:
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
