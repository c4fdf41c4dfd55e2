"""Run as a separate process by test_encryption.py: a real database file, answers typed through
the app, then every byte on disk searched — while the app's connection is still open, so the
write-ahead log is searched too, not only what a checkpoint left in the database file.

The TOTP secrets are searched too: one of a django-otp device made before migration 0007 (in
clear then), one of a persona, one enrolled through the app's enrolment page.

Usage: python -m tests.web.disk_probe DATA_DIR CANARY — prints one JSON object.
"""

from __future__ import annotations

import base64
import json
import os
import re
import sys
from pathlib import Path
from typing import Any


def _files(*roots: Path) -> list[Path]:
    return [p for root in roots for p in sorted(root.rglob("*")) if p.is_file()]


def _holding(needle: bytes, *roots: Path) -> list[str]:
    return [p.name for p in _files(*roots) if needle in p.read_bytes()]


def _forms(secret: bytes) -> list[bytes]:
    """Every way a TOTP secret could be written: raw, hex, base32 (as shown, in groups too)."""
    b32 = base64.b32encode(secret).decode()
    grouped = " ".join(b32[i : i + 4] for i in range(0, len(b32), 4))
    texts = [secret.hex(), secret.hex().upper(), b32, b32.lower(), grouped, b32.rstrip("=")]
    return [secret, *(t.encode() for t in texts)]


def _device_in_clear_before_0007() -> bytes:
    """A database as it was before migration 0007: an account with a django-otp device, its
    secret in clear. Returns the secret."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    unusable = make_password(None)  # a password nobody can give
    before = [("refugio_web", "0006_case_members"), ("otp_totp", "0003_add_timestamps")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    executor.loader.build_graph()
    old = executor.loader.project_state(before).apps
    bob = old.get_model("refugio_web", "User").objects.create(username="bob", password=unusable)
    secret = os.urandom(20)
    devices = old.get_model("otp_totp", "totpdevice").objects
    devices.create(user=bob, name="authenticator", confirmed=True, key=secret.hex())
    return secret


def _enrol(client: Any, username: str, password: str) -> tuple[list[int], bytes]:
    """Log in with the password, read the key off the enrolment page, confirm it with a code."""
    from refugio_web.accounts import totp_code

    form = {"username": username, "password": password, "code": ""}
    statuses = [client.post("/login/", form).status_code]
    page = client.get("/login/enrol/").content.decode()
    shown = re.search(r'id="secret" value="([A-Z2-7 ]+)"', page)
    secret = base64.b32decode(shown[1].replace(" ", "")) if shown else b""
    statuses.append(client.post("/login/enrol/", {"code": totp_code(secret)}).status_code)
    return statuses, secret


def main(data_dir: Path, canary: str) -> dict[str, object]:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="refugio_web.test_settings",
        REFUGIO_DATA_DIR=str(data_dir),
        DATABASE_URL=f"sqlite:///{data_dir / 'refugio.sqlite3'}",
    )
    import django

    django.setup()
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from refugio_web import cases
    from refugio_web.models import Authenticator, Organisation, Role, User
    from tests.web.conftest import PASSWORD, logged_in, with_device

    migrated_secret = _device_in_clear_before_0007()
    call_command("migrate", verbosity=0)
    org = Organisation.objects.create(name="Probe Legal Aid (fictional)")
    alice = User.objects.create_user("alice", password=PASSWORD, organisation=org, role=Role.ADMIN)
    with_device(alice)
    User.objects.create_user("dora", password=PASSWORD, organisation=org, role=Role.STAFF)
    enrolled, enrolled_secret = _enrol(Client(), "dora", PASSWORD)
    secrets = {
        "migrated": migrated_secret,
        "persona": Authenticator.objects.get(user=alice).secret,
        "enrolled": enrolled_secret,
    }
    migrated = Authenticator.objects.get(user__username="bob")
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM otp_totp_totpdevice")
        clear_rows = cursor.fetchone()[0]
    case = cases.create_case(alice, f"{canary} reference")
    step = f"/cases/{case.pk}/step/identity/"
    client = logged_in(alice)  # the real login page, both factors
    typed = {"applicant.last_name": f"{canary} typed", "version": "1", "action": "save"}
    saved = client.post(step, typed).status_code
    stranger = Client()  # logged out: the answers wait in the session for the login
    stashed = stranger.post(step, {"applicant.last_name": f"{canary} stashed"}).status_code
    reread = cases.case_for(alice, case.pk)
    found = {
        "saved": saved,
        "stashed": stashed,
        "read_back": [reread.reference, reread.draft["applicant"]["last_name"]],
        "wal_bytes": (data_dir / "refugio.sqlite3-wal").stat().st_size,
        "modes": sorted({oct(p.stat().st_mode & 0o777) for p in _files(data_dir)}),
        "holding_canary": _holding(canary.encode(), data_dir, Path(os.environ["TMPDIR"])),
        # Session data is signed and compressed, so a byte search cannot see into it: opened.
        "sessions_holding_canary": sum(
            canary in json.dumps(s.get_decoded()) for s in Session.objects.all()
        ),
        "sessions": Session.objects.count(),
        "enrolled": enrolled,
        "migrated_opens": migrated.secret == migrated_secret,
        "clear_totp_rows": clear_rows,
        "holding_totp_secret": {
            name: sorted({f for form in _forms(secret) for f in _holding(form, data_dir)})
            for name, secret in secrets.items()
        },
        "totp_secret_lengths": sorted(len(s) for s in secrets.values()),
    }
    wrapped = bytes(reread.data_key)
    cases.delete_case(alice, reread)
    found["holding_key_after_delete"] = _holding(wrapped, data_dir)
    return found


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), sys.argv[2])))
