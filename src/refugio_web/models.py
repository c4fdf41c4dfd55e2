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

    @property
    def is_org_admin(self) -> bool:
        return self.role == Role.ADMIN and self.organisation_id is not None


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
    """Who did what to which case, and when; never an answer (append-only; hash-chained in #4)."""

    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    case_id = models.UUIDField(null=True)
    action = models.CharField(max_length=40)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
