"""Run as a separate process by test_encryption.py: a real database file, answers typed through
the app, then every byte on disk searched — while the app's connection is still open, so the
write-ahead log is searched too, not only what a checkpoint left in the database file.

Usage: python -m tests.web.disk_probe DATA_DIR CANARY — prints one JSON object.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def _files(*roots: Path) -> list[Path]:
    return [p for root in roots for p in sorted(root.rglob("*")) if p.is_file()]


def _holding(needle: bytes, *roots: Path) -> list[str]:
    return [p.name for p in _files(*roots) if needle in p.read_bytes()]


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
    from django.test import Client

    from refugio_web import cases
    from refugio_web.models import Organisation, Role, User
    from tests.web.conftest import PASSWORD, logged_in, with_device

    call_command("migrate", verbosity=0)
    org = Organisation.objects.create(name="Probe Legal Aid (fictional)")
    alice = User.objects.create_user("alice", password=PASSWORD, organisation=org, role=Role.ADMIN)
    with_device(alice)
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
    }
    wrapped = bytes(reread.data_key)
    cases.delete_case(alice, reread)
    found["holding_key_after_delete"] = _holding(wrapped, data_dir)
    return found


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), sys.argv[2])))
