"""The database: chosen by DATABASE_URL alone (SQLite embedded, PostgreSQL for several app
servers), and what a save writes — on whichever database the suite runs (`make test` on SQLite,
`make test-postgres` on PostgreSQL)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from refugio.interview import get
from refugio_web import settings as app_settings
from refugio_web import writer
from refugio_web.models import AccessEvent, Case, User
from tests.web.conftest import logged_in


def test_one_setting_chooses_the_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite:////srv/refugio/refugio.sqlite3")
    db = app_settings._database()
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == "/srv/refugio/refugio.sqlite3"
    options = db["OPTIONS"]
    assert isinstance(options, dict) and options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]

    monkeypatch.setenv("DATABASE_URL", "postgres://refugio:secret@db.internal:5432/refugio")
    db = app_settings._database()
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"], db["USER"]) == (
        "db.internal",
        5432,
        "refugio",
        "refugio",
    )
    # Several app servers share it: each keeps its connections a while, checked before reuse.
    assert db["CONN_MAX_AGE"] == 60 and db["CONN_HEALTH_CHECKS"] is True


@pytest.mark.django_db
def test_a_save_and_its_access_are_recorded_together(alice: User, case: Case) -> None:
    client = logged_in(alice)
    url = f"/cases/{case.pk}/step/identity/"
    r = client.post(url, {"version": "1", "action": "autosave", "applicant.last_name": "Ayala"})
    assert r.status_code == 200 and r.json()["version"] == 2
    events = AccessEvent.objects.filter(case_id=case.pk).values_list("action", flat=True)
    assert list(events) == ["edit-open", "edit"]
    # A save that conflicts still records the access, and nothing else.
    done = AccessEvent.objects.count()  # the trail is append-only (issue 4): count from here
    Case.objects.filter(pk=case.pk).update(last_editor=None)
    r = client.post(url, {"version": "1", "action": "autosave", "applicant.last_name": "Old"})
    assert r.status_code == 409
    events = events.filter(seq__gt=done)
    assert list(events) == ["edit-open"]
    r = client.post(url, {"version": "x", "action": "autosave", "applicant.last_name": "Old"})
    assert r.status_code == 409
    assert AccessEvent.objects.filter(case_id=case.pk, seq__gt=done).count() == 2


@pytest.mark.django_db
def test_an_answer_with_a_nul_character_is_saved_without_it(alice: User, case: Case) -> None:
    # PostgreSQL cannot store U+0000 in JSON: the save must not fail there (nor differ on SQLite).
    client = logged_in(alice)
    r = client.post(
        f"/cases/{case.pk}/step/identity/",
        {"version": "1", "action": "autosave", "applicant.last_name": "Aya\x00la"},
    )
    assert r.status_code == 200
    case.refresh_from_db()
    assert get(case.draft, "applicant.last_name") == "Ayala"


@pytest.mark.django_db
def test_every_answer_comes_back_as_typed(alice: User, case: Case) -> None:
    # JSON round trip through the database: PostgreSQL stores jsonb, SQLite text.
    typed = "Ayala\u200b Ruíz — 王 «x»\n\t 'quoted' \"double\" \\ end  "
    client = logged_in(alice)
    r = client.post(
        f"/cases/{case.pk}/step/harm/",
        {
            "version": "1",
            "action": "autosave",
            "claim.past_harm.answer": "yes",
            "claim.past_harm.explanation": typed,
        },
    )
    assert r.status_code == 200
    case.refresh_from_db()
    assert get(case.draft, "claim.past_harm.explanation") == typed


def _try_lock(path: str) -> bool:
    """Whether another process can take the writers' file lock now."""
    probe = (
        "import fcntl, os, sys\n"
        "fd = os.open(sys.argv[1], os.O_RDWR)\n"
        "try:\n    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)\n"
        "except BlockingIOError:\n    sys.exit(3)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe, path], check=False)
    assert result.returncode in (0, 3)
    return result.returncode == 0


def test_sqlite_writers_of_every_process_queue_on_one_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without it, a writer meeting another app process's write sleeps in SQLite's busy handler
    # (1, 2, 5, 10 … ms) long after that write ended: the save latency's tail (issue 3).
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL queues writers itself")
    monkeypatch.setitem(connection.settings_dict, "NAME", str(tmp_path / "refugio.sqlite3"))
    lock = writer._WriterLock()
    with lock:
        with lock:  # reentrant: a record made inside a save must not deadlock
            pass
        path = tmp_path / "refugio.sqlite3-writer.lock"
        assert path.stat().st_mode & 0o777 == 0o600
        assert not _try_lock(str(path))  # held across the inner exit
    assert _try_lock(str(path))


def test_sqlite_writers_of_one_process_wait_for_each_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    monkeypatch.setitem(connection.settings_dict, "NAME", str(tmp_path / "refugio.sqlite3"))
    lock, order = writer._WriterLock(), []

    def second() -> None:
        with lock:
            order.append("second")

    with lock:
        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.2)  # time for the second writer to reach the lock (and pass, if broken)
        order.append("first")
    thread.join(5)
    assert order == ["first", "second"]
