"""Migrations that change stored data, run forward and back on a database holding cases."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from refugio_web import vault
from refugio_web.accounts import totp_code, verify_code
from refugio_web.models import Authenticator, Case

BEFORE_SEALING = ("refugio_web", "0004_user_sessions")
SEALING = ("refugio_web", "0005_case_sealed")


def _migrate(target: tuple[str, str]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


@pytest.mark.django_db(transaction=True)
def test_it_seals_the_cases_of_an_existing_database_and_can_go_back() -> None:
    old = _migrate(BEFORE_SEALING)
    org = old.get_model("refugio_web", "Organisation").objects.create(name="Old Office (fictional)")
    draft = {"meta": {"visited": ["identity"]}, "applicant": {"last_name": "Quispe Fictivo"}}
    pk = (
        old.get_model("refugio_web", "Case")
        .objects.create(organisation=org, reference="OLD-1", draft=draft)
        .pk
    )

    _migrate(SEALING)
    _migrate(max(_leaves()))  # the rest, whatever came after
    case = Case.objects.get(pk=pk)
    assert case.draft == draft and case.reference == "OLD-1"
    assert b"Quispe" not in bytes(case.draft_sealed)

    back = _migrate(BEFORE_SEALING)
    plain = back.get_model("refugio_web", "Case").objects.get(pk=pk)
    assert plain.draft == draft and plain.reference == "OLD-1"
    _migrate(max(_leaves()))


def _leaves() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return [n for n in executor.loader.graph.leaf_nodes() if n[0] == "refugio_web"]


BEFORE_SEALED_TOTP = [("refugio_web", "0006_case_members"), ("otp_totp", "0003_add_timestamps")]
SEALED_TOTP = ("refugio_web", "0007_sealed_totp")
UNUSABLE = make_password(None)  # a password nobody can give


@pytest.mark.django_db(transaction=True)
def test_it_seals_the_totp_secrets_of_django_otp_and_can_go_back() -> None:
    """Bob enrolled his phone before 0007 (django-otp's device, secret in clear): after it, the
    secret is sealed in our table, his codes still work once each, and the clear row is gone."""
    old = _migrate_to(BEFORE_SEALED_TOTP)
    bob = old.get_model("refugio_web", "User").objects.create(username="bob", password=UNUSABLE)
    secret = bytes(range(1, 21))  # fictional
    old.get_model("otp_totp", "totpdevice").objects.create(
        user=bob, name="authenticator", confirmed=True, key=secret.hex(), last_t=7
    )

    _migrate_to([SEALED_TOTP])
    _migrate(max(_leaves()))
    device = Authenticator.objects.get(user_id=bob.pk)
    assert device.confirmed and device.last_t == 7 and device.secret == secret
    assert secret not in bytes(device.secret_sealed)
    assert device.key_id == vault.ring().current.kid.hex()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM otp_totp_totpdevice")
        assert cursor.fetchone()[0] == 0
    assert verify_code(device, totp_code(secret))
    assert not verify_code(device, totp_code(secret))  # once

    back = _migrate_to(BEFORE_SEALED_TOTP)
    clear = back.get_model("otp_totp", "totpdevice").objects.get(user_id=bob.pk)
    assert clear.key == secret.hex() and clear.confirmed and clear.last_t > 7
    _migrate(max(_leaves()))
    assert Authenticator.objects.get(user_id=bob.pk).secret == secret


def _migrate_to(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps
