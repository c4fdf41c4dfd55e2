"""Organisations, their people, and their cases.

A case's answers are one JSON draft (``refugio.interview.draft``): every answer exactly as typed,
so nothing is lost when an answer cannot be read yet. The draft and the case reference (which
people fill with a client's name) are stored sealed under the case's own data key (issue 4,
point 1; ``refugio.crypto``); only what lists need without a name stays in clear: dates,
progress, version.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from base64 import b32encode
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, DeviceManager
from django_otp.oath import TOTP

from refugio.crypto import open_sealed, seal, unwrap, wrap
from refugio.errors import IntegrityError
from refugio_web import vault


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
    APPLICANT = "applicant", _("Applicant")


# The stubs cannot type the reverse of Authenticator.user: its base class (django-otp) is untyped.
class User(AbstractUser):  # type: ignore[django-manager-missing]
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
    # Set when an admin gave a temporary password (refugio_web.people): every page but the
    # password change then sends the person there, until they choose their own.
    must_change_password = models.BooleanField(default=False)

    @property
    def is_org_admin(self) -> bool:
        return self.role == Role.ADMIN and self.organisation_id is not None

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Django's hash covers the password only; the generation makes "end all my sessions"
        # one UPDATE, checked by django.contrib.auth.get_user at no extra query.
        key_salt = "refugio_web.User.get_session_auth_hash"
        value = f"{self.password}\x00{self.session_generation}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()


# How a TOTP secret is sealed (migration 0007 writes the same): under a key derived from the
# master key for this purpose, bound to the account ("totp:<user id>") and the field.
TOTP_PURPOSE = "totp"
TOTP_FIELD = "secret"
TOTP_SECRET_BYTES = 20  # 160 bits, RFC 4226's recommendation and what every app takes
TOTP_TOLERANCE = 1  # codes one step (30 s) early or late are accepted; no drift is learned


class _Authenticators(DeviceManager, models.Manager["Authenticator"]):  # type: ignore[misc]
    """django-otp's device manager (``devices_for_user``), typed."""


class Authenticator(Device):  # type: ignore[misc]  # django-otp has no type hints
    """An account's authenticator app: the TOTP second factor (RFC 6238; issue 4, point 3).

    A django-otp ``Device``, so ``OTPMiddleware``, ``django_otp.login`` and
    ``user.is_verified()`` work as with django-otp's own TOTP device model — which stored the
    shared secret in clear, so that a copy of the database gave every account's second factor.
    Here the secret is sealed (AES-256-GCM) under a key derived from a master key, bound to the
    account; ``key_id`` names that master key, so that ``refugio keys rotate`` can seal the
    secret again under a new one. A code is accepted once: ``last_t`` is the time step of the
    last code accepted (verified under a row lock, ``accounts.verify_code``).
    """

    # Device's fields, declared again so that they are typed (django-otp has no type hints).
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="authenticators")
    name = models.CharField(max_length=64)
    confirmed = models.BooleanField(default=True)
    secret_sealed = models.BinaryField(editable=False, default=b"")
    key_id = models.CharField(max_length=16, editable=False, default="")  # hex, 8 bytes
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(default=6)
    last_t = models.BigIntegerField(default=-1)

    objects = _Authenticators()

    class Meta:
        verbose_name = "authenticator"

    @classmethod
    def new(cls, user: User, *, confirmed: bool, name: str = "authenticator") -> Authenticator:
        """A device with a new random secret, sealed, not saved yet."""
        device = cls(user=user, name=name, confirmed=confirmed)
        device.secret = os.urandom(TOTP_SECRET_BYTES)
        return device

    def _record(self) -> str:
        if self.user_id is None:  # the secret is bound to the account: it must exist first
            raise ValueError("an authenticator is made for a saved account")
        return vault.record_of(TOTP_PURPOSE, self.user_id)

    @property
    def secret(self) -> bytes:
        """The shared secret, opened when first needed (not when the middleware loads the
        device at each request) and kept on the instance only."""
        sealed = bytes(self.secret_sealed)
        cached = self.__dict__.get("_secret")
        if cached is not None and cached[0] == sealed:
            return bytes(cached[1])
        if not sealed:
            raise IntegrityError(f"{TOTP_FIELD} of {self._record()}: missing")
        value = vault.open_kept(TOTP_PURPOSE, self._record(), TOTP_FIELD, sealed, self.key_id)
        self.__dict__["_secret"] = (sealed, value)
        return value

    @secret.setter
    def secret(self, value: bytes) -> None:
        sealed, self.key_id = vault.seal_kept(TOTP_PURPOSE, self._record(), TOTP_FIELD, value)
        self.secret_sealed = sealed
        self.__dict__["_secret"] = (sealed, bytes(value))

    def reseal(self) -> None:
        """Seal the secret again under the current master key (rotation)."""
        self.secret = self.secret

    def totp(self) -> TOTP:
        return TOTP(self.secret, self.step, self.t0, self.digits, 0)

    def verify_token(self, token: object) -> bool:
        """True for a code of this step or the one before or after, never twice (a code of a
        step at or before the last accepted one is refused)."""
        try:
            value = int(str(token))
        except ValueError:
            return False
        totp = self.totp()
        totp.time = time.time()
        if not totp.verify(value, TOTP_TOLERANCE, self.last_t + 1):
            return False
        self.last_t = totp.t()
        self.save(update_fields=["last_t"])
        return True

    @property
    def config_url(self) -> str:
        """The ``otpauth://`` address authenticator apps take (Key Uri Format)."""
        issuer = str(settings.REFUGIO_TOTP_ISSUER).replace(":", "")
        label = quote(f"{issuer}:{self.user.get_username()}")
        params = {
            "secret": b32encode(self.secret).decode(),
            "algorithm": "SHA1",
            "digits": self.digits,
            "period": self.step,
        }
        return f"otpauth://totp/{label}?{urlencode(params)}&issuer={quote(issuer)}"


