"""TOTP secrets sealed at rest (issue 4, point 3; threat model R3).

django-otp's ``TOTPDevice`` kept each account's TOTP secret in clear
(``otp_totp_totpdevice.key``): a copy of the database gave every account's second factor. Every
device moves into ``Authenticator``, its secret sealed under a key derived from the current master
key (HKDF, purpose "totp") and bound to its account and field; the clear rows are deleted
(SQLite's ``secure_delete`` zeroes them; ``RefugioWebConfig`` empties the write-ahead log after
``migrate``). Phones keep working: the secret, the time step of the last code used and the
options are kept as they were.

Needs the master key configured (settings.MASTER_KEYS) when it runs. Reversible, so a release
can be rolled back; rolling back writes the secrets in clear again. django-otp's TOTP app stays
installed for this migration (docs/decisions.md §22); its table is left empty.
"""

from __future__ import annotations

from typing import Any

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from refugio_web import vault

# How Authenticator seals its secret at the time of this migration (refugio_web.models).
PURPOSE = "totp"
FIELD = "secret"


def _record(user_id: int) -> str:
    return vault.record_of(PURPOSE, user_id)


def seal_devices(apps: Any, schema_editor: Any) -> None:
    clear = apps.get_model("otp_totp", "TOTPDevice")
    sealed_model = apps.get_model("refugio_web", "Authenticator")
    for old in clear.objects.order_by("pk").iterator():
        sealed, key_id = vault.seal_kept(
            PURPOSE, _record(old.user_id), FIELD, bytes.fromhex(old.key)
        )
        sealed_model.objects.create(
            user_id=old.user_id,
            name=old.name,
            confirmed=old.confirmed,
            secret_sealed=sealed,
            key_id=key_id,
            step=old.step,
            # A learned drift (never, with OTP_TOTP_SYNC off) is the same as a later start.
            t0=old.t0 - old.drift * old.step,
            digits=old.digits,
            last_t=old.last_t,
        )
    clear.objects.all().delete()


def open_devices(apps: Any, schema_editor: Any) -> None:
    clear = apps.get_model("otp_totp", "TOTPDevice")
    sealed_model = apps.get_model("refugio_web", "Authenticator")
    for new in sealed_model.objects.order_by("pk").iterator():
        secret = vault.open_kept(
            PURPOSE, _record(new.user_id), FIELD, bytes(new.secret_sealed), new.key_id
        )
        clear.objects.create(
            user_id=new.user_id,
            name=new.name,
            confirmed=new.confirmed,
            key=secret.hex(),
            step=new.step,
            t0=new.t0,
            digits=new.digits,
            tolerance=1,
            drift=0,
            last_t=new.last_t,
        )
    sealed_model.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("refugio_web", "0006_case_members"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [
        migrations.CreateModel(
            name="Authenticator",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=64)),
                ("confirmed", models.BooleanField(default=True)),
                ("secret_sealed", models.BinaryField(default=b"")),
                ("key_id", models.CharField(default="", editable=False, max_length=16)),
                ("step", models.PositiveSmallIntegerField(default=30)),
                ("t0", models.BigIntegerField(default=0)),
                ("digits", models.PositiveSmallIntegerField(default=6)),
                ("last_t", models.BigIntegerField(default=-1)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="authenticators",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"verbose_name": "authenticator", "abstract": False},
        ),
        migrations.RunPython(seal_devices, open_devices),
    ]
