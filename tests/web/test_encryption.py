"""Encryption at rest (issue 4, point 1): answers never reach the disk in clear, a changed or
moved ciphertext is an integrity error and never someone else's data, keys rotate, a deleted
case's key is gone, and production does not start without a master key."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.test import Client, override_settings

from refugio.cli import main
from refugio.crypto import new_key_text, parse_key, wrapped_by
from refugio.errors import CryptoError, IntegrityError
from refugio_web import cases, vault
from refugio_web.models import AccessEvent, Authenticator, Case, User
from tests.web.conftest import logged_in

ROOT = Path(__file__).resolve().parents[2]
CANARY = "CANARY-7f3a9c-Quetzal"  # typed as answers; must never be found in clear on disk


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_answers_typed_through_the_app_never_reach_the_disk_in_clear(tmp_path: Path) -> None:
    data, tmp = tmp_path / "data", tmp_path / "tmp"
    data.mkdir()
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp), "REFUGIO_MASTER_KEY": new_key_text()}
    result = _run(["-m", "tests.web.disk_probe", str(data), CANARY], env)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    # The answers were stored and read back (so the search below could have found them)...
    assert (found["saved"], found["stashed"]) == (302, 302)
    assert found["read_back"] == [f"{CANARY} reference", f"{CANARY} typed"]
    assert found["wal_bytes"] > 0  # the write-ahead log was there to be searched
    assert found["modes"] == ["0o600"]  # database, WAL, keys, lock: the owner's only
    # ...yet no file holds them in clear: database, WAL, shared memory, temporary files.
    assert found["holding_canary"] == []
    # Alice's, the stranger's and the session of the account enrolled below.
    assert found["sessions"] == 3 and found["sessions_holding_canary"] == 0
    # Deleting the case left no copy of its wrapped data key (crypto-shredding).
    assert found["holding_key_after_delete"] == []
    # TOTP secrets: one moved by migration 0007 from django-otp's table (in clear there), one of
    # a persona, one enrolled through the enrolment page (which showed it and accepted its code):
    # none is in any file, raw, in hex or in base32.
    assert found["enrolled"] == [302, 302]
    assert found["migrated_opens"] and found["clear_totp_rows"] == 0
    assert found["totp_secret_lengths"] == [20, 20, 20]
    assert found["holding_totp_secret"] == {"migrated": [], "persona": [], "enrolled": []}


@pytest.mark.django_db
def test_what_is_stored_is_ciphertext_bound_to_its_case(case_b: Case) -> None:
    row = Case.objects.values("draft_sealed", "reference_sealed", "data_key").get(pk=case_b.pk)
    assert b"Fictiv" not in bytes(row["draft_sealed"])  # example (b)'s fictional surname
    assert b"T-B" not in bytes(row["reference_sealed"])
    assert len(bytes(row["data_key"])) == 1 + 8 + 12 + 32 + 16  # wrapped, never the key itself
    fresh = Case.objects.get(pk=case_b.pk)
    assert fresh.reference == "T-B" and fresh.draft == case_b.draft


@pytest.mark.django_db
def test_a_flipped_bit_is_an_integrity_error_never_data(alice: User, case_b: Case) -> None:
    sealed = bytearray(bytes(case_b.draft_sealed))
    sealed[40] ^= 0x01
    Case.objects.filter(pk=case_b.pk).update(draft_sealed=bytes(sealed))
    with pytest.raises(IntegrityError):
        _ = Case.objects.get(pk=case_b.pk).draft
    client = logged_in(alice)
    client.raise_request_exception = False
    response = client.get(f"/cases/{case_b.pk}/")
    assert response.status_code == 500
    assert b"Fictiv" not in response.content


@pytest.mark.django_db
def test_a_ciphertext_swapped_between_cases_does_not_open(
    alice: User, case: Case, case_b: Case
) -> None:
    # An insider with the database copies case (b)'s sealed answers and key into another case.
    source = Case.objects.values("draft_sealed", "data_key").get(pk=case_b.pk)
    Case.objects.filter(pk=case.pk).update(draft_sealed=source["draft_sealed"])
    with pytest.raises(IntegrityError):
        _ = Case.objects.get(pk=case.pk).draft
    Case.objects.filter(pk=case.pk).update(data_key=source["data_key"])
    with pytest.raises(IntegrityError):
        _ = Case.objects.get(pk=case.pk).draft
    client = logged_in(alice)
    client.raise_request_exception = False
    response = client.get(f"/cases/{case.pk}/review/")
    assert response.status_code == 500 and b"Fictiv" not in response.content


@pytest.mark.django_db
def test_rotation_rewraps_every_case_under_the_new_master_key(case: Case, case_b: Case) -> None:
    old = os.environ["REFUGIO_MASTER_KEY"].split(",")[0]
    new = new_key_text()
    with override_settings(MASTER_KEYS=[new, old]):
        assert "2 cases re-wrapped" in _rotate()
        again = _rotate()
        assert "0 cases re-wrapped" in again and "2 already" in again
    with override_settings(MASTER_KEYS=[new]):  # the old key removed: everything still opens
        for c in Case.objects.all():
            assert wrapped_by(bytes(c.data_key)) == parse_key(new).kid
        assert Case.objects.get(pk=case_b.pk).draft == case_b.draft
        assert Case.objects.get(pk=case.pk).reference == "T-1"


@pytest.mark.django_db
def test_it_seals_the_totp_secrets_again_at_rotation_and_logs_in_without_the_old_key(
    alice: User, bob: User
) -> None:
    old = os.environ["REFUGIO_MASTER_KEY"].split(",")[0]
    new = new_key_text()
    before = {d.pk: (bytes(d.secret_sealed), d.secret) for d in Authenticator.objects.all()}
    with override_settings(MASTER_KEYS=[new]), pytest.raises(CryptoError):
        Authenticator.objects.get(user=alice).secret  # noqa: B018 - sealed under the old key
    with override_settings(MASTER_KEYS=[new, old]):
        assert "2 authenticator secrets sealed again" in _rotate()
        assert "0 authenticator secrets sealed again under the current master key, 2 already" in (
            _rotate()
        )
    with override_settings(MASTER_KEYS=[new]):  # the old key removed
        for device in Authenticator.objects.all():
            assert device.key_id == parse_key(new).kid.hex()
            assert bytes(device.secret_sealed) != before[device.pk][0]
            assert device.secret == before[device.pk][1]
        for person in (alice, bob):
            assert logged_in(person).get("/").status_code == 200  # password and code


@pytest.mark.django_db
def test_it_seals_a_totp_secret_bound_to_its_account(alice: User, bob: User) -> None:
    """A database writer who copies Bob's sealed secret onto Alice's device (to log in as her
    with Bob's phone) gets an integrity error, not a working second factor."""
    alices, bobs = (Authenticator.objects.get(user=u) for u in (alice, bob))
    assert alices.secret not in bytes(alices.secret_sealed)
    assert len(bytes(alices.secret_sealed)) == 1 + 12 + 20 + 16  # format, nonce, secret, tag
    Authenticator.objects.filter(pk=alices.pk).update(
        secret_sealed=bytes(bobs.secret_sealed), key_id=bobs.key_id
    )
    with pytest.raises(IntegrityError):
        Authenticator.objects.get(pk=alices.pk).secret  # noqa: B018


@pytest.mark.django_db
def test_rotation_of_data_keys_seals_the_answers_again(case_b: Case) -> None:
    before = Case.objects.values("draft_sealed", "data_key").get(pk=case_b.pk)
    _rotate("--data-keys")
    after = Case.objects.get(pk=case_b.pk)
    assert bytes(after.data_key) != bytes(before["data_key"])
    assert bytes(after.draft_sealed) != bytes(before["draft_sealed"])
    assert after.draft == case_b.draft


@pytest.mark.django_db
def test_deleting_a_case_removes_it_and_records_who(alice: User, case_b: Case) -> None:
    cases.delete_case(alice, case_b)
    assert not Case.objects.filter(pk=case_b.pk).exists()
    assert AccessEvent.objects.filter(case_id=case_b.pk, action="delete", user=alice).count() == 1
    assert logged_in(alice).get(f"/cases/{case_b.pk}/").status_code == 404


@pytest.mark.django_db
def test_the_deletion_notice_names_no_case_and_travels_in_no_cookie(
    alice: User, case_b: Case
) -> None:
    client = logged_in(alice)
    response = client.post(f"/cases/{case_b.pk}/delete/")
    assert "messages" not in response.cookies  # kept in the session, server side
    page = client.get("/").content.decode()
    assert "The case was deleted." in page and "T-B" not in page


def test_helper_programs_get_no_key_or_database_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://refugio:secret@db/refugio")
    env = vault.child_environment(PGPASSWORD="for pg_dump only")
    assert not [k for k in env if k.startswith(("REFUGIO_", "DJANGO_", "DATABASE_URL"))]
    assert env["PGPASSWORD"] == "for pg_dump only" and env["PATH"] == os.environ["PATH"]


@pytest.mark.django_db
def test_answers_posted_while_logged_out_wait_sealed_in_the_session(case: Case) -> None:
    from django.contrib.sessions.models import Session

    client = Client()
    client.post(f"/cases/{case.pk}/step/identity/", {"applicant.last_name": CANARY})
    (session,) = Session.objects.all()
    assert CANARY not in session.session_data
    assert CANARY not in json.dumps(session.get_decoded())


def _settings_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REFUGIO_MASTER_KEY")}
    env.pop("REFUGIO_DEBUG", None)
    env.update(DJANGO_SETTINGS_MODULE="refugio_web.settings", REFUGIO_SECRET_KEY="s" * 50, **extra)
    return env


def test_production_refuses_to_start_without_a_master_key(tmp_path: Path) -> None:
    load = ["-c", "import django; django.setup()"]
    result = _run(load, _settings_env())
    assert result.returncode != 0 and "Set REFUGIO_MASTER_KEY_FILE" in result.stderr
    key_file = tmp_path / "master-key"
    key_file.write_text(new_key_text() + "\n")
    key_file.chmod(0o644)
    result = _run(load, _settings_env(REFUGIO_MASTER_KEY_FILE=str(key_file)))
    assert result.returncode != 0 and "only its owner may read" in result.stderr
    key_file.chmod(0o600)
    assert _run(load, _settings_env(REFUGIO_MASTER_KEY_FILE=str(key_file))).returncode == 0
    result = _run(load, _settings_env(REFUGIO_MASTER_KEY="c2hvcnQ"))
    assert result.returncode != 0 and "not usable" in result.stderr


def _rotate(*args: str) -> str:
    """`refugio keys rotate` (in this process, on the test database)."""
    result = CliRunner().invoke(main, ["keys", "rotate", *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.django_db
def test_only_an_admin_of_the_organisation_deletes_a_case(
    alice: User, bob: User, charlie: User, case_b: Case
) -> None:
    url = f"/cases/{case_b.pk}/delete/"
    case_b.members.add(bob)  # even a representative working on the case
    for other in (bob, charlie):
        client = logged_in(other)
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert Case.objects.filter(pk=case_b.pk).exists()
    client = logged_in(alice)
    assert b"Delete this case for good" in client.get(url).content
    assert client.post(url).status_code == 302
    assert not Case.objects.filter(pk=case_b.pk).exists()


@pytest.mark.django_db
def test_a_delete_without_csrf_token_changes_nothing(alice: User, case_b: Case) -> None:
    client = logged_in(alice)
    client.handler.enforce_csrf_checks = True
    assert client.post(f"/cases/{case_b.pk}/delete/").status_code == 403
    assert Case.objects.filter(pk=case_b.pk).exists()


@pytest.mark.django_db
def test_the_session_table_holds_no_cookie_that_would_open_a_session(alice: User) -> None:
    from django.conf import settings
    from django.contrib.sessions.models import Session

    from refugio_web.sessions import stored_key

    client = logged_in(alice)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    rows = list(Session.objects.values_list("session_key", flat=True))
    assert cookie not in rows and stored_key(cookie) in rows
    # Someone who read the table tries its key as a cookie: not signed in.
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = stored_key(cookie)
    response = thief.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.get("/").status_code == 200  # the owner still is


@pytest.mark.django_db
def test_a_draft_saved_from_before_a_key_rotation_is_refused_not_stored_as_noise(
    alice: User, case_b: Case
) -> None:
    from refugio_web.errors import EditConflict

    loaded = Case.objects.get(pk=case_b.pk)  # a request loads the case and its key...
    draft = loaded.draft
    _rotate("--data-keys")  # ...the data keys are rotated...
    with pytest.raises(EditConflict):  # ...and its save is told to try again
        cases.save_draft(alice, loaded, draft, loaded.version)
    assert Case.objects.get(pk=case_b.pk).draft == case_b.draft  # still opens
