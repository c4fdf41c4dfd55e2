"""Backup and restore (issue 4, point 7): a real database file with several cases goes into an
encrypted backup and comes back with every answer; a damaged backup or a missing key changes
nothing. Run through `refugio backup` and `refugio restore` in separate processes, as an
operator would."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from refugio.crypto import new_key_text

ROOT = Path(__file__).resolve().parents[2]
CANARY = "CANARY-backup-4e1d"

CREATE = f"""
import django, json
django.setup()
from django.core.management import call_command
from refugio.interview import from_application
from refugio.model import Application
from refugio_web import cases
from refugio_web.models import Organisation, Role, User
from pathlib import Path
call_command("migrate", verbosity=0)
org = Organisation.objects.create(name="Backup Office (fictional)")
alice = User.objects.create_user("alice", organisation=org, role=Role.ADMIN)
for path in sorted(Path("examples").glob("*.json")):
    app = Application.model_validate_json(path.read_text(encoding="utf-8"))
    cases.create_case(alice, path.stem, from_application(app))
draft = {{"meta": {{}}, "applicant": {{"last_name": "{CANARY}"}}}}
case = cases.create_case(alice, "{CANARY} reference", draft)
from refugio.uploads import Checked, Kind
from refugio_web import files
evidence = Checked(Kind.PDF, b"%PDF-1.7 {CANARY} evidence")  # stored as the app stores uploads
files.store(case.pk, evidence, key=case._key())
"""

DUMP = """
import django, json
django.setup()
from refugio_web import files
from refugio_web.models import Case
kept = {f"{c}/{f}": files.read(c, f, key=Case.objects.get(pk=c)._key()).data.decode()
        for c, f, _sealed in files.sealed_files()}
cases = {str(c.pk): [c.reference, c.draft, c.version] for c in Case.objects.all()}
print(json.dumps({"cases": cases, "files": kept}))
"""


def _env(data: Path, key: str, database: str = "") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env.update(
        DJANGO_SETTINGS_MODULE="refugio_web.test_settings",
        REFUGIO_DATA_DIR=str(data),
        DATABASE_URL=database or f"sqlite:///{data / 'refugio.sqlite3'}",
        REFUGIO_MASTER_KEY=key,
        TMPDIR=str(data),
    )
    return env


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "sqlite").startswith("postgres"),
    reason="this run is for PostgreSQL; the SQLite round trip runs in `make test`",
)
def test_a_backup_round_trips_every_answer_and_reveals_none(tmp_path: Path) -> None:
    data, key = tmp_path / "data", new_key_text()
    data.mkdir()
    env = _env(data, key)
    created = _run(env, "-c", CREATE)
    assert created.returncode == 0, created.stderr
    before = json.loads(_run(env, "-c", DUMP).stdout)
    assert len(before["cases"]) >= 4  # the examples and the canary case
    assert list(before["files"].values()) == [f"%PDF-1.7 {CANARY} evidence"]

    file = tmp_path / "refugio.backup"
    made = _run(env, "-m", "refugio", "backup", str(file))
    assert made.returncode == 0, made.stderr
    assert file.stat().st_mode & 0o777 == 0o600
    sealed = file.read_bytes()
    assert CANARY.encode() not in sealed and b"SQLite format 3" not in sealed
    assert b"alice" not in sealed  # not even the user names or the audit trail

    for name in ("refugio.sqlite3", "refugio.sqlite3-wal", "refugio.sqlite3-shm"):
        (data / name).unlink(missing_ok=True)
    shutil.rmtree(data / "files")  # the disk lost, the backup kept
    refused = _run(env, "-m", "refugio", "restore", str(file))
    assert refused.returncode != 0 and "--yes" in refused.stderr
    restored = _run(env, "-m", "refugio", "restore", str(file), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert json.loads(_run(env, "-c", DUMP).stdout) == before


def test_a_damaged_backup_or_a_missing_key_changes_nothing(tmp_path: Path) -> None:
    if os.environ.get("DATABASE_URL", "sqlite").startswith("postgres"):
        pytest.skip("the SQLite file is compared byte for byte")
    data, key = tmp_path / "data", new_key_text()
    data.mkdir()
    env = _env(data, key)
    assert _run(env, "-c", CREATE).returncode == 0
    file = tmp_path / "refugio.backup"
    assert _run(env, "-m", "refugio", "backup", str(file)).returncode == 0
    _run(env, "-c", "import django; django.setup(); from django.db import connection; "
         "connection.cursor().execute('PRAGMA wal_checkpoint(TRUNCATE)')")  # fmt: skip
    database = data / "refugio.sqlite3"
    digest = _digest(database)

    damaged = tmp_path / "damaged.backup"
    raw = bytearray(file.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    damaged.write_bytes(bytes(raw))
    result = _run(env, "-m", "refugio", "restore", str(damaged), "--yes")
    assert result.returncode != 0 and "nothing changed" in result.stderr
    assert "chunk" in result.stderr  # says which part of the file is damaged

    other_key = _env(data, new_key_text())
    result = _run(other_key, "-m", "refugio", "restore", str(file), "--yes")
    assert result.returncode != 0 and "not configured" in result.stderr
    assert _digest(database) == digest


POSTGRES = os.environ.get("DATABASE_URL", "")


@pytest.mark.skipif(
    not POSTGRES.startswith(("postgres://", "postgresql://")),
    reason="needs a PostgreSQL server: `make test-postgres` (.ci/run) runs it",
)
def test_a_postgresql_backup_round_trips_through_pg_dump_and_pg_restore(tmp_path: Path) -> None:
    import psycopg

    assert shutil.which("pg_dump") and shutil.which("pg_restore"), "postgresql-client missing"
    scratch = f"refugio_backup_{os.urandom(4).hex()}"
    base, _sep, _name = POSTGRES.rpartition("/")
    admin = psycopg.connect(POSTGRES, autocommit=True)

    def fresh_database() -> None:
        admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        admin.execute(f'CREATE DATABASE "{scratch}"')

    data, key = tmp_path / "data", new_key_text()
    data.mkdir()
    env = _env(data, key, database=f"{base}/{scratch}")
    try:
        fresh_database()
        created = _run(env, "-c", CREATE)
        assert created.returncode == 0, created.stderr
        before = json.loads(_run(env, "-c", DUMP).stdout)
        file = tmp_path / "refugio.backup"
        made = _run(env, "-m", "refugio", "backup", str(file))
        assert made.returncode == 0, made.stderr
        assert CANARY.encode() not in file.read_bytes()

        fresh_database()  # the server lost: an empty database
        shutil.rmtree(data / "files")
        restored = _run(env, "-m", "refugio", "restore", str(file), "--yes")
        assert restored.returncode == 0, restored.stderr
        assert json.loads(_run(env, "-c", DUMP).stdout) == before
        verified = _run(env, "-m", "refugio", "audit", "verify")
        assert verified.returncode == 0, verified.stderr  # the trail came back whole
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        admin.close()
