"""Encrypted, consistent backups of the whole database, and their restore (issue 4, point 7).

- **SQLite**: the online backup API copies a consistent snapshot while the app keeps running,
  into memory (never a plaintext copy on disk: the file holds password hashes and the audit trail
  in clear beside the sealed answers); it is sealed in chunks on its way to the file.
- **PostgreSQL**: ``pg_dump --format=custom`` (one consistent snapshot) piped through the sealing;
  restore pipes the opened dump into ``pg_restore``.

The backup file is sealed under the current master key (``refugio.crypto.seal_stream``); keep
the key file apart from the backups, and keep old keys as long as backups made under them.
Restore checks the whole file before it touches the database.
"""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.db import connection

from refugio.crypto import open_stream, seal_stream
from refugio_web import vault
from refugio_web.errors import WebError
from refugio_web.writer import one_writer

__all__ = ["BackupError", "Summary", "backup", "restore"]

PURPOSE = "database backup"


class BackupError(WebError):
    """A backup or restore that cannot be done (its message says why)."""


@dataclass(frozen=True)
class Summary:
    engine: str
    plaintext_bytes: int


def _write_atomically(path: Path, fill: Callable[[BinaryIO], object]) -> None:
    """Write through ``fill(file)`` into ``path``: mode 0600, complete or not at all."""
    path = path.resolve()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            fill(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _sqlite_path() -> Path:
    return Path(str(connection.settings_dict["NAME"]))


def _sqlite_snapshot() -> bytes:
    source = sqlite3.connect(f"file:{_sqlite_path()}?mode=ro", uri=True)
    memory = sqlite3.connect(":memory:")
    try:
        source.backup(memory)
        return memory.serialize()
    finally:
        source.close()
        memory.close()


def _pg_args(program: str) -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    args = [program, "--no-owner", "--dbname", str(db["NAME"])]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    return args, env


def backup(path: Path) -> Summary:
    """Write an encrypted snapshot of the database to ``path``."""
    ring = vault.ring()
    if connection.vendor == "sqlite":
        snapshot = _sqlite_snapshot()
        _write_atomically(
            path, lambda out: seal_stream(ring, io.BytesIO(snapshot), out, purpose=PURPOSE)
        )
        return Summary("sqlite", len(snapshot))
    if connection.vendor != "postgresql":
        raise BackupError(f"no backup for the {connection.vendor} database")
    args, env = _pg_args("pg_dump")
    size: list[int] = []

    def dump_into(out: BinaryIO) -> None:
        with subprocess.Popen(  # noqa: S603 - fixed program, settings as arguments
            [*args, "--format=custom"], stdout=subprocess.PIPE, env=env
        ) as dump:
            stdout = dump.stdout
            if stdout is None:  # pragma: no cover - PIPE was asked for
                raise BackupError("pg_dump gave no output")
            size.append(seal_stream(ring, stdout, out, purpose=PURPOSE))
        if dump.returncode != 0:  # the partial file is removed, any older backup kept
            raise BackupError(f"pg_dump failed (exit status {dump.returncode})")

    _write_atomically(path, dump_into)
    return Summary("postgresql", size[0])


def _opened(path: Path) -> bytes:
    # Checked whole before the database is touched: a damaged file changes nothing.
    out = io.BytesIO()
    with path.open("rb") as sealed:
        open_stream(vault.ring(), sealed, out, purpose=PURPOSE)
    return out.getvalue()


def restore(path: Path) -> Summary:
    """Replace the database's content with the snapshot in ``path`` (stop the app first)."""
    plain = _opened(path)
    if connection.vendor == "sqlite":
        _restore_sqlite(plain)
        return Summary("sqlite", len(plain))
    args, env = _pg_args("pg_restore")
    result = subprocess.run(  # noqa: S603 - fixed program, settings as arguments
        [*args, "--clean", "--if-exists", "--single-transaction"],
        input=plain,
        env=env,
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed (exit status {result.returncode})")
    return Summary("postgresql", len(plain))


def _restore_sqlite(plain: bytes) -> None:
    memory = sqlite3.connect(":memory:")
    try:
        # Bytes 18-19 of the header say "WAL" for a database in WAL mode; a database in memory
        # cannot be one, so they are set back to the rollback journal (SQLite file format §1.3.3).
        # The app turns WAL on again when it opens the restored file.
        image = bytearray(plain)
        if image[:16] == b"SQLite format 3\x00":
            image[18:20] = b"\x01\x01"
        memory.deserialize(bytes(image))
        if memory.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("the snapshot in the backup is not a sound SQLite database")
        connection.close()  # Django's connection must not hold the file meanwhile
        target = sqlite3.connect(_sqlite_path())
        try:
            with one_writer():
                memory.backup(target)
        finally:
            target.close()
    finally:
        memory.close()