def _empty_draft() -> dict[str, Any]:
    """The default of migration 0001's draft column (a JSON column until issue 4)."""
    return {"meta": {}}


class Case(models.Model):
    # Random ids: a sequential number in a URL would tell how many people applied.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cases")
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The case's data key, wrapped by the master key (refugio.crypto.wrap). Deleting the row
    # destroys the only copy: every ciphertext of the case, in any backup, becomes noise.
    data_key = models.BinaryField(editable=False, default=b"")
    # Sealed with the data key, bound to this case and field: read and written through the
    # ``draft`` and ``reference`` properties below.
    draft_sealed = models.BinaryField(editable=False, default=b"")
    reference_sealed = models.BinaryField(editable=False, default=b"")
    # The dossier (issue 5: events, evidence, declaration; refugio.claim.model.Dossier) as
    # JSON, sealed like the draft; read and written through ``refugio_web.dossiers``.
    dossier_sealed = models.BinaryField(editable=False, default=b"")
    # Its own optimistic version: the timeline, evidence and declaration pages do not conflict
    # with the interview's saves (and autosaves), only with each other.
    dossier_version = models.PositiveIntegerField(default=1)
    # Optimistic locking: a save names the version it started from, so two people saving the
    # same case cannot silently overwrite each other.
    version = models.PositiveIntegerField(default=1)
    last_editor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    # The page (one random token per rendered screen) whose save made the current version: a
    # save from that same page naming an older version is its own background save's successor,
    # not a conflict (a submit or a page-close save racing the page's autosave).
    last_page = models.CharField(max_length=32, blank=True, default="")
    percent_done = models.PositiveSmallIntegerField(default=0)
    # Who works on the case (refugio_web.access): an admin reaches every case of the
    # organisation; everyone else only the cases they are assigned to.
    members = models.ManyToManyField(User, related_name="assigned_cases", blank=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"case {self.pk}"  # never the reference: it may be a name, and this reaches logs

    # --- sealed fields ---------------------------------------------------------------------

    def _key(self) -> bytes:
        key: bytes | None = self.__dict__.get("_data_key")
        if key is None:
            record = vault.record_of("case", self.pk)
            if not self.data_key:  # a new case: its key is made with it
                key, self.data_key = vault.new_wrapped_key(record)
            else:
                key = unwrap(vault.ring(), bytes(self.data_key), record=record)
            self.__dict__["_data_key"] = key
        return key

    def rewrap(self) -> None:
        """Wrap the data key again under the current master key (rotation)."""
        record = vault.record_of("case", self.pk)
        self.data_key = wrap(vault.ring(), self._key(), record=record)

    # Every field sealed under the data key; a new one must be listed here, or a rekey would
    # leave it under the old key.
    SEALED = ("draft", "reference", "dossier")

    def rekey(self) -> None:
        """A new data key, and every sealed field sealed again under it."""
        # An empty column (a dossier never saved) stays empty.
        values = {
            name: getattr(self, name) for name in self.SEALED if getattr(self, f"{name}_sealed")
        }
        self.__dict__.pop("_data_key", None)
        self.data_key = b""
        for name, value in values.items():
            setattr(self, name, value)

    @classmethod
    def key_columns(cls) -> list[str]:
        """The columns a rewrap or a rekey changes."""
        return ["data_key", *(f"{name}_sealed" for name in cls.SEALED)]

    def seal(self, field: str, value: Any) -> bytes:
        """``value`` (JSON) sealed for ``field`` of this case; nothing is changed."""
        plain = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
        return seal(self._key(), plain, record=vault.record_of("case", self.pk), field=field)

    def remember(self, field: str, sealed: bytes, value: Any) -> None:
        """Take ``sealed`` (made by ``seal``) as the field's stored value, known to be ``value``."""
        setattr(self, f"{field}_sealed", sealed)
        self.__dict__.setdefault("_opened", {})[field] = (sealed, value)

    def _open(self, field: str, empty: Any) -> Any:
        sealed = getattr(self, f"{field}_sealed")
        cached = self.__dict__.get("_opened", {}).get(field)
        if cached is not None and cached[0] is sealed:
            return cached[1]
        if not sealed:
            if self._state.adding:
                return empty
            raise IntegrityError(f"{field} of case {self.pk}: missing")
        record = vault.record_of("case", self.pk)
        value = json.loads(open_sealed(self._key(), bytes(sealed), record=record, field=field))
        self.__dict__.setdefault("_opened", {})[field] = (sealed, value)
        return value

    @property
    def draft(self) -> dict[str, Any]:
        value: dict[str, Any] = self._open("draft", {"meta": {}})
        return value

    @draft.setter
    def draft(self, value: dict[str, Any]) -> None:
        self.remember("draft", self.seal("draft", value), value)

    @property
    def reference(self) -> str:
        value: str = self._open("reference", "")
        return value

    @reference.setter
    def reference(self, value: str) -> None:
        self.remember("reference", self.seal("reference", value), value)

    @property
    def dossier(self) -> dict[str, Any]:
        """The dossier's JSON; ``{}`` (an empty dossier) before its first save.

        Empty is accepted only at version 1: once saved, a blanked column is an integrity error,
        not a silently empty dossier.
        """
        if not self.dossier_sealed and self.dossier_version == 1:
            return {}
        value: dict[str, Any] = self._open("dossier", {})
        return value

    @dossier.setter
    def dossier(self, value: dict[str, Any]) -> None:
        self.remember("dossier", self.seal("dossier", value), value)


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


class Job(models.Model):
    """A document built in the background for a case (the filing packet), and how far it got.

    The page that started it refreshes itself while it runs (no JavaScript needed: Tor Browser
    "safest"), reading ``stage``, ``done`` and ``total``. The result is a file in the sealed
    store (``file_id``); an error message may name a document, so it is sealed too.
    """

    class State(models.TextChoices):
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=32)
    started_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=16, choices=State.choices, default=State.RUNNING)
    # A code chosen by the builder ("filling", "exhibits"), never content.
    stage = models.CharField(max_length=40, blank=True, default="")
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file_id = models.CharField(max_length=32, blank=True, default="")
    error_sealed = models.BinaryField(editable=False, default=b"")

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.kind} job {self.pk}"
